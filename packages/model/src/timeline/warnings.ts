// Coherence checks: things a reviewer should know before trusting the timeline. Each warning names a
// stable code (for the UI), a sentence, and the cards involved.
import type { Card } from '../records/card';
import type { Link } from '../records/link';
import type { StatusChange } from '../records/status-change';
import type { BoardIndex } from './board-index';
import { hypothesisStatusOf } from './board-index';
import { formatDuration } from './duration';
import { STATUS_LABEL } from './labels';
import type { PeopleDirectory } from './people';
import { validTime } from './time';
import type { CoherenceWarning, TimelineCallout, TimelineEvent } from './types';

export interface WarningSettings {
  clockSkewThresholdMs: number;
  now?: number;
}

function title(index: BoardIndex, cardId: string): string {
  const card = index.cardsById.get(cardId);
  return card ? `"${card.title}"` : `card ${cardId}`;
}

export function checkCoherence(
  index: BoardIndex,
  people: PeopleDirectory,
  events: readonly TimelineEvent[],
  callouts: readonly TimelineCallout[],
  settings: WarningSettings,
): CoherenceWarning[] {
  const warnings: CoherenceWarning[] = [];
  const add = (code: CoherenceWarning['code'], message: string, cardIds?: string[]) =>
    warnings.push(cardIds && cardIds.length > 0 ? { code, message, cardIds } : { code, message });
  const skew = settings.clockSkewThresholdMs;
  const resolved = index.snapshot.meta.status === 'resolved';

  for (const card of index.cards) {
    if (card.kind === 'evidence' && validTime(card.observedAt) === undefined) {
      add(
        'evidence-without-observed-at',
        `Evidence "${card.title}" has no time it was observed; it is placed at the time it was posted.`,
        [card.id],
      );
    }
  }

  for (const card of index.cards) {
    if (card.kind !== 'hypothesis') continue;
    const status = hypothesisStatusOf(card);
    if (status === 'ruled-out' || status === 'confirmed') continue;
    add(
      'hypothesis-unresolved',
      resolved
        ? `Hypothesis "${card.title}" was still ${STATUS_LABEL[status]} when the board was resolved.`
        : `Hypothesis "${card.title}" is still ${STATUS_LABEL[status]}: neither confirmed nor ruled out.`,
      [card.id],
    );
  }

  for (const c of callouts) {
    if (!c.unacknowledged) continue;
    add(
      'callout-unacknowledged',
      `Callout from ${c.from.name} to ${c.to.label} ("${c.issue}") was never acknowledged${c.escalated ? ', even after escalation' : ''}.`,
      c.cardId ? [c.cardId] : undefined,
    );
  }

  for (let i = 0; i < index.links.length; i++) {
    const fromExists = (index.linkFromPositions[i] as number) >= 0;
    const toExists = (index.linkToPositions[i] as number) >= 0;
    if (fromExists && toExists) continue;
    const link = index.links[i] as Link;
    const missing = fromExists ? [link.to] : toExists ? [link.from] : [link.from, link.to];
    add(
      'link-to-deleted-card',
      `A "${link.relation}" link from ${title(index, link.from)} to ${title(index, link.to)} points at a deleted card.`,
      missing,
    );
  }
  for (let i = 0; i < index.statusLog.length; i++) {
    if ((index.statusCardPositions[i] as number) >= 0) continue;
    const change = index.statusLog[i] as StatusChange;
    add('reference-to-deleted-card', `A status change (${change.from} → ${change.to}) refers to deleted card ${change.cardId}.`, [
      change.cardId,
    ]);
  }
  for (const c of callouts) {
    if (c.cardId === undefined || index.cardsById.has(c.cardId)) continue;
    add('reference-to-deleted-card', `Callout from ${c.from.name} ("${c.issue}") refers to deleted card ${c.cardId}.`, [
      c.cardId,
    ]);
  }

  checkOrder(index, callouts, skew, add);
  checkClocks(index, people, settings, add);

  // Events without a valid time are the last ones in timeline order.
  let firstUntimed = events.length;
  while (firstUntimed > 0 && (events[firstUntimed - 1] as TimelineEvent).time === null) firstUntimed--;
  for (let i = firstUntimed; i < events.length; i++) {
    const e = events[i] as TimelineEvent;
    add('invalid-time', `An event has no valid time and is listed last: ${e.text}`, [...e.cardIds]);
  }
  return warnings;
}

type Add = (code: CoherenceWarning['code'], message: string, cardIds?: string[]) => void;

/** Times that contradict each other: effects before causes, beyond what clock skew explains. */
function checkOrder(index: BoardIndex, callouts: readonly TimelineCallout[], skew: number, add: Add): void {
  for (let i = 0; i < index.statusLog.length; i++) {
    const position = index.statusCardPositions[i] as number;
    if (position < 0) continue;
    const card = index.cards[position] as Card;
    const change = index.statusLog[i] as StatusChange;
    const raisedAt = validTime(card.createdAt);
    if (raisedAt === undefined || change.at >= raisedAt) continue;
    const what = change.to === 'ruled-out' ? 'ruled out' : `marked ${STATUS_LABEL[change.to]}`;
    add(
      'time-out-of-order',
      `Hypothesis "${card.title}" was ${what} ${formatDuration(raisedAt - change.at)} before it was raised.`,
      [card.id],
    );
  }
  for (const card of index.cards) {
    const recordedAt = validTime(card.createdAt);
    if (card.kind !== 'evidence' || recordedAt === undefined) continue;
    const observedAt = validTime(card.observedAt);
    if (observedAt !== undefined && observedAt - recordedAt > skew) {
      add(
        'time-out-of-order',
        `Evidence "${card.title}" is said to be observed ${formatDuration(observedAt - recordedAt)} after it was posted.`,
        [card.id],
      );
    }
    const noticedAt = validTime(card.noticedAt);
    if (noticedAt !== undefined && observedAt !== undefined && observedAt - noticedAt > skew) {
      add(
        'time-out-of-order',
        `Evidence "${card.title}" was noticed ${formatDuration(observedAt - noticedAt)} before it was observed.`,
        [card.id],
      );
    }
  }
  for (let i = 0; i < index.links.length; i++) {
    const link = index.links[i] as Link;
    const fromAt = index.linkFromPositions[i] as number;
    const toAt = index.linkToPositions[i] as number;
    const from = fromAt >= 0 ? index.cards[fromAt] : undefined;
    const to = toAt >= 0 ? index.cards[toAt] : undefined;
    const latest = Math.max(validTime(from?.createdAt) ?? -Infinity, validTime(to?.createdAt) ?? -Infinity);
    if (latest - link.createdAt > skew) {
      add(
        'time-out-of-order',
        `A "${link.relation}" link from ${title(index, link.from)} to ${title(index, link.to)} was made ${formatDuration(latest - link.createdAt)} before the card it connects existed.`,
        [link.from, link.to],
      );
    }
  }
  for (const c of callouts) {
    const cardIds = c.cardId ? [c.cardId] : undefined;
    const stamps: [string, number | undefined][] = [
      ['acknowledged', c.acknowledgedAt],
      ['escalated', c.escalatedAt],
      ['withdrawn', c.withdrawnAt],
      ['closed', c.closedAt],
    ];
    for (const [what, at] of stamps) {
      if (at === undefined || at >= c.createdAt) continue;
      add(
        'time-out-of-order',
        `Callout from ${c.from.name} ("${c.issue}") was ${what} ${formatDuration(c.createdAt - at)} before it was sent.`,
        cardIds,
      );
    }
  }
  for (const role of index.roles) {
    if (role.handedOverAt === undefined || role.handedOverAt >= role.takenAt) continue;
    add(
      'time-out-of-order',
      `The ${role.role} role of ${role.userName} was handed over ${formatDuration(role.takenAt - role.handedOverAt)} before it was taken.`,
    );
  }
  const meta = index.snapshot.meta;
  if (meta.closedAt !== undefined && meta.closedAt < meta.createdAt) {
    add('time-out-of-order', `The board was closed ${formatDuration(meta.createdAt - meta.closedAt)} before it was opened.`);
  }
}

/** Clients whose clocks were off, and records stamped after the time the timeline was built. */
function checkClocks(index: BoardIndex, people: PeopleDirectory, settings: WarningSettings, add: Add): void {
  const threshold = settings.clockSkewThresholdMs;
  const authored = new Map<string, string[]>();
  for (const card of index.cards) {
    const list = authored.get(card.author);
    if (list) list.push(card.id);
    else authored.set(card.author, [card.id]);
  }
  for (const p of index.participants) {
    const offset = validTime(p.clockOffsetMs);
    if (offset === undefined || Math.abs(offset) <= threshold) continue;
    // serverTime ≈ clientTime + offset: a positive offset means the client's clock is behind.
    const direction = offset > 0 ? 'behind' : 'ahead of';
    add(
      'clock-skew',
      `${people.name(p.userId)}'s clock was ${formatDuration(Math.abs(offset))} ${direction} the server; times they recorded may be off by that much.`,
      authored.get(p.userId),
    );
  }

  const now = validTime(settings.now);
  if (now === undefined) return;
  const limit = now + threshold;
  const future = (at: number | undefined): at is number => at !== undefined && Number.isFinite(at) && at > limit;
  const ahead = (at: number) => formatDuration(at - now);
  for (const card of index.cards) {
    const stamps: [string, number | undefined][] = [
      ['created', card.createdAt],
      ['observed', card.observedAt],
      ['noticed', card.noticedAt],
      ['done', card.doneAt],
    ];
    for (const [what, at] of stamps) {
      if (future(at)) add('future-timestamp', `Card "${card.title}" is stamped ${what} ${ahead(at)} in the future.`, [card.id]);
    }
  }
  for (const link of index.links) {
    if (future(link.createdAt)) {
      add('future-timestamp', `A "${link.relation}" link is stamped ${ahead(link.createdAt)} in the future.`, [link.from, link.to]);
    }
  }
  for (const change of index.statusLog) {
    if (future(change.at)) {
      add('future-timestamp', `A status change (${change.from} → ${change.to}) is stamped ${ahead(change.at)} in the future.`, [
        change.cardId,
      ]);
    }
  }
  const meta = index.snapshot.meta;
  if (future(meta.createdAt)) add('future-timestamp', `The board is stamped opened ${ahead(meta.createdAt)} in the future.`);
  if (future(meta.closedAt)) add('future-timestamp', `The board is stamped closed ${ahead(meta.closedAt)} in the future.`);
}
