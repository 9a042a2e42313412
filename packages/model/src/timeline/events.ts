// Every record on the board becomes one or more events, put in timeline order (see event-order.ts).
//
// A big board has 70,000+ events, and allocation, not arithmetic, dominates building them: each event is
// one object literal in its final shape (kind-specific properties included, in the order the JSON export
// shows them, so no property is added later), the strings events share (a card's quoted title, its id
// list) are made once per card, and each text is made flat once (see flatText).
import type { Callout } from '../records/callout';
import type { Card, HypothesisStatus } from '../records/card';
import { HYPOTHESIS_STATUSES } from '../records/card';
import type { RoleAssignment } from '../records/role';
import type { BoardIndex } from './board-index';
import { sortEvents } from './event-order';
import { clip, OUTCOME_LABEL, quoted, RELATION_LABEL, ROLE_LABEL, STATUS_LABEL } from './labels';
import type { PeopleDirectory } from './people';
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
}

class SharedPerCard {
  private readonly known = new Map<string, CardShared>();

  constructor(private readonly ctx: EventContext) {}

  of(cardId: string): CardShared {
    let shared = this.known.get(cardId);
    if (shared === undefined) {
      shared = {
        ids: Object.freeze([cardId]),
        label: cardLabel(this.ctx.index, cardId),
        threadId: this.ctx.threads.threadOf(cardId),
      };
      this.known.set(cardId, shared);
    }
    return shared;
  }
}

const NO_CARDS: readonly string[] = Object.freeze([]);

/**
 * The text as one flat string. A string built with `+` or a template is a tree of fragments until its
 * characters are first read, and then the engine copies it into a flat string. Doing that here, while the
 * fragments are still in the CPU cache, costs little; left to the exporters (escaping, JSON.stringify)
 * the same 70,000 copies come later, from cold memory: measured on the benchmark board, the Markdown
 * export then took 50–70 ms longer, more than this costs the build.
 */
function flatText(text: string): string {
  ANY_CHARACTER_READ.test(text);
  return text;
}

/** Never matches; any regular-expression test needs the flat string. */
const ANY_CHARACTER_READ = /\uFFFF\uFFFF/;

/** An event with no kind-specific property, recorded when it happened. */
function plainEvent(
  id: string,
  kind: TimelineEventKind,
  at: number | undefined,
  actor: Person | null,
  text: string,
  cardIds: readonly string[],
  threadId: string,
): TimelineEvent {
  const time = validTime(at) ?? null;
  return { id, time, timeSource: 'recorded', recordedAt: time, actor, kind, text, cardIds, threadId };
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
function cardCreated(card: Card, shared: CardShared, people: PeopleDirectory): TimelineEvent {
  const evidence = card.kind === 'evidence';
  const observedAt = evidence ? validTime(card.observedAt) : undefined;
  const recordedAt = validTime(card.createdAt) ?? null;
  const time = observedAt ?? recordedAt;
  const id = `card:${card.id}`;
  const timeSource = observedAt !== undefined ? 'observed' : 'recorded';
  const actor = people.person(card.author);
  const text = flatText(cardCreatedText(card, shared.label, people));
  const { ids: cardIds, threadId } = shared;
  // Only a third, distinct time is worth carrying.
  const noticedAt = evidence ? validTime(card.noticedAt) : undefined;
  if (noticedAt !== undefined && noticedAt !== time && noticedAt !== recordedAt) {
    return { id, time, timeSource, recordedAt, actor, kind: 'card-created', text, cardIds, threadId, cardKind: card.kind, noticedAt };
  }
  return { id, time, timeSource, recordedAt, actor, kind: 'card-created', text, cardIds, threadId, cardKind: card.kind };
}

function cardEvents(ctx: EventContext, perCard: SharedPerCard, out: TimelineEvent[]): void {
  const { index, people } = ctx;
  for (const card of index.cards) {
    const shared = perCard.of(card.id);
    out.push(cardCreated(card, shared, people));
    if (card.kind === 'action' && card.actionState === 'done' && validTime(card.doneAt) !== undefined) {
      const actor = people.person(card.owner ?? card.author);
      const text = flatText(`Done: ${shared.label}`);
      out.push(plainEvent(`done:${card.id}`, 'action-done', card.doneAt, actor, text, shared.ids, shared.threadId));
    }
  }
}

const TRANSITION_TEXT = Object.fromEntries(
  HYPOTHESIS_STATUSES.map((from) => [
    from,
    Object.fromEntries(HYPOTHESIS_STATUSES.map((to) => [to, `${STATUS_LABEL[from]} → ${STATUS_LABEL[to]}`])),
  ]),
) as Record<HypothesisStatus, Record<HypothesisStatus, string>>;

function statusEvents(ctx: EventContext, perCard: SharedPerCard, out: TimelineEvent[]): void {
  const { index, people } = ctx;
  for (const change of index.statusLog) {
    const { ids: cardIds, label, threadId } = perCard.of(change.cardId);
    const time = validTime(change.at) ?? null;
    const reason = change.reason.trim();
    const transition = TRANSITION_TEXT[change.from][change.to];
    out.push({
      id: `status:${change.id}`,
      time,
      timeSource: 'recorded',
      recordedAt: time,
      actor: people.person(change.by),
      kind: 'hypothesis-status-changed',
      text: flatText(`Hypothesis ${label}: ${transition}${reason ? ` — ${reason}` : ''}`),
      cardIds,
      threadId,
      statusFrom: change.from,
      statusTo: change.to,
    });
  }
}

function linkEvents(ctx: EventContext, perCard: SharedPerCard, out: TimelineEvent[]): void {
  const { index, people } = ctx;
  for (const link of index.links) {
    const from = perCard.of(link.from);
    const to = perCard.of(link.to);
    const time = validTime(link.createdAt) ?? null;
    const note = link.note?.trim() ? ` — ${link.note.trim()}` : '';
    out.push({
      id: `link:${link.id}`,
      time,
      timeSource: 'recorded',
      recordedAt: time,
      actor: people.person(link.author),
      kind: 'link-created',
      text: flatText(`${from.label} ${RELATION_LABEL[link.relation]} ${to.label}${note}`),
      cardIds: [link.from, link.to],
      threadId: from.threadId !== GENERAL_THREAD_ID ? from.threadId : to.threadId,
      relation: link.relation,
    });
  }
}

function calloutEvents(ctx: EventContext, perCard: SharedPerCard, out: TimelineEvent[]): void {
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
      out.push({ id, time, timeSource: 'recorded', recordedAt: time, actor, kind, text: flatText(text), cardIds, threadId, calloutId });
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

function roleEvent(id: string, kind: TimelineEventKind, at: number, actor: Person, text: string, role: RoleAssignment['role']): TimelineEvent {
  const time = validTime(at) ?? null;
  const threadId = GENERAL_THREAD_ID;
  return { id, time, timeSource: 'recorded', recordedAt: time, actor, kind, text: flatText(text), cardIds: NO_CARDS, threadId, role };
}

function roleEvents(ctx: EventContext, out: TimelineEvent[]): void {
  const { index, people } = ctx;
  for (const role of index.roles) {
    const holder = people.person(role.userId);
    const label = ROLE_LABEL[role.role];
    const assigner = people.person(role.assignedBy);
    const taken = role.assignedBy === role.userId ? `Took the ${label} role` : `Made ${holder.name} ${label}`;
    out.push(roleEvent(`role:${role.id}:taken`, 'role-taken', role.takenAt, assigner, taken, role.role));
    if (role.handedOverAt !== undefined) {
      const next = successorOf(role, index.roles);
      const handedOver = `Handed over the ${label} role${next ? ` to ${people.name(next.userId)}` : ''}`;
      out.push(roleEvent(`role:${role.id}:handed-over`, 'role-handed-over', role.handedOverAt, holder, handedOver, role.role));
    }
  }
}

function boardEvents(ctx: EventContext, out: TimelineEvent[]): void {
  const meta = ctx.index.snapshot.meta;
  const opener = ctx.people.person(meta.createdBy);
  const opened = `Opened the board ${quoted(meta.title)}`;
  out.push(plainEvent(`board:${meta.id}:created`, 'board-created', meta.createdAt, opener, opened, NO_CARDS, GENERAL_THREAD_ID));
  if (meta.closedAt !== undefined) {
    const closed = `Board closed${meta.outcome ? ` (outcome: ${OUTCOME_LABEL[meta.outcome]})` : ''}`;
    out.push(plainEvent(`board:${meta.id}:closed`, 'board-closed', meta.closedAt, null, closed, NO_CARDS, GENERAL_THREAD_ID));
  }
}

export function collectEvents(ctx: EventContext): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const perCard = new SharedPerCard(ctx);
  boardEvents(ctx, events);
  cardEvents(ctx, perCard, events);
  statusEvents(ctx, perCard, events);
  linkEvents(ctx, perCard, events);
  calloutEvents(ctx, perCard, events);
  roleEvents(ctx, events);
  return sortEvents(events);
}
