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
  /** Where each card is in `cards`: the parts that keep something per card keep it in arrays, by position. */
  positionById: Map<string, number>;
  /** Sorted by createdAt, then id. */
  links: Link[];
  /** Sorted by at, then id (the order every replica agrees on). */
  statusLog: StatusChange[];
  /** The position in `cards` of the card each status change is about (-1 for a deleted card). */
  statusCardPositions: Int32Array;
  /** The positions in `cards` of each link's ends, link for link (-1 for a deleted card). */
  linkFromPositions: Int32Array;
  linkToPositions: Int32Array;
  /** Each hypothesis's first change to ruled-out (when the team dropped the lead). */
  firstRuledOut: Map<string, StatusChange>;
  /** Sorted by firstSeenAt, then userId. */
  participants: Participant[];
  /** Sorted by createdAt, then id. */
  callouts: Callout[];
  /** Sorted by takenAt, then id. */
  roles: RoleAssignment[];
}

/** Invalid times (NaN, ±Infinity, not a number) sort last, like events without a time. */
function sortableTime(t: unknown): number {
  return typeof t === 'number' && Number.isFinite(t) ? t : Infinity;
}

function byTimeThenId<T>(time: (x: T) => number, id: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ta = sortableTime(time(a));
    const tb = sortableTime(time(b));
    if (ta !== tb) return ta < tb ? -1 : 1;
    return compareIds(id(a), id(b));
  };
}

/**
 * Sorted copy; skips the sort when the input is already in order (BoardDoc.read returns it so). The
 * order check reads the fields directly rather than through a comparator: it runs over every record of
 * every board, and sorting is the exception.
 */
function sortedCopy<T, K extends keyof T, I extends keyof T>(items: readonly T[], timeKey: K, idKey: I): T[] {
  const compare = byTimeThenId<T>(
    (x) => x[timeKey] as number,
    (x) => x[idKey] as string,
  );
  let previousTime = -Infinity;
  let previousId = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const time = sortableTime(item[timeKey]);
    const id = item[idKey] as string;
    if (time < previousTime || (time === previousTime && i > 0 && compareIds(previousId, id) > 0)) {
      return [...items].sort(compare);
    }
    previousTime = time;
    previousId = id;
  }
  return items.slice();
}

export function indexBoard(
  snapshot: BoardSnapshot,
  callouts: readonly Callout[],
  roles: readonly RoleAssignment[],
): BoardIndex {
  const cards = sortedCopy(snapshot.cards, 'createdAt', 'id');
  const cardsById = new Map<string, Card>();
  const positionById = new Map<string, number>();
  for (let i = 0; i < cards.length; i++) {
    const card = cards[i] as Card;
    cardsById.set(card.id, card);
    positionById.set(card.id, i);
  }
  const positionOf = (cardId: string): number => positionById.get(cardId) ?? -1;

  const links = sortedCopy(snapshot.links, 'createdAt', 'id');
  const linkFromPositions = new Int32Array(links.length);
  const linkToPositions = new Int32Array(links.length);
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Link;
    linkFromPositions[i] = positionOf(link.from);
    linkToPositions[i] = positionOf(link.to);
  }

  const statusLog = isStatusLogSorted(snapshot.statusLog)
    ? snapshot.statusLog.slice()
    : [...snapshot.statusLog].sort(compareStatusChanges);
  const statusCardPositions = new Int32Array(statusLog.length);
  const firstRuledOut = new Map<string, StatusChange>();
  for (let i = 0; i < statusLog.length; i++) {
    const change = statusLog[i] as StatusChange;
    statusCardPositions[i] = positionOf(change.cardId);
    if (change.to === 'ruled-out' && !firstRuledOut.has(change.cardId)) firstRuledOut.set(change.cardId, change);
  }

  return {
    snapshot,
    cards,
    cardsById,
    positionById,
    links,
    linkFromPositions,
    linkToPositions,
    statusLog,
    statusCardPositions,
    firstRuledOut,
    participants: sortedCopy(snapshot.participants, 'firstSeenAt', 'userId'),
    callouts: sortedCopy(callouts, 'createdAt', 'id'),
    roles: sortedCopy(roles, 'takenAt', 'id'),
  };
}

/** Whether the log is already in compareStatusChanges order (checked without calling it per pair). */
function isStatusLogSorted(log: readonly StatusChange[]): boolean {
  for (let i = 1; i < log.length; i++) {
    const a = log[i - 1] as StatusChange;
    const b = log[i] as StatusChange;
    if (a.at !== b.at ? a.at - b.at > 0 : a.id > b.id) return false;
  }
  return true;
}

/** A hypothesis's status as the snapshot states it ('open' when it has none). */
export function hypothesisStatusOf(card: Card): NonNullable<Card['status']> {
  return card.status ?? 'open';
}
