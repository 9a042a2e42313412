// What a reviewer looks for beyond the event list: false leads, contributors and enablers, mitigators,
// the triggering event, follow-ups and open questions.
import type { Card } from '../records/card';
import type { Link, LinkRelation } from '../records/link';
import type { BoardIndex } from './board-index';
import { hypothesisStatusOf } from './board-index';
import type { PeopleDirectory } from './people';
import type { ThreadAssignment } from './threads';
import { compareIds, validTime } from './time';
import type {
  CardRef,
  Contributor,
  ContributorRole,
  FalseLead,
  FollowUp,
  Mitigator,
  OpenQuestion,
  TimelineEvent,
  TriggeringEvent,
} from './types';

function cardRef(index: BoardIndex, cardId: string): CardRef {
  return { cardId, title: index.cardsById.get(cardId)?.title ?? `(deleted card ${cardId})` };
}

/** When a card's content happened: evidence observedAt when known, else createdAt. */
export function cardTime(card: Card): number | undefined {
  return (card.kind === 'evidence' ? validTime(card.observedAt) : undefined) ?? validTime(card.createdAt);
}

function byCardTime(a: Card, b: Card): number {
  const ta = cardTime(a) ?? Infinity;
  const tb = cardTime(b) ?? Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return compareIds(a.id, b.id);
}

/** Hypotheses the board ends with as ruled out, and what they cost. */
export function findFalseLeads(index: BoardIndex, people: PeopleDirectory, threads: ThreadAssignment): FalseLead[] {
  const leads: FalseLead[] = [];
  const refuters = refutersByPosition(index);
  for (let i = 0; i < index.cards.length; i++) {
    const card = index.cards[i] as Card;
    if (card.kind !== 'hypothesis' || hypothesisStatusOf(card) !== 'ruled-out') continue;
    const ruling = index.firstRuledOut.get(card.id);
    const ruledOutAt = validTime(ruling?.at) ?? null;
    const raisedAt = validTime(card.createdAt) ?? null;
    const refutedBy = (refuters[i] ?? []).map((from) => cardRef(index, from));
    leads.push({
      cardId: card.id,
      title: card.title,
      raisedBy: people.person(card.author),
      raisedAt,
      ruledOutAt,
      ruledOutBy: ruling ? people.person(ruling.by) : null,
      costMs: ruledOutAt !== null && raisedAt !== null ? ruledOutAt - raisedAt : null,
      reason: ruling?.reason.trim() ?? '',
      refutedBy,
      threadId: threads.threadOf(card.id),
    });
  }
  // index.cards is already in (createdAt, id) order, so the leads are too.
  return leads;
}

/** Ids of the cards with a `refutes` link to each card, in link order, by the card's position. */
function refutersByPosition(index: BoardIndex): (string[] | undefined)[] {
  const refuters = new Array<string[] | undefined>(index.cards.length);
  const { links, linkToPositions } = index;
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Link;
    const to = linkToPositions[i] as number;
    if (link.relation !== 'refutes' || to < 0) continue;
    (refuters[to] ??= []).push(link.from);
  }
  return refuters;
}

const CONTRIBUTOR_ROLE: Partial<Record<LinkRelation, ContributorRole>> = {
  triggers: 'trigger',
  enables: 'enabler',
  'leads-to': 'led-to',
};

/**
 * Sources of `triggers`, `enables` and `leads-to` links, and confirmed hypotheses. A hypothesis the team
 * ruled out is not a contributor even if someone linked it before ruling it out.
 */
export function findContributors(index: BoardIndex, people: PeopleDirectory): Contributor[] {
  const found = new Map<string, { card: Card; roles: Set<ContributorRole>; affects: string[] }>();
  const entry = (card: Card) => {
    let e = found.get(card.id);
    if (!e) {
      e = { card, roles: new Set(), affects: [] };
      found.set(card.id, e);
    }
    return e;
  };
  const { cards, links, linkFromPositions, linkToPositions } = index;
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Link;
    const role = CONTRIBUTOR_ROLE[link.relation];
    const from = linkFromPositions[i] as number;
    if (!role || from < 0 || (linkToPositions[i] as number) < 0) continue;
    const card = cards[from] as Card;
    if (card.kind === 'hypothesis' && hypothesisStatusOf(card) === 'ruled-out') continue;
    const e = entry(card);
    e.roles.add(role);
    if (!e.affects.includes(link.to)) e.affects.push(link.to);
  }
  for (const card of index.cards) {
    if (card.kind === 'hypothesis' && hypothesisStatusOf(card) === 'confirmed') entry(card).roles.add('confirmed-hypothesis');
  }
  const order: readonly ContributorRole[] = ['trigger', 'enabler', 'led-to', 'confirmed-hypothesis'];
  return [...found.values()]
    .sort((a, b) => byCardTime(a.card, b.card))
    .map(({ card, roles, affects }) => ({
      cardId: card.id,
      kind: card.kind,
      title: card.title,
      roles: order.filter((r) => roles.has(r)),
      affects: affects.map((id) => cardRef(index, id)),
      author: people.person(card.author),
    }));
}

/** Sources of `mitigates` links: what limited or ended the impact (an action, with when it was done). */
export function findMitigators(index: BoardIndex, people: PeopleDirectory): Mitigator[] {
  const found = new Map<string, { card: Card; mitigates: string[] }>();
  const { cards, links, linkFromPositions, linkToPositions } = index;
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Link;
    if (link.relation !== 'mitigates') continue;
    const from = linkFromPositions[i] as number;
    if (from < 0 || (linkToPositions[i] as number) < 0) continue;
    const card = cards[from] as Card;
    const e = found.get(card.id) ?? { card, mitigates: [] };
    found.set(card.id, e);
    if (!e.mitigates.includes(link.to)) e.mitigates.push(link.to);
  }
  return [...found.values()]
    .sort((a, b) => byCardTime(a.card, b.card))
    .map(({ card, mitigates }) => {
      const m: Mitigator = {
        cardId: card.id,
        kind: card.kind,
        title: card.title,
        mitigates: mitigates.map((id) => cardRef(index, id)),
        author: people.person(card.author),
      };
      if (card.kind === 'action') {
        if (card.actionState) m.actionState = card.actionState;
        const doneAt = validTime(card.doneAt);
        if (card.actionState === 'done' && doneAt !== undefined) m.doneAt = doneAt;
        if (card.owner) m.owner = people.person(card.owner);
      }
      return m;
    });
}

export function findFollowUps(index: BoardIndex, people: PeopleDirectory): FollowUp[] {
  const out: FollowUp[] = [];
  for (const card of index.cards) {
    if (card.followUp !== true) continue;
    const f: FollowUp = { cardId: card.id, kind: card.kind, title: card.title, author: people.person(card.author) };
    if (card.owner) f.owner = people.person(card.owner);
    if (card.kind === 'action' && card.actionState) f.actionState = card.actionState;
    out.push(f);
  }
  return out;
}

export function findOpenQuestions(index: BoardIndex, people: PeopleDirectory): OpenQuestion[] {
  return index.cards
    .filter((c) => c.kind === 'question' && c.answered !== true)
    .map((c) => ({ cardId: c.id, title: c.title, askedBy: people.person(c.author), askedAt: validTime(c.createdAt) ?? null }));
}

/** The source of the earliest `triggers` link's card; failing that, the earliest evidence. */
export function findTriggeringEvent(index: BoardIndex): TriggeringEvent | null {
  const triggers = new Map<string, string[]>();
  const { links, linkFromPositions, linkToPositions } = index;
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Link;
    if (link.relation !== 'triggers' || (linkFromPositions[i] as number) < 0 || (linkToPositions[i] as number) < 0) continue;
    const list = triggers.get(link.from) ?? [];
    triggers.set(link.from, list);
    if (!list.includes(link.to)) list.push(link.to);
  }
  let best: Card | undefined;
  for (const id of triggers.keys()) {
    const card = index.cardsById.get(id);
    if (card && (!best || byCardTime(card, best) < 0)) best = card;
  }
  if (best) {
    return {
      cardId: best.id,
      title: best.title,
      time: cardTime(best) ?? null,
      basis: 'trigger-link',
      triggers: (triggers.get(best.id) ?? []).map((id) => cardRef(index, id)),
    };
  }
  for (const card of index.cards) {
    if (card.kind !== 'evidence') continue;
    if (!best || byCardTime(card, best) < 0) best = card;
  }
  return best
    ? { cardId: best.id, title: best.title, time: cardTime(best) ?? null, basis: 'first-evidence', triggers: [] }
    : null;
}

/**
 * First event to close (or last event, for a board still open). The events are in timeline order, with
 * the untimed ones last, so the earliest and latest times are those of the first and last timed events.
 */
export function findSpan(index: BoardIndex, events: readonly TimelineEvent[]): { start: number | null; end: number | null; durationMs: number | null } {
  const start = events.length > 0 ? (events[0] as TimelineEvent).time : null;
  let last: number | null = null;
  for (let i = events.length - 1; i >= 0 && last === null; i--) last = (events[i] as TimelineEvent).time;
  const end = validTime(index.snapshot.meta.closedAt) ?? last;
  return { start, end, durationMs: start !== null && end !== null ? end - start : null };
}
