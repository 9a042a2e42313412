// Callouts as a reviewer reads them: who called whom, how fast it was acknowledged, and whether it was
// escalated, withdrawn or never answered.
import { isCalloutPending } from '../records/callout';
import type { BoardIndex } from './board-index';
import { addresseeView } from './events';
import type { PeopleDirectory } from './people';
import { validTime } from './time';
import type { TimelineCallout } from './types';

export function calloutViews(index: BoardIndex, people: PeopleDirectory): TimelineCallout[] {
  return index.callouts.map((c) => {
    const acknowledgedAt = validTime(c.acknowledgedAt);
    const createdAt = validTime(c.createdAt);
    const view: TimelineCallout = {
      id: c.id,
      from: people.person(c.from.userId),
      to: addresseeView(c, people),
      issue: c.issue,
      noticedHow: c.noticedHow,
      intent: c.intent,
      urgency: c.urgency,
      state: c.state,
      createdAt: c.createdAt,
      ackDeadline: c.ackDeadline,
      ackLatencyMs: acknowledgedAt !== undefined && createdAt !== undefined ? acknowledgedAt - createdAt : null,
      unacknowledged: isCalloutPending(c),
      escalated: c.state === 'escalated' || c.escalatedAt !== undefined,
      withdrawn: c.state === 'withdrawn',
      lateAck: acknowledgedAt !== undefined && acknowledgedAt > c.ackDeadline,
    };
    if (c.cardId !== undefined) view.cardId = c.cardId;
    if (acknowledgedAt !== undefined) view.acknowledgedAt = acknowledgedAt;
    if (c.acknowledgedBy) view.acknowledgedBy = people.person(c.acknowledgedBy.userId);
    if (c.readBack !== undefined) view.readBack = c.readBack;
    if (c.escalatedAt !== undefined) view.escalatedAt = c.escalatedAt;
    if (c.withdrawnAt !== undefined) view.withdrawnAt = c.withdrawnAt;
    if (c.withdrawReason !== undefined) view.withdrawReason = c.withdrawReason;
    if (c.closedAt !== undefined) view.closedAt = c.closedAt;
    return view;
  });
}
