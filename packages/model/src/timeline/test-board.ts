// Test support (not exported from the package): builds board snapshots and server records by hand, so
// unit tests can state exactly the records a case needs, including ones BoardDoc would refuse to write
// (links to deleted cards, times out of order) but a replica or an old export may still hold.
import type { BoardMeta } from '../records/board';
import type { Callout } from '../records/callout';
import type { Card, HypothesisStatus } from '../records/card';
import type { Link, LinkRelation } from '../records/link';
import type { Participant } from '../records/participant';
import type { RoleAssignment, RoleName } from '../records/role';
import type { StatusChange } from '../records/status-change';
import type { TimelineInput } from './build';

/** 2025-03-14 at hh:mm[:ss] UTC. */
export function at(hhmmss: string): number {
  const [h = 0, m = 0, s = 0] = hhmmss.split(':').map(Number);
  return Date.UTC(2025, 2, 14, h, m, s);
}

export class TestBoard {
  meta: BoardMeta = {
    schemaVersion: 1,
    id: 'board-1',
    title: 'Test board',
    status: 'investigating',
    createdAt: at('09:00'),
    createdBy: 'ana',
  };
  cards: Card[] = [];
  links: Link[] = [];
  statusLog: StatusChange[] = [];
  participants: Participant[] = [];
  callouts: Callout[] = [];
  roles: RoleAssignment[] = [];
  private seq = 0;

  person(userId: string, name: string, extra: Partial<Participant> = {}): this {
    this.participants.push({ userId, name, color: '#888888', firstSeenAt: at('09:00'), lastSeenAt: at('09:30'), ...extra });
    return this;
  }

  card(fields: Partial<Card> & Pick<Card, 'kind' | 'title' | 'author' | 'createdAt'>): string {
    const id = fields.id ?? `card-${++this.seq}`;
    this.cards.push({ x: 0, y: 0, w: 200, h: 120, body: '', updatedAt: fields.createdAt, ...fields, id });
    return id;
  }

  hypothesis(title: string, author: string, createdAt: number, id?: string): string {
    return this.card({ kind: 'hypothesis', title, author, createdAt, status: 'open', ...(id ? { id } : {}) });
  }

  evidence(title: string, author: string, createdAt: number, observedAt?: number, id?: string): string {
    return this.card({
      kind: 'evidence',
      title,
      author,
      createdAt,
      ...(observedAt !== undefined ? { observedAt } : {}),
      ...(id ? { id } : {}),
    });
  }

  /** Appends to the status log and keeps the card's derived status in step, as BoardDoc.read does. */
  status(cardId: string, to: HypothesisStatus, by: string, atTime: number, reason = ''): string {
    const card = this.cards.find((c) => c.id === cardId);
    const from = card?.status ?? 'open';
    const id = `status-${++this.seq}`;
    this.statusLog.push({ id, cardId, from, to, by, at: atTime, reason });
    if (card) card.status = to;
    return id;
  }

  link(from: string, relation: LinkRelation, to: string, author: string, createdAt: number, note?: string): string {
    const id = `link-${++this.seq}`;
    this.links.push({ id, from, to, relation, author, createdAt, ...(note ? { note } : {}) });
    return id;
  }

  callout(fields: Partial<Callout> & Pick<Callout, 'from' | 'to' | 'createdAt'>): Callout {
    const callout: Callout = {
      id: `callout-${++this.seq}`,
      boardId: this.meta.id,
      issue: 'Something is wrong',
      noticedHow: 'dashboard',
      intent: 'look into it',
      urgency: 'normal',
      ackDeadline: fields.createdAt + 60_000,
      state: 'open',
      ...fields,
    };
    this.callouts.push(callout);
    return callout;
  }

  role(role: RoleName, userId: string, userName: string, takenAt: number, extra: Partial<RoleAssignment> = {}): this {
    this.roles.push({
      id: `role-${++this.seq}`,
      boardId: this.meta.id,
      role,
      userId,
      userName,
      assignedBy: userId,
      takenAt,
      ...extra,
    });
    return this;
  }

  input(): TimelineInput {
    return {
      board: {
        meta: this.meta,
        cards: this.cards,
        links: this.links,
        statusLog: this.statusLog,
        participants: this.participants,
      },
      callouts: this.callouts,
      roles: this.roles,
    };
  }
}
