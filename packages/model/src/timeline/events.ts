// Every record on the board becomes one or more events, put in timeline order (see event-order.ts).
//
// A big board has 70,000+ events, and allocation, not arithmetic, dominates building them: each event is
// one object literal in its final shape (kind-specific properties included, in the order the JSON export
// shows them, so no property is added later), the strings events share (a card's quoted title, its id
// list, a hypothesis's "Hypothesis "Title": " prefix) are made once per card, and the texts are cut from
// a few large strings (see text-slab.ts).
import type { Callout } from '../records/callout';
import type { Card, HypothesisStatus } from '../records/card';
import { HYPOTHESIS_STATUSES } from '../records/card';
import type { RoleAssignment } from '../records/role';
import type { BoardIndex } from './board-index';
import { sortEvents } from './event-order';
import { clip, OUTCOME_LABEL, quoted, RELATION_LABEL, ROLE_LABEL, STATUS_LABEL } from './labels';
import type { PeopleDirectory } from './people';
import { flat } from './flat-string';
import { TextSlab } from './text-slab';
import type { ThreadAssignment } from './threads';
import { validTime } from './time';
import type { CalloutAddresseeView, Person, TimelineEvent, TimelineEventKind } from './types';
import { GENERAL_THREAD_ID } from './types';

export { compareEvents } from './event-order';

export interface EventContext {
  index: BoardIndex;
  people: PeopleDirectory;
  threads: ThreadAssignment;
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
 * What every event about one card shares, made once per card: a hypothesis with 20 status changes has
 * one `[cardId]` list and one quoted title, not 21.
 */
interface CardShared {
  /** `[cardId]`, frozen because every event about the card holds the same list. */
  ids: readonly string[];
  /** `"Title"`, or the deleted-card marker. */
  label: string;
  threadId: string;
  /** `Hypothesis "Title": `, made when the card's first status change needs it. */
  statusPrefix: string | undefined;
}

class SharedPerCard {
  private readonly known = new Map<string, CardShared>();

  constructor(private readonly ctx: EventContext) {}

  of(cardId: string): CardShared {
    let shared = this.known.get(cardId);
    if (shared === undefined) {
      shared = {
        ids: Object.freeze([cardId]),
        label: flat(cardLabel(this.ctx.index, cardId)),
        threadId: this.ctx.threads.threadOf(cardId),
        statusPrefix: undefined,
      };
      this.known.set(cardId, shared);
    }
    return shared;
  }
}

const NO_CARDS: readonly string[] = Object.freeze([]);

/** Where the events and their texts are collected. */
interface EventSink {
  events: TimelineEvent[];
  texts: TextSlab<TimelineEvent>;
}

function emit(out: EventSink, event: TimelineEvent, text: string): void {
  out.events.push(event);
  out.texts.add(event, text);
}

/** An event with no kind-specific property, recorded when it happened. */
function plainEvent(
  out: EventSink,
  id: string,
  kind: TimelineEventKind,
  at: number | undefined,
  actor: Person | null,
  text: string,
  cardIds: readonly string[],
  threadId: string,
): void {
  const time = validTime(at) ?? null;
  emit(out, { id, time, timeSource: 'recorded', recordedAt: time, actor, kind, text: '', cardIds, threadId }, text);
}

function cardCreatedText(card: Card, label: string, people: PeopleDirectory): string {
  switch (card.kind) {
    case 'theory':
      return `Proposed theory ${label}`;
    case 'hypothesis':
      return `Raised hypothesis ${label}`;
    case 'evidence': {
      const source = card.source ? ` (${card.source.kind}: ${clip(card.source.label || card.source.value)})` : '';
      return `Evidence ${label}${source}`;
    }
    case 'action':
      return `Planned action ${label}${card.owner ? ` (owner: ${people.name(card.owner)})` : ''}`;
    case 'question':
      return `Asked ${label}`;
    case 'note':
      return `Noted ${label}`;
  }
}

/** Evidence is placed when it was observed, when known; everything else when it was posted. */
function cardCreated(out: EventSink, card: Card, shared: CardShared, people: PeopleDirectory): void {
  const evidence = card.kind === 'evidence';
  const observedAt = evidence ? validTime(card.observedAt) : undefined;
  const recordedAt = validTime(card.createdAt) ?? null;
  const time = observedAt ?? recordedAt;
  const id = `card:${card.id}`;
  const timeSource = observedAt !== undefined ? 'observed' : 'recorded';
  const actor = people.person(card.author);
  const text = cardCreatedText(card, shared.label, people);
  const { ids: cardIds, threadId } = shared;
  // Only a third, distinct time is worth carrying.
  const noticedAt = evidence ? validTime(card.noticedAt) : undefined;
  const kind = 'card-created';
  const cardKind = card.kind;
  if (noticedAt !== undefined && noticedAt !== time && noticedAt !== recordedAt) {
    emit(out, { id, time, timeSource, recordedAt, actor, kind, text: '', cardIds, threadId, cardKind, noticedAt }, text);
  } else {
    emit(out, { id, time, timeSource, recordedAt, actor, kind, text: '', cardIds, threadId, cardKind }, text);
  }
}

function cardEvents(ctx: EventContext, perCard: SharedPerCard, out: EventSink): void {
  const { index, people } = ctx;
  for (const card of index.cards) {
    const shared = perCard.of(card.id);
    cardCreated(out, card, shared, people);
    if (card.kind === 'action' && card.actionState === 'done' && validTime(card.doneAt) !== undefined) {
      const actor = people.person(card.owner ?? card.author);
      plainEvent(out, `done:${card.id}`, 'action-done', card.doneAt, actor, `Done: ${shared.label}`, shared.ids, shared.threadId);
    }
  }
}

/** "open → investigating", and the same followed by " — " for when a reason comes after it. */
function transitionTexts(separator: string): Record<HypothesisStatus, Record<HypothesisStatus, string>> {
  return Object.fromEntries(
    HYPOTHESIS_STATUSES.map((from) => [
      from,
      Object.fromEntries(HYPOTHESIS_STATUSES.map((to) => [to, `${STATUS_LABEL[from]} → ${STATUS_LABEL[to]}${separator}`])),
    ]),
  ) as Record<HypothesisStatus, Record<HypothesisStatus, string>>;
}

const TRANSITION_TEXT = transitionTexts('');
const TRANSITION_THEN_REASON = transitionTexts(' — ');

function statusEvents(ctx: EventContext, perCard: SharedPerCard, out: EventSink): void {
  const { index, people } = ctx;
  for (const change of index.statusLog) {
    const shared = perCard.of(change.cardId);
    const prefix = (shared.statusPrefix ??= flat(`Hypothesis ${shared.label}: `));
    const time = validTime(change.at) ?? null;
    const reason = change.reason.trim();
    const text = reason
      ? prefix + TRANSITION_THEN_REASON[change.from][change.to] + reason
      : prefix + TRANSITION_TEXT[change.from][change.to];
    const event: TimelineEvent = {
      id: `status:${change.id}`,
      time,
      timeSource: 'recorded',
      recordedAt: time,
      actor: people.person(change.by),
      kind: 'hypothesis-status-changed',
      text: '',
      cardIds: shared.ids,
      threadId: shared.threadId,
      statusFrom: change.from,
      statusTo: change.to,
    };
    emit(out, event, text);
  }
}

function linkEvents(ctx: EventContext, perCard: SharedPerCard, out: EventSink): void {
  const { index, people } = ctx;
  for (const link of index.links) {
    const from = perCard.of(link.from);
    const to = perCard.of(link.to);
    const time = validTime(link.createdAt) ?? null;
    const note = link.note?.trim() ? ` — ${link.note.trim()}` : '';
    const event: TimelineEvent = {
      id: `link:${link.id}`,
      time,
      timeSource: 'recorded',
      recordedAt: time,
      actor: people.person(link.author),
      kind: 'link-created',
      text: '',
      cardIds: [link.from, link.to],
      threadId: from.threadId !== GENERAL_THREAD_ID ? from.threadId : to.threadId,
      relation: link.relation,
    };
    emit(out, event, `${from.label} ${RELATION_LABEL[link.relation]} ${to.label}${note}`);
  }
}

function calloutEvents(ctx: EventContext, perCard: SharedPerCard, out: EventSink): void {
  const { people, threads } = ctx;
  for (const callout of ctx.index.callouts) {
    const from = people.person(callout.from.userId);
    const to = addresseeView(callout, people).label;
    const cardIds = callout.cardId ? perCard.of(callout.cardId).ids : NO_CARDS;
    const threadId = threads.threadOf(callout.cardId);
    const push = (suffix: string, kind: TimelineEventKind, at: number, actor: Person | null, text: string) => {
      const time = validTime(at) ?? null;
      const id = `callout:${callout.id}:${suffix}`;
      const calloutId = callout.id;
      emit(out, { id, time, timeSource: 'recorded', recordedAt: time, actor, kind, text: '', cardIds, threadId, calloutId }, text);
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

function roleEvent(
  out: EventSink,
  id: string,
  kind: TimelineEventKind,
  at: number,
  actor: Person,
  text: string,
  role: RoleAssignment['role'],
): void {
  const time = validTime(at) ?? null;
  const threadId = GENERAL_THREAD_ID;
  emit(out, { id, time, timeSource: 'recorded', recordedAt: time, actor, kind, text: '', cardIds: NO_CARDS, threadId, role }, text);
}

function roleEvents(ctx: EventContext, out: EventSink): void {
  const { index, people } = ctx;
  for (const role of index.roles) {
    const holder = people.person(role.userId);
    const label = ROLE_LABEL[role.role];
    const assigner = people.person(role.assignedBy);
    const taken = role.assignedBy === role.userId ? `Took the ${label} role` : `Made ${holder.name} ${label}`;
    roleEvent(out, `role:${role.id}:taken`, 'role-taken', role.takenAt, assigner, taken, role.role);
    if (role.handedOverAt !== undefined) {
      const next = successorOf(role, index.roles);
      const handedOver = `Handed over the ${label} role${next ? ` to ${people.name(next.userId)}` : ''}`;
      roleEvent(out, `role:${role.id}:handed-over`, 'role-handed-over', role.handedOverAt, holder, handedOver, role.role);
    }
  }
}

function boardEvents(ctx: EventContext, out: EventSink): void {
  const meta = ctx.index.snapshot.meta;
  const opener = ctx.people.person(meta.createdBy);
  const opened = `Opened the board ${quoted(meta.title)}`;
  plainEvent(out, `board:${meta.id}:created`, 'board-created', meta.createdAt, opener, opened, NO_CARDS, GENERAL_THREAD_ID);
  if (meta.closedAt !== undefined) {
    const closed = `Board closed${meta.outcome ? ` (outcome: ${OUTCOME_LABEL[meta.outcome]})` : ''}`;
    plainEvent(out, `board:${meta.id}:closed`, 'board-closed', meta.closedAt, null, closed, NO_CARDS, GENERAL_THREAD_ID);
  }
}

export function collectEvents(ctx: EventContext): TimelineEvent[] {
  const out: EventSink = { events: [], texts: new TextSlab() };
  const perCard = new SharedPerCard(ctx);
  boardEvents(ctx, out);
  cardEvents(ctx, perCard, out);
  statusEvents(ctx, perCard, out);
  linkEvents(ctx, perCard, out);
  calloutEvents(ctx, perCard, out);
  roleEvents(ctx, out);
  out.texts.finish();
  return sortEvents(out.events);
}
