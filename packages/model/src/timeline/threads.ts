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
const NONE: ReadonlySet<LinkRelation> = new Set();

function ownsThreadKind(card: Card): boolean {
  return card.kind === 'theory' || card.kind === 'hypothesis';
}

export function threadIdOwnedBy(card: Card): string {
  return `${card.kind === 'theory' ? 'theory' : 'hypothesis'}:${card.id}`;
}

export interface ThreadAssignment {
  /** Thread id of a card; `general` for unknown (deleted) cards. */
  threadOf(cardId: string | undefined): string;
  /** Thread id of each card, by its position in `index.cards`. */
  byPosition: readonly string[];
  /** Cards that own a thread, in (createdAt, id) order. */
  owners: Card[];
  /** The id of the thread an owner card owns: the same string object every event of the thread holds. */
  ownedThreadId(owner: Card): string;
}

export function assignThreads(index: BoardIndex): ThreadAssignment {
  const { cards, positionById } = index;
  const parents = threadParents(index);
  // One flat string per thread, shared by its cards, events and thread record: exporters look threads up
  // by event.threadId, and a lookup that finds the very same string compares one reference, not characters.
  const ownedIds = new Array<string | undefined>(cards.length);
  const ownedThreadId = (position: number): string =>
    (ownedIds[position] ??= flat(threadIdOwnedBy(cards[position] as Card)));

  // Walks up the part-of chain without recursion (a hostile board may chain thousands of hypotheses).
  // One path list and one mark per card serve every walk.
  const byPosition = new Array<string | undefined>(cards.length);
  const onPath = new Uint8Array(cards.length);
  const path: number[] = [];
  const resolve = (position: number): string => {
    path.length = 0;
    let current = position;
    let thread: string;
    for (;;) {
      const known = byPosition[current];
      if (known !== undefined) {
        thread = known;
        break;
      }
      if (onPath[current] === 1) {
        // A part-of cycle (A part-of B part-of A): the card that closes it keeps its own thread.
        thread = ownedThreadId(current);
        break;
      }
      onPath[current] = 1;
      path.push(current);
      const parent = parents[current] as number;
      if (parent < 0) {
        thread = ownsThreadKind(cards[current] as Card) ? ownedThreadId(current) : GENERAL_THREAD_ID;
        break;
      }
      current = parent;
    }
    for (const visited of path) {
      byPosition[visited] = thread;
      onPath[visited] = 0;
    }
    return thread;
  };

  const owners: Card[] = [];
  for (let i = 0; i < cards.length; i++) {
    const thread = resolve(i);
    if (thread === ownedIds[i]) owners.push(cards[i] as Card);
  }

  const resolved = byPosition as string[];
  return {
    threadOf: (cardId) => {
      const position = cardId === undefined ? undefined : positionById.get(cardId);
      return position === undefined ? GENERAL_THREAD_ID : (resolved[position] as string);
    },
    byPosition: resolved,
    owners,
    ownedThreadId: (owner) => ownedThreadId(positionById.get(owner.id) as number),
  };
}

/**
 * The card whose thread each card joins, by position (-1: none): for a hypothesis, the first theory or
 * hypothesis it is part of; for evidence, actions, questions and notes, the first theory or hypothesis its
 * own supports/refutes/part-of links point at, else the first whose such links point at it. "First" is link
 * order, (createdAt, id), so every replica agrees. A card linked to itself never counts: it would be its own
 * parent.
 */
function threadParents(index: BoardIndex): Int32Array {
  const { cards, links, linkFromPositions, linkToPositions } = index;
  const ownLinkParent = new Int32Array(cards.length).fill(-1);
  const linkedParent = new Int32Array(cards.length).fill(-1);
  for (let i = 0; i < links.length; i++) {
    const from = linkFromPositions[i] as number;
    const to = linkToPositions[i] as number;
    if (from < 0 || to < 0 || from === to) continue;
    const relation = (links[i] as Link).relation;
    const fromCard = cards[from] as Card;
    const toCard = cards[to] as Card;
    if (ownLinkParent[from] === -1 && ownsThreadKind(toCard)) {
      const relations = fromCard.kind === 'hypothesis' ? PART_OF : fromCard.kind === 'theory' ? NONE : JOINING_RELATIONS;
      if (relations.has(relation)) ownLinkParent[from] = to;
    }
    if (linkedParent[to] === -1 && !ownsThreadKind(toCard) && ownsThreadKind(fromCard) && JOINING_RELATIONS.has(relation)) {
      linkedParent[to] = from;
    }
  }
  for (let i = 0; i < cards.length; i++) {
    if (ownLinkParent[i] === -1) ownLinkParent[i] = linkedParent[i] as number;
  }
  return ownLinkParent;
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
  for (let i = 0; i < index.cards.length; i++) {
    const card = index.cards[i] as Card;
    if (card.kind !== 'hypothesis') continue;
    const hypothesis: ThreadHypothesis = { cardId: card.id, title: card.title, status: hypothesisStatusOf(card) };
    threads.get(assignment.byPosition[i] as string)?.hypotheses.push(hypothesis);
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
