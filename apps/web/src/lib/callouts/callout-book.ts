// Every callout this tab knows about, one entry per id. The same callout can arrive several times (join
// reply, pending list on reconnect, pushes); the entry that is furthest along its lifecycle wins.
import type { Callout, CalloutState, RoleAssignment } from '@redstring/model';
import { isCalloutFor, isCalloutPending } from '@redstring/model';

const STATE_RANK: Record<CalloutState, number> = { open: 0, escalated: 1, acknowledged: 2, withdrawn: 3, closed: 3 };

/** The later of two versions of one callout. */
export function laterVersion(a: Callout, b: Callout): Callout {
  const ra = STATE_RANK[a.state];
  const rb = STATE_RANK[b.state];
  if (ra !== rb) return rb > ra ? b : a;
  return lastTouched(b) >= lastTouched(a) ? b : a;
}

function lastTouched(c: Callout): number {
  return Math.max(c.createdAt, c.escalatedAt ?? 0, c.acknowledgedAt ?? 0, c.withdrawnAt ?? 0, c.closedAt ?? 0);
}

export class CalloutBook {
  private readonly byId = new Map<string, Callout>();

  /** Adds or updates; returns true when something changed. */
  upsert(c: Callout): boolean {
    const old = this.byId.get(c.id);
    const next = old ? laterVersion(old, c) : c;
    if (old === next) return false;
    this.byId.set(c.id, next);
    return old === undefined || JSON.stringify(old) !== JSON.stringify(next);
  }

  get(id: string): Callout | undefined {
    return this.byId.get(id);
  }

  all(): Callout[] {
    return [...this.byId.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  forBoard(boardId: string): Callout[] {
    return this.all().filter((c) => c.boardId === boardId);
  }

  /** Pending callouts `userId` must acknowledge (as addressee or current holder of the role). */
  waitingFor(userId: string, roles: RoleAssignment[]): Callout[] {
    return this.all()
      .filter((c) => isCalloutPending(c) && isCalloutFor(c, userId, roles))
      .sort((a, b) => a.ackDeadline - b.ackDeadline);
  }

  sentBy(userId: string): Callout[] {
    return this.all().filter((c) => c.from.userId === userId);
  }
}

/** Latency between sending and acknowledgement, if acknowledged. */
export function ackLatencyMs(c: Callout): number | undefined {
  return c.acknowledgedAt === undefined ? undefined : c.acknowledgedAt - c.createdAt;
}

export function addresseeLabel(c: Callout): string {
  return c.to.kind === 'user' ? c.to.name : roleLabel(c.to.role);
}

export function roleLabel(role: string): string {
  return role === 'communications' ? 'Communications' : role.charAt(0).toUpperCase() + role.slice(1);
}
