// The timeline order: `time`, then `recordedAt`, then a fixed rank per kind (a card is created before its
// status changes at the same millisecond; a role is handed over before the next holder takes it), then the
// event id. Events without a valid time go last. Nothing depends on input order, so every replica agrees.
//
// Sorting 70,000+ events with that comparator means over a million calls back into JavaScript. Nearly all
// events have a time of their own, so they are first sorted by time alone with the engine's native numeric
// sort (no callback): each key is the event's time, offset from the earliest, with the event's index packed
// into the low bits. Only runs of events sharing a time, and the events without one, then go through the
// full comparator; times that do not pack (fractions of a millisecond, spans of millennia) use it for all.
import { compareIds } from './time';
import type { TimelineEvent, TimelineEventKind } from './types';

export const KIND_RANK: Readonly<Record<TimelineEventKind, number>> = {
  'board-created': 0,
  'card-created': 1,
  'link-created': 2,
  'hypothesis-status-changed': 3,
  'action-done': 4,
  'callout-sent': 5,
  'callout-acknowledged': 6,
  'callout-escalated': 7,
  'callout-withdrawn': 8,
  'callout-closed': 9,
  'role-handed-over': 10,
  'role-taken': 11,
  'board-closed': 12,
};

/** The timeline order as a comparator (for merging events from elsewhere into a built timeline). */
export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  const ta = a.time ?? Infinity;
  const tb = b.time ?? Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ra = a.recordedAt ?? Infinity;
  const rb = b.recordedAt ?? Infinity;
  if (ra !== rb) return ra < rb ? -1 : 1;
  const ka = KIND_RANK[a.kind];
  const kb = KIND_RANK[b.kind];
  if (ka !== kb) return ka - kb;
  return compareIds(a.id, b.id);
}

/** Largest integer a double holds exactly: packed keys must stay below it. */
const EXACT_LIMIT = 2 ** 53;

/** The events in timeline order (a new array; the input is not changed). */
export function sortEvents(events: readonly TimelineEvent[]): TimelineEvent[] {
  const order = orderByTime(events) ?? orderByComparator(events);
  const sorted = new Array<TimelineEvent>(order.length);
  for (let i = 0; i < order.length; i++) sorted[i] = events[order[i] as number] as TimelineEvent;
  return sorted;
}

/**
 * Indices in timeline order via the native sort of packed (time, index) keys, or undefined when the
 * times do not pack: a fractional millisecond, or a span so wide that time × index would lose precision.
 */
function orderByTime(events: readonly TimelineEvent[]): Int32Array | undefined {
  const n = events.length;
  let min = Infinity;
  let max = -Infinity;
  let timed = 0;
  for (let i = 0; i < n; i++) {
    const t = (events[i] as TimelineEvent).time;
    if (t === null) continue;
    if (!Number.isInteger(t)) return undefined;
    if (t < min) min = t;
    if (t > max) max = t;
    timed++;
  }
  const slots = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  if (timed > 0 && (max - min + 1) * slots >= EXACT_LIMIT) return undefined;

  const keys = new Float64Array(timed);
  const order = new Int32Array(n);
  let k = 0;
  let last = timed;
  for (let i = 0; i < n; i++) {
    const t = (events[i] as TimelineEvent).time;
    if (t === null) order[last++] = i;
    else keys[k++] = (t - min) * slots + i;
  }
  keys.sort();
  // Events sharing a time come out in index order; the full comparator settles those runs (and the
  // events without a time, listed after the rest). The time is read back from the key itself (slots is
  // a power of two, so the division is exact), which keeps this pass off the event objects.
  let start = 0;
  let startTime = Number.NaN;
  for (let j = 0; j < timed; j++) {
    const key = keys[j] as number;
    const time = Math.floor(key / slots);
    order[j] = key - time * slots;
    if (time === startTime) continue;
    if (j - start > 1) sortRun(events, order, start, j);
    start = j;
    startTime = time;
  }
  if (timed - start > 1) sortRun(events, order, start, timed);
  if (n - timed > 1) sortRun(events, order, timed, n);
  return order;
}

function sortRun(events: readonly TimelineEvent[], order: Int32Array, start: number, end: number): void {
  const run = Array.from(order.subarray(start, end));
  run.sort((a, b) => compareEvents(events[a] as TimelineEvent, events[b] as TimelineEvent));
  order.set(run, start);
}

/** The general case: a comparator sort of the indices. */
function orderByComparator(events: readonly TimelineEvent[]): number[] {
  const order = Array.from({ length: events.length }, (_, i) => i);
  order.sort((a, b) => compareEvents(events[a] as TimelineEvent, events[b] as TimelineEvent));
  return order;
}
