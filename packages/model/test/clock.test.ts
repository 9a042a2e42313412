import { describe, expect, it } from 'vitest';
import { estimateClockOffset } from '../src/index';

describe('estimateClockOffset', () => {
  it('uses the sample with the shortest round trip, assuming the server answered halfway', () => {
    // The client clock is 5 s behind the server. Sample 2 has the shortest trip (20 ms, symmetric).
    const samples = [
      { clientSentAt: 1_000, serverTime: 6_300, clientReceivedAt: 1_400 }, // 400 ms, slow on the way there
      { clientSentAt: 2_000, serverTime: 7_010, clientReceivedAt: 2_020 },
      { clientSentAt: 3_000, serverTime: 8_010, clientReceivedAt: 3_100 },
    ];
    expect(estimateClockOffset(samples)).toEqual({ offsetMs: 5_000, rttMs: 20, samples: 3 });
  });

  it('works with a client clock ahead of the server', () => {
    expect(estimateClockOffset([{ clientSentAt: 10_000, serverTime: 7_005, clientReceivedAt: 10_010 }])).toEqual({
      offsetMs: -3_000,
      rttMs: 10,
      samples: 1,
    });
  });

  it('skips samples that cannot be right (negative or non-finite round trips)', () => {
    const samples = [
      { clientSentAt: 100, serverTime: 0, clientReceivedAt: 50 },
      { clientSentAt: Number.NaN, serverTime: 0, clientReceivedAt: 50 },
      { clientSentAt: 0, serverTime: Number.POSITIVE_INFINITY, clientReceivedAt: 50 },
      { clientSentAt: 0, serverTime: 1_025, clientReceivedAt: 50 },
    ];
    expect(estimateClockOffset(samples)).toEqual({ offsetMs: 1_000, rttMs: 50, samples: 1 });
  });

  it('reports no estimate when there is no usable sample', () => {
    expect(estimateClockOffset([])).toEqual({ offsetMs: 0, rttMs: Number.POSITIVE_INFINITY, samples: 0 });
  });
});
