// Every record on the board becomes one or more events, put in timeline order (see event-order.ts).
//
// A big board has 70,000+ events, and allocation, not arithmetic, dominates building them: each event is
// one object literal in its final shape (kind-specific properties included, in the order the JSON export
// shows them, so no property is added later), the strings events share (a card's quoted title, its id
// list, a hypothesis's "Hypothesis "Title": " prefix) are made once per card and found by the card's
// position (see board-index.ts), not by a Map lookup per event, and the texts are cut from a few large
// strings (see text-slab.ts), to which their pieces go as they are, without a fragment string per text.
import type { Callout } from '../records/callout';
import type { Card, HypothesisStatus } from '../records/card';
import { HYPOTHESIS_STATUSES } from '../records/card';
import type { Link, LinkRelation } from '../records/link';
import type { RoleAssignment } from '../records/role';
import type { StatusChange } from '../records/status-change';
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

/** Kept by card position (index.cards), so events about existing cards find theirs without a Map lookup. */
class SharedPerCard {
  private readonly byPosition: (CardShared | undefined)[];
  private readonly deleted = new Map<string, CardShared>();

  constructor(private readonly ctx: EventContext) {
    this.byPosition = new Array<CardShared | undefined>(ctx.index.cards.length);
  }

  /** The card at `position` in index.cards, or, for position -1, the deleted card `cardId`. */
  at(position: number, cardId: string): CardShared {
    if (position < 0) return this.ofDeleted(cardId);
    let shared = this.byPosition[position];
    if (shared === undefined) {
      const card = this.ctx.index.cards[position] as Card;
      shared = {
        ids: Object.freeze([card.id]),
        label: flat(quoted(card.title)),
        threadId: this.ctx.threads.byPosition[position] as string,
        statusPrefix: undefined,
      };
      this.byPosition[position] = shared;
    }
    return shared;
  }

  of(cardId: string): CardShared {
    return this.at(this.ctx.index.positionById.get(cardId) ?? -1, cardId);
  }

  private ofDeleted(cardId: string): CardShared {
    let shared = this.deleted.get(cardId);
    if (shared === undefined) {
      shared = {
        ids: Object.freeze([cardId]),
        label: flat(cardLabel(this.ctx.index, cardId)),
        threadId: this.ctx.threads.threadOf(cardId),
        statusPrefix: undefined,
      };
      this.deleted.set(cardId, shared);
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

/** Adds the event; its text is then appended to the returned slab piece by piece. */
function emitInPieces(out: EventSink, event: TimelineEvent): TextSlab<TimelineEvent> {
  out.events.push(event);
  out.texts.start(event);
  return out.texts;
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

/** What the card-created event says, appended to the event's text piece by piece. */
function appendCardCreatedText(text: TextSlab<TimelineEvent>, card: Card, label: string, people: PeopleDirectory): void {
  switch (card.kind) {
    case 'theory':
      text.append('Proposed theory ');
      text.append(label);
      return;
    case 'hypothesis':
      text.append('Raised hypothesis ');
      text.append(label);
      return;
    case 'evidence':
      text.append('Evidence ');
      text.append(label);
      if (card.source) text.append(` (${card.source.kind}: ${clip(card.source.label || card.source.value)})`);
      return;
    case 'action':
      text.append('Planned action ');
      text.append(label);
      if (card.owner) text.append(` (owner: ${people.name(card.owner)})`);
      return;
    case 'question':
      text.append('Asked ');
      text.append(label);
      return;
    case 'note':
      text.append('Noted ');
      text.append(label);
      return;
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
  const { ids: cardIds, threadId } = shared;
  // Only a third, distinct time is worth carrying.
  const noticedAt = evidence ? validTime(card.noticedAt) : undefined;
  const kind = 'card-created';
  const cardKind = card.kind;
  const event: TimelineEvent =
    noticedAt !== undefined && noticedAt !== time && noticedAt !== recordedAt
      ? { id, time, timeSource, recordedAt, actor, kind, text: '', cardIds, threadId, cardKind, noticedAt }
      : { id, time, timeSource, recordedAt, actor, kind, text: '', cardIds, threadId, cardKind };
  appendCardCreatedText(emitInPieces(out, event), card, shared.label, people);
}

function cardEvents(ctx: EventContext, perCard: SharedPerCard, out: EventSink): void {
  const { index, people } = ctx;
  const cards = index.cards;
  for (let i = 0; i < cards.length; i++) {
    const card = cards[i] as Card;
    const shared = perCard.at(i, card.id);
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
  const { statusLog, statusCardPositions } = index;
  for (let i = 0; i < statusLog.length; i++) {
    const change = statusLog[i] as StatusChange;
    const shared = perCard.at(statusCardPositions[i] as number, change.cardId);
    const prefix = (shared.statusPrefix ??= flat(`Hypothesis ${shared.label}: `));
    const time = validTime(change.at) ?? null;
    const reason = change.reason.trim();
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
    const text = emitInPieces(out, event);
    text.append(prefix);
    if (reason) {
      text.append(TRANSITION_THEN_REASON[change.from][change.to]);
      text.append(reason);
    } else {
      text.append(TRANSITION_TEXT[change.from][change.to]);
    }
  }
}

/** " supports ", " is part of ", …: what stands between the two cards' labels. */
const RELATION_BETWEEN = Object.fromEntries(
  Object.entries(RELATION_LABEL).map(([relation, label]) => [relation, ` ${label} `]),
) as Record<LinkRelation, string>;

function linkEvents(ctx: EventContext, perCard: SharedPerCard, out: EventSink): void {
  const { index, people } = ctx;
  const { links, linkFromPositions, linkToPositions } = index;
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Link;
    const from = perCard.at(linkFromPositions[i] as number, link.from);
    const to = perCard.at(linkToPositions[i] as number, link.to);
    const time = validTime(link.createdAt) ?? null;
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
    const text = emitInPieces(out, event);
    text.append(from.label);
    text.append(RELATION_BETWEEN[link.relation]);
    text.append(to.label);
    const note = link.note?.trim();
    if (note) {
      text.append(' — ');
      text.append(note);
    }
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
