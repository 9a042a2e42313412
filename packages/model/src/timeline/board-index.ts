// Lookups over one board snapshot, built once so every part of the timeline reads in O(1). Input order
// is not trusted: Y.Map iteration order can differ between replicas, so everything is sorted here by
// (time, id) and the timeline comes out the same everywhere.
import type { BoardSnapshot } from '../board-doc';
import type { Card } from '../records/card';
import type { Callout } from '../records/callout';
import type { Link } from '../records/link';
import type { RoleAssignment } from '../records/role';
import type { StatusChange } from '../records/status-change';
import { compareStatusChanges } from '../records/status-change';
import type { Participant } from '../records/participant';
import { compareIds } from './time';

export interface BoardIndex {
  snapshot: BoardSnapshot;
  /** Sorted by createdAt, then id. */
  cards: Card[];
  cardsById: Map<string, Card>;
  /** Sorted by createdAt, then id. */
  links: Link[];
  linksFrom: Map<string, Link[]>;
  linksTo: Map<string, Link[]>;
  /** Sorted by at, then id (the order every replica agrees on). */
  statusLog: StatusChange[];
  /** Each hypothesis's first change to ruled-out (when the team dropped the lead). */
  firstRuledOut: Map<string, StatusChange>;
  /** Sorted by firstSeenAt, then userId. */
  participants: Participant[];
  /** Sorted by createdAt, then id. */
  callouts: Callout[];
  /** Sorted by takenAt, then id. */
  roles: RoleAssignment[];
}

function byTimeThenId<T>(time: (x: T) => number, id: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    let ta = time(a);
    let tb = time(b);
    // Invalid times (NaN, ±Infinity, not a number) sort last, like events without a time.
    if (!Number.isFinite(ta)) ta = Infinity;
    if (!Number.isFinite(tb)) tb = Infinity;
    if (ta !== tb) return ta < tb ? -1 : 1;
    return compareIds(id(a), id(b));
  };
}

/** Sorted copy; skips the sort when the input is already in order (BoardDoc.read returns it so). */
function sortedCopy<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < items.length; i++) {
    if (compare(items[i - 1] as T, items[i] as T) > 0) return [...items].sort(compare);
  }
  return [...items];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexBoard(
  snapshot: BoardSnapshot,
  callouts: readonly Callout[],
  roles: readonly RoleAssignment[],
): BoardIndex {
  const cards = sortedCopy(snapshot.cards, 
    byTimeThenId(
      (c) => c.createdAt,
      (c) => c.id,
    ),
  );
  const cardsById = new Map<string, Card>();
  for (const card of cards) cardsById.set(card.id, card);

  const links = sortedCopy(snapshot.links, 
    byTimeThenId(
      (l) => l.createdAt,
      (l) => l.id,
    ),
  );
  const linksFrom = new Map<string, Link[]>();
  const linksTo = new Map<string, Link[]>();
  for (const link of links) {
    push(linksFrom, link.from, link);
    push(linksTo, link.to, link);
  }

  const statusLog = sortedCopy(snapshot.statusLog, compareStatusChanges);
  const firstRuledOut = new Map<string, StatusChange>();
  for (const change of statusLog) {
    if (change.to === 'ruled-out' && !firstRuledOut.has(change.cardId)) firstRuledOut.set(change.cardId, change);
  }

  return {
    snapshot,
    cards,
    cardsById,
    links,
    linksFrom,
    linksTo,
    statusLog,
    firstRuledOut,
    participants: sortedCopy(snapshot.participants, 
      byTimeThenId(
        (p) => p.firstSeenAt,
        (p) => p.userId,
      ),
    ),
    callouts: sortedCopy(callouts, 
      byTimeThenId(
        (c) => c.createdAt,
        (c) => c.id,
      ),
    ),
    roles: sortedCopy(roles, 
      byTimeThenId(
        (r) => r.takenAt,
        (r) => r.id,
      ),
    ),
  };
}

/** A hypothesis's status as the snapshot states it ('open' when it has none). */
export function hypothesisStatusOf(card: Card): NonNullable<Card['status']> {
  return card.status ?? 'open';
}
