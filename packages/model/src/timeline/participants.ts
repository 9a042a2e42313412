// Who responded and what each did: counts per kind of contribution and the roles held, with times.
import type { BoardIndex } from './board-index';
import type { PeopleDirectory } from './people';
import type { ParticipantActivity, TimelineParticipant } from './types';

function emptyActivity(): ParticipantActivity {
  return {
    cardsCreated: 0,
    hypothesesRaised: 0,
    evidenceAdded: 0,
    actionsCreated: 0,
    actionsDone: 0,
    statusChanges: 0,
    linksCreated: 0,
    calloutsSent: 0,
    calloutsAcknowledged: 0,
  };
}

/** Everyone on the participant list (in order of arrival), then anyone else who did something (by id). */
export function participantActivity(index: BoardIndex, people: PeopleDirectory): TimelineParticipant[] {
  const byUser = new Map<string, TimelineParticipant>();
  for (const p of index.participants) {
    const entry: TimelineParticipant = {
      ...people.person(p.userId),
      color: p.color,
      firstSeenAt: p.firstSeenAt,
      lastSeenAt: p.lastSeenAt,
      activity: emptyActivity(),
      roles: [],
    };
    if (p.clockOffsetMs !== undefined) entry.clockOffsetMs = p.clockOffsetMs;
    byUser.set(p.userId, entry);
  }
  const extra = new Map<string, TimelineParticipant>();
  const of = (userId: string): TimelineParticipant => {
    let entry = byUser.get(userId) ?? extra.get(userId);
    if (!entry) {
      entry = { ...people.person(userId), activity: emptyActivity(), roles: [] };
      extra.set(userId, entry);
    }
    return entry;
  };

  for (const card of index.cards) {
    const a = of(card.author).activity;
    a.cardsCreated++;
    if (card.kind === 'hypothesis') a.hypothesesRaised++;
    else if (card.kind === 'evidence') a.evidenceAdded++;
    else if (card.kind === 'action') {
      a.actionsCreated++;
      if (card.actionState === 'done') of(card.owner ?? card.author).activity.actionsDone++;
    }
  }
  for (const change of index.statusLog) of(change.by).activity.statusChanges++;
  for (const link of index.links) of(link.author).activity.linksCreated++;
  for (const callout of index.callouts) {
    of(callout.from.userId).activity.calloutsSent++;
    if (callout.acknowledgedBy) of(callout.acknowledgedBy.userId).activity.calloutsAcknowledged++;
  }
  for (const role of index.roles) {
    const held: TimelineParticipant['roles'][number] = {
      role: role.role,
      takenAt: role.takenAt,
      assignedBy: people.person(role.assignedBy),
    };
    if (role.handedOverAt !== undefined) held.handedOverAt = role.handedOverAt;
    of(role.userId).roles.push(held);
  }
  const others = [...extra.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return [...byUser.values(), ...others];
}
