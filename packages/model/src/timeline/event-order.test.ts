import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/mulberry32';
import { compareEvents, KIND_RANK, sortEvents } from './event-order';
import type { TimelineEvent, TimelineEventKind } from './types';

const KINDS = Object.keys(KIND_RANK) as TimelineEventKind[];

function randomEvents(seed: number, count: number, time: (random: () => number) => number | null): TimelineEvent[] {
  // Seeded, so a failing case can be replayed.
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const t = time(random);
    const recordedAt = random() < 0.5 ? t : time(random);
    return {
      id: `e-${Math.floor(random() * count * 4)}-${i}`,
      time: t,
      timeSource: 'recorded',
      recordedAt,
      actor: null,
      kind: KINDS[Math.floor(random() * KINDS.length)] as TimelineEventKind,
      text: '',
      cardIds: [],
      threadId: 'general',
    };
  });
}

const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);

describe('sortEvents', () => {
  // Whatever path the sort takes (packed keys, or the comparator for times that do not pack), the order
  // must be exactly the one compareEvents defines.
  const cases: [string, (random: () => number) => number | null][] = [
    ['distinct millisecond times', (r) => T0 + Math.floor(r() * 8 * 3600_000)],
    ['many events per second, and some with no time', (r) => (r() < 0.05 ? null : T0 + Math.floor(r() * 60) * 1000)],
    ['every event at the same time', () => T0],
    ['no event with a time', () => null],
    ['fractions of a millisecond', (r) => T0 + Math.floor(r() * 1000) / 4],
    ['a span too wide to pack', (r) => (r() < 0.5 ? -8e15 : 8e15) + Math.floor(r() * 10)],
    ['times before 1970', (r) => -T0 + Math.floor(r() * 100_000)],
  ];

  it.each(cases)('orders %s as compareEvents does', (_name, time) => {
    for (const seed of [1, 2, 3]) {
      const events = randomEvents(seed, 3_000, time);
      const expected = [...events].sort(compareEvents);
      expect(sortEvents(events).map((e) => e.id)).toEqual(expected.map((e) => e.id));
    }
  });

  it('leaves its input as it was', () => {
    const events = randomEvents(4, 100, (r) => T0 + Math.floor(r() * 1000));
    const before = [...events];
    sortEvents(events);
    expect(events).toEqual(before);
  });
});
