// Every record on the board becomes one or more events, ordered by when they happened.
//
// Order: `time` (evidence observedAt when known, otherwise when recorded), then `recordedAt`, then a fixed
// rank per kind (a card is created before its status changes at the same millisecond; a role is handed
// over before the next holder takes it), then the event id. Events without any valid time go last.
// Nothing depends on input order, so every replica produces the same list.
import type { Callout } from '../records/callout';
import type { Card, HypothesisStatus } from '../records/card';
import { HYPOTHESIS_STATUSES } from '../records/card';
import type { RoleAssignment } from '../records/role';
import type { BoardIndex } from './board-index';
import { clip, OUTCOME_LABEL, quoted, RELATION_LABEL, ROLE_LABEL, STATUS_LABEL } from './labels';
import type { PeopleDirectory } from './people';
import type { ThreadAssignment } from './threads';
import { compareIds, validTime } from './time';
import type { CalloutAddresseeView, Person, TimelineEvent, TimelineEventKind } from './types';
import { GENERAL_THREAD_ID } from './types';

const KIND_RANK: Readonly<Record<TimelineEventKind, number>> = {
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

export interface EventContext {
  index: BoardIndex;
  people: PeopleDirectory;
  threads: ThreadAssignment;
}

/**
 * `[cardId]` lists shared by all events about one card (a hypothesis with 20 status changes has one
 * list, not 21): allocation, not arithmetic, dominates building a 70,000-event timeline.
 */
function cardIdLists(): (cardId: string) => readonly string[] {
  const lists = new Map<string, readonly string[]>();
  return (cardId) => {
    let list = lists.get(cardId);
    if (!list) {
      list = Object.freeze([cardId]);
      lists.set(cardId, list);
    }
    return list;
  };
}

/** `"Title"` of a card, or a marker naming the id of a card that no longer exists. */
export function cardLabel(index: BoardIndex, cardId: string): string {
  const card = index.cardsById.get(cardId);
  return card ? quoted(card.title) : `(deleted card ${cardId})`;
}

export function addresseeView(callout: Callout, people: PeopleDirectory): CalloutAddresseeView {
  const to = callout.to;
  if (to.kind === 'user') {
    const name = people.name(to.userId);
    return { kind: 'user', userId: to.userId, label: name === to.userId ? to.name || to.userId : name };
  }
  return { kind: 'role', role: to.role, label: `the ${ROLE_LABEL[to.role]}` };
}

/**
 * A new event with the properties every event has; callers add the kind-specific ones (cardKind,
 * statusFrom/statusTo, relation, calloutId, role, noticedAt). `happenedAt` falls back to `recordedAt`
 * when it is not a valid time.
 */
function newEvent(
  id: string,
  kind: TimelineEventKind,
  happenedAt: number | undefined,
  observed: boolean,
  recordedAt: number | undefined,
  actor: Person | null,
  text: string,
  cardIds: readonly string[],
  threadId: string,
): TimelineEvent {
  const recorded = validTime(recordedAt) ?? null;
  const happened = validTime(happenedAt);
  return {
    id,
    time: happened ?? recorded,
    timeSource: observed && happened !== undefined ? 'observed' : 'recorded',
    recordedAt: recorded,
    actor,
    kind,
    text,
    cardIds,
    threadId,
  };
}

/** An event recorded at the moment it happened (everything except evidence). */
function recordedEvent(
  id: string,
  kind: TimelineEventKind,
  at: number | undefined,
  actor: Person | null,
  text: string,
  cardIds: readonly string[],
  threadId: string,
): TimelineEvent {
  return newEvent(id, kind, at, false, at, actor, text, cardIds, threadId);
}

const NO_CARDS: readonly string[] = Object.freeze([]);

function cardCreatedText(card: Card, people: PeopleDirectory): string {
  const title = quoted(card.title);
  switch (card.kind) {
    case 'theory':
      return `Proposed theory ${title}`;
    case 'hypothesis':
      return `Raised hypothesis ${title}`;
    case 'evidence': {
      const source = card.source ? ` (${card.source.kind}: ${clip(card.source.label || card.source.value)})` : '';
      return `Evidence ${title}${source}`;
    }
    case 'action':
      return `Planned action ${title}${card.owner ? ` (owner: ${people.name(card.owner)})` : ''}`;
    case 'question':
      return `Asked ${title}`;
    case 'note':
      return `Noted ${title}`;
  }
}

type CardIds = (cardId: string) => readonly string[];

function cardEvents(ctx: EventContext, out: TimelineEvent[], idsOf: CardIds): void {
  const { index, people, threads } = ctx;
  for (const card of index.cards) {
    const threadId = threads.threadOf(card.id);
    const evidence = card.kind === 'evidence';
    const observedAt = evidence ? validTime(card.observedAt) : undefined;
    const created = newEvent(
      `card:${card.id}`,
      'card-created',
      observedAt ?? card.createdAt,
      observedAt !== undefined,
      card.createdAt,
      people.person(card.author),
      cardCreatedText(card, people),
      idsOf(card.id),
      threadId,
    );
    created.cardKind = card.kind;
    // Only a third, distinct time is worth carrying.
    const noticedAt = evidence ? validTime(card.noticedAt) : undefined;
    if (noticedAt !== undefined && noticedAt !== created.time && noticedAt !== created.recordedAt) {
      created.noticedAt = noticedAt;
    }
    out.push(created);

    if (card.kind === 'action' && card.actionState === 'done' && validTime(card.doneAt) !== undefined) {
      out.push(
        recordedEvent(
          `done:${card.id}`,
          'action-done',
          card.doneAt,
          people.person(card.owner ?? card.author),
          `Done: ${quoted(card.title)}`,
          idsOf(card.id),
          threadId,
        ),
      );
    }
  }
}

const TRANSITION_TEXT = Object.fromEntries(
  HYPOTHESIS_STATUSES.map((from) => [
    from,
    Object.fromEntries(HYPOTHESIS_STATUSES.map((to) => [to, `${STATUS_LABEL[from]} → ${STATUS_LABEL[to]}`])),
  ]),
) as Record<HypothesisStatus, Record<HypothesisStatus, string>>;

function statusEvents(ctx: EventContext, out: TimelineEvent[], idsOf: CardIds): void {
  const { index, people, threads } = ctx;
  // A hypothesis has many status changes: look its details up once.
  const perCard = new Map<string, { prefix: string; ids: readonly string[]; threadId: string }>();
  for (const change of index.statusLog) {
    let card = perCard.get(change.cardId);
    if (card === undefined) {
      card = {
        prefix: `Hypothesis ${cardLabel(index, change.cardId)}: `,
        ids: idsOf(change.cardId),
        threadId: threads.threadOf(change.cardId),
      };
      perCard.set(change.cardId, card);
    }
    const reason = change.reason.trim();
    const e = recordedEvent(
      `status:${change.id}`,
      'hypothesis-status-changed',
      change.at,
      people.person(change.by),
      card.prefix + TRANSITION_TEXT[change.from][change.to] + (reason ? ` — ${reason}` : ''),
      card.ids,
      card.threadId,
    );
    e.statusFrom = change.from;
    e.statusTo = change.to;
    out.push(e);
  }
}

function linkEvents(ctx: EventContext, out: TimelineEvent[]): void {
  const { index, people, threads } = ctx;
  for (const link of index.links) {
    const fromThread = threads.threadOf(link.from);
    const note = link.note?.trim() ? ` — ${link.note.trim()}` : '';
    const e = recordedEvent(
      `link:${link.id}`,
      'link-created',
      link.createdAt,
      people.person(link.author),
      `${cardLabel(index, link.from)} ${RELATION_LABEL[link.relation]} ${cardLabel(index, link.to)}${note}`,
      [link.from, link.to],
      fromThread !== GENERAL_THREAD_ID ? fromThread : threads.threadOf(link.to),
    );
    e.relation = link.relation;
    out.push(e);
  }
}

function calloutEvents(ctx: EventContext, out: TimelineEvent[], idsOf: CardIds): void {
  const { index, people, threads } = ctx;
  for (const callout of index.callouts) {
    const from = people.person(callout.from.userId);
    const to = addresseeView(callout, people).label;
    const cardIds = callout.cardId ? idsOf(callout.cardId) : NO_CARDS;
    const threadId = threads.threadOf(callout.cardId);
    const push = (suffix: string, kind: TimelineEventKind, at: number, actor: Person | null, text: string) => {
      const e = recordedEvent(`callout:${callout.id}:${suffix}`, kind, at, actor, text, cardIds, threadId);
      e.calloutId = callout.id;
      out.push(e);
    };
    const intent = callout.intent.trim() ? `; intends: ${callout.intent.trim()}` : '';
    const noticed = callout.noticedHow.trim() ? ` (noticed via ${callout.noticedHow.trim()})` : '';
    push('sent', 'callout-sent', callout.createdAt, from, `Callout to ${to} [${callout.urgency}]: ${callout.issue.trim()}${noticed}${intent}`);
    if (callout.acknowledgedAt !== undefined) {
      const by = callout.acknowledgedBy ? people.person(callout.acknowledgedBy.userId) : null;
      const readBack = callout.readBack?.trim() ? ` — read-back: ${quoted(callout.readBack.trim())}` : '';
      push('acknowledged', 'callout-acknowledged', callout.acknowledgedAt, by, `Acknowledged callout from ${from.name}${readBack}`);
    }
    if (callout.escalatedAt !== undefined) {
      push(
        'escalated',
        'callout-escalated',
        callout.escalatedAt,
        null,
        `Callout from ${from.name} to ${to} escalated: not acknowledged by its deadline`,
      );
    }
    if (callout.withdrawnAt !== undefined) {
      const reason = callout.withdrawReason?.trim() ? ` — ${callout.withdrawReason.trim()}` : '';
      push('withdrawn', 'callout-withdrawn', callout.withdrawnAt, from, `Withdrew callout to ${to}${reason}`);
    }
    if (callout.closedAt !== undefined) {
      const by = callout.closedBy ? people.person(callout.closedBy) : null;
      push('closed', 'callout-closed', callout.closedAt, by, `Closed callout from ${from.name} to ${to}`);
    }
  }
}

function successorOf(role: RoleAssignment, roles: readonly RoleAssignment[]): RoleAssignment | undefined {
  if (role.handedOverAt === undefined) return undefined;
  let best: RoleAssignment | undefined;
  for (const other of roles) {
    if (other.role !== role.role || other.id === role.id || other.userId === role.userId) continue;
    if (other.takenAt < role.handedOverAt) continue;
    if (!best || other.takenAt < best.takenAt) best = other;
  }
  return best && best.takenAt === role.handedOverAt ? best : undefined;
}

function roleEvents(ctx: EventContext, out: TimelineEvent[]): void {
  const { index, people } = ctx;
  for (const role of index.roles) {
    const holder = people.person(role.userId);
    const label = ROLE_LABEL[role.role];
    const selfAssigned = role.assignedBy === role.userId;
    const taken = recordedEvent(
      `role:${role.id}:taken`,
      'role-taken',
      role.takenAt,
      people.person(role.assignedBy),
      selfAssigned ? `Took the ${label} role` : `Made ${holder.name} ${label}`,
      NO_CARDS,
      GENERAL_THREAD_ID,
    );
    taken.role = role.role;
    out.push(taken);
    if (role.handedOverAt !== undefined) {
      const next = successorOf(role, index.roles);
      const handedOver = recordedEvent(
        `role:${role.id}:handed-over`,
        'role-handed-over',
        role.handedOverAt,
        holder,
        `Handed over the ${label} role${next ? ` to ${people.name(next.userId)}` : ''}`,
        NO_CARDS,
        GENERAL_THREAD_ID,
      );
      handedOver.role = role.role;
      out.push(handedOver);
    }
  }
}

function boardEvents(ctx: EventContext, out: TimelineEvent[]): void {
  const meta = ctx.index.snapshot.meta;
  out.push(
    recordedEvent(
      `board:${meta.id}:created`,
      'board-created',
      meta.createdAt,
      ctx.people.person(meta.createdBy),
      `Opened the board ${quoted(meta.title)}`,
      NO_CARDS,
      GENERAL_THREAD_ID,
    ),
  );
  if (meta.closedAt !== undefined) {
    const outcome = meta.outcome ? ` (outcome: ${OUTCOME_LABEL[meta.outcome]})` : '';
    out.push(recordedEvent(`board:${meta.id}:closed`, 'board-closed', meta.closedAt, null, `Board closed${outcome}`, NO_CARDS, GENERAL_THREAD_ID));
  }
}

export function collectEvents(ctx: EventContext): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  boardEvents(ctx, events);
  const idsOf = cardIdLists();
  cardEvents(ctx, events, idsOf);
  statusEvents(ctx, events, idsOf);
  linkEvents(ctx, events);
  calloutEvents(ctx, events, idsOf);
  roleEvents(ctx, events);
  return sortEvents(events);
}

/**
 * Same order as compareEvents, but the numeric keys are pulled into typed arrays first: with 70,000+
 * events the comparator then reads flat memory instead of chasing objects.
 */
function sortEvents(events: TimelineEvent[]): TimelineEvent[] {
  const n = events.length;
  const time = new Float64Array(n);
  const recorded = new Float64Array(n);
  const rank = new Uint8Array(n);
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const e = events[i] as TimelineEvent;
    time[i] = e.time ?? Infinity;
    recorded[i] = e.recordedAt ?? Infinity;
    rank[i] = KIND_RANK[e.kind];
    order[i] = i;
  }
  order.sort((a, b) => {
    const ta = time[a] as number;
    const tb = time[b] as number;
    if (ta !== tb) return ta < tb ? -1 : 1;
    const ra = recorded[a] as number;
    const rb = recorded[b] as number;
    if (ra !== rb) return ra < rb ? -1 : 1;
    const ka = rank[a] as number;
    const kb = rank[b] as number;
    if (ka !== kb) return ka - kb;
    return compareIds((events[a] as TimelineEvent).id, (events[b] as TimelineEvent).id);
  });
  const sorted = new Array<TimelineEvent>(n);
  for (let i = 0; i < n; i++) sorted[i] = events[order[i] as number] as TimelineEvent;
  return sorted;
}

