// The per-connection rate limit: floods are stopped, but the burst that follows a stall — frames an honest
// client sent at its normal pace while the server was not reading — is not mistaken for one.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/limits/token-bucket';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Takes `count` tokens at the same instant; returns how many were granted. */
function takeAtOnce(bucket: TokenBucket, count: number): number {
  let granted = 0;
  for (let i = 0; i < count; i++) if (bucket.take()) granted++;
  return granted;
}

describe('TokenBucket', () => {
  const RATE = 200;
  const BURST = 400;
  const CATCH_UP_SECONDS = 10;

  it('lets a client at its normal pace through the burst that arrives after a 5 s stall', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(RATE, BURST, clock.now, CATCH_UP_SECONDS);
    // 90 messages/s (a drag plus cursor), for 3 s.
    for (let i = 0; i < 270; i++) {
      clock.advance(11);
      expect(bucket.take()).toBe(true);
    }
    // The server stalls for 5 s; the 450 frames sent meanwhile are read in one go, then the pace resumes.
    clock.advance(5_000);
    expect(takeAtOnce(bucket, 450)).toBe(450);
    for (let i = 0; i < 270; i++) {
      clock.advance(11);
      expect(bucket.take()).toBe(true);
    }
  });

  it('without the catch-up allowance, the same stall burst is refused (the behaviour this fixes)', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(RATE, BURST, clock.now, 0);
    clock.advance(5_000);
    expect(takeAtOnce(bucket, 450)).toBe(BURST);
  });

  it('still stops a flood: a burst with no gap before it gets the plain burst allowance', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(RATE, BURST, clock.now, CATCH_UP_SECONDS);
    expect(takeAtOnce(bucket, 1_000)).toBe(BURST);
  });

  it('still stops a sustained flood that started after an idle gap', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(RATE, BURST, clock.now, CATCH_UP_SECONDS);
    clock.advance(60_000);
    // The gap buys at most rate × catchUpSeconds at once ...
    expect(takeAtOnce(bucket, 5_000)).toBe(RATE * CATCH_UP_SECONDS);
    // ... and then 1,000 messages/s is refused for everything above the sustained rate.
    let granted = 0;
    for (let i = 0; i < 1_000; i++) {
      clock.advance(1);
      if (bucket.take()) granted++;
    }
    expect(granted).toBeLessThanOrEqual(RATE + 1);
  });
});
