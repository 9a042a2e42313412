// Parallel threads: one per theory and per free-standing hypothesis, plus a general thread. A single
// linear story invites hindsight bias; threads show what each line of inquiry knew at the time.
//
// Which thread a card belongs to:
// - a theory owns its thread;
// - a hypothesis that is part-of a theory (or of another hypothesis) joins that card's thread, else owns one;
// - any other card (evidence, action, question, note) joins the thread of the theory or hypothesis it
//   supports, refutes or is part of (its own links first, then links pointing at it), else `general`.
// When several links qualify, the earliest (createdAt, then id) wins, so every replica agrees.
import type { Card } from '../records/card';
import type { Link, LinkRelation } from '../records/link';
import type { BoardIndex } from './board-index';
import { hypothesisStatusOf } from './board-index';
import { flat } from './flat-string';
import type { ThreadHypothesis, TimelineThread } from './types';
import { GENERAL_THREAD_ID } from './types';

const JOINING_RELATIONS: ReadonlySet<LinkRelation> = new Set(['supports', 'refutes', 'part-of']);
const PART_OF: ReadonlySet<LinkRelation> = new Set(['part-of']);
const NO_LINKS: readonly Link[] = [];

function ownsThreadKind(card: Card): boolean {
  return card.kind === 'theory' || card.kind === 'hypothesis';
}

export function threadIdOwnedBy(card: Card): string {
  return `${card.kind === 'theory' ? 'theory' : 'hypothesis'}:${card.id}`;
}

export interface ThreadAssignment {
  /** Thread id of a card; `general` for unknown (deleted) cards. */
  threadOf(cardId: string | undefined): string;
  /** Cards that own a thread, in (createdAt, id) order. */
  owners: Card[];
  /** The id of the thread an owner card owns: the same string object every event of the thread holds. */
  ownedThreadId(owner: Card): string;
}

export function assignThreads(index: BoardIndex): ThreadAssignment {
  const resolved = new Map<string, string>();
  const owners: Card[] = [];
  // One flat string per thread, shared by its cards, events and thread record: exporters look threads up
  // by event.threadId, and a lookup that finds the very same string compares one reference, not characters.
  const ownedIds = new Map<Card, string>();
  const ownedThreadId = (card: Card): string => {
    let id = ownedIds.get(card);
    if (id === undefined) {
      id = flat(threadIdOwnedBy(card));
      ownedIds.set(card, id);
    }
    return id;
  };

  // A card linked to itself never counts: it would make the card its own parent.
  const threadCardAt = (link: Link, otherId: string, selfId: string, relations: ReadonlySet<LinkRelation>) => {
    if (!relations.has(link.relation) || otherId === selfId) return undefined;
    const other = index.cardsById.get(otherId);
    return other && ownsThreadKind(other) ? other : undefined;
  };

  const parentOf = (card: Card): Card | undefined => {
    if (card.kind === 'theory') return undefined;
    const relations = card.kind === 'hypothesis' ? PART_OF : JOINING_RELATIONS;
    for (const link of index.linksFrom.get(card.id) ?? NO_LINKS) {
      const parent = threadCardAt(link, link.to, card.id, relations);
      if (parent) return parent;
    }
    if (card.kind === 'hypothesis') return undefined;
    for (const link of index.linksTo.get(card.id) ?? NO_LINKS) {
      const parent = threadCardAt(link, link.from, card.id, relations);
      if (parent) return parent;
    }
    return undefined;
  };

  // Walks up the part-of chain without recursion (a hostile board may chain thousands of hypotheses).
  // One path list and set serve every walk: 10,000 cards should not mean 10,000 new sets.
  const path: Card[] = [];
  const onPath = new Set<string>();
  const resolve = (card: Card): string => {
    path.length = 0;
    onPath.clear();
    let current: Card = card;
    let thread: string;
    for (;;) {
      const known = resolved.get(current.id);
      if (known !== undefined) {
        thread = known;
        break;
      }
      if (onPath.has(current.id)) {
        // A part-of cycle (A part-of B part-of A): the card that closes it keeps its own thread.
        thread = ownedThreadId(current);
        break;
      }
      onPath.add(current.id);
      path.push(current);
      const parent = parentOf(current);
      if (!parent) {
        thread = ownsThreadKind(current) ? ownedThreadId(current) : GENERAL_THREAD_ID;
        break;
      }
      current = parent;
    }
    for (const visited of path) resolved.set(visited.id, thread);
    return thread;
  };

  for (const card of index.cards) {
    const thread = resolve(card);
    if (ownsThreadKind(card) && thread === threadIdOwnedBy(card)) owners.push(card);
  }

  return {
    threadOf: (cardId) => (cardId === undefined ? GENERAL_THREAD_ID : (resolved.get(cardId) ?? GENERAL_THREAD_ID)),
    owners,
    ownedThreadId,
  };
}

/** The thread list with each thread's events (given in timeline order) and hypotheses. */
export function buildThreads(
  index: BoardIndex,
  assignment: ThreadAssignment,
  events: readonly { id: string; time: number | null; threadId: string }[],
): TimelineThread[] {
  const threads = new Map<string, TimelineThread>();
  threads.set(GENERAL_THREAD_ID, {
    id: GENERAL_THREAD_ID,
    kind: 'general',
    title: 'General',
    hypotheses: [],
    eventIds: [],
    start: null,
    end: null,
  });
  for (const owner of assignment.owners) {
    const id = assignment.ownedThreadId(owner);
    threads.set(id, {
      id,
      kind: owner.kind === 'theory' ? 'theory' : 'hypothesis',
      cardId: owner.id,
      title: owner.title,
      hypotheses: [],
      eventIds: [],
      start: null,
      end: null,
    });
  }
  for (const card of index.cards) {
    if (card.kind !== 'hypothesis') continue;
    const hypothesis: ThreadHypothesis = { cardId: card.id, title: card.title, status: hypothesisStatusOf(card) };
    threads.get(assignment.threadOf(card.id))?.hypotheses.push(hypothesis);
  }
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as (typeof events)[number];
    const thread = threads.get(event.threadId);
    if (!thread) continue;
    thread.eventIds.push(event.id);
    if (event.time !== null) {
      if (thread.start === null) thread.start = event.time;
      thread.end = event.time;
    }
  }
  // General first, then the lines of inquiry in the order they were opened.
  const [general, ...rest] = [...threads.values()];
  return general ? [general, ...rest] : rest;
}
