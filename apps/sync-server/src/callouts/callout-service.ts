// Callouts and roles, with the server as the authority: the model's state machine decides every change,
// the server's clock stamps it, storage commits it, and only then are the sender and the addressees told.
// Transport-independent: the socket.io binding calls these methods and delivers the notices.
import {
  ID_PATTERN,
  applyCalloutAction,
  assignRole,
  currentHolders,
  isCalloutFor,
  newCallout,
  newId,
  releaseRole,
  roleName,
  validateRoleAssignment,
  type BoardCalloutState,
  type Callout,
  type CalloutAction,
  type CalloutNotice,
  type Reply,
  type RoleAssignment,
  type RoleName,
  type SessionUser,
} from '@redstring/model';
import type { Logger } from '../log';
import { errorFields } from '../log';
import type { Metrics } from '../metrics';
import type { Storage } from '../storage/storage';
import { SERVER_ACTOR } from '../boards/board-summary';

/** Who hears about a callout change. `forYou` users are the addressees (or holders of the addressed role). */
export interface CalloutDelivery {
  notice: Omit<CalloutNotice, 'forYou'>;
  boardId: string;
  forYou: string[];
  /** Also told, besides the board's room: the sender, and on escalation the commanders. */
  alsoUsers: string[];
}

export interface CalloutNotifier {
  calloutChanged(delivery: CalloutDelivery): void;
  roleChanged(record: RoleAssignment, affectedUsers: string[]): void;
}

const MAX_CAS_ATTEMPTS = 5;

/** CreateCalloutRequest.requestId: a client-generated idempotency key. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

function fail<T>(code: string, message: string): Reply<T> {
  return { ok: false, error: { code, message } };
}

function isRecord(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

function isId(input: unknown): input is string {
  return typeof input === 'string' && ID_PATTERN.test(input);
}

type ActionReason = 'acknowledged' | 'withdrawn' | 'closed';

export class CalloutService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: () => number,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly notifier: CalloutNotifier,
    /** Told when a new deadline exists, so the escalation timer can move earlier. */
    private readonly onDeadlineAdded: () => void,
  ) {}

  /** Board membership decides who may act: editors create and assign, anyone with access acknowledges. */
  private async memberAccess(userId: string, boardId: string): Promise<'editor' | 'viewer' | null> {
    const member = await this.storage.getMember(userId, boardId);
    return member?.access ?? null;
  }

  async boardState(boardId: string): Promise<BoardCalloutState> {
    const [callouts, roles] = await Promise.all([this.storage.listCallouts(boardId), this.storage.listRoleAssignments(boardId)]);
    return { boardId, callouts, roles, serverTime: this.clock() };
  }

  async create(actor: SessionUser, request: unknown): Promise<Reply<Callout>> {
    if (!isRecord(request) || !isId(request.boardId)) return fail('invalid', 'boardId: expected a board id');
    const boardId = request.boardId;
    const requestId = request.requestId;
    if (requestId !== undefined && (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId))) {
      return fail('invalid', 'requestId: expected 8 to 64 characters of A-Z, a-z, 0-9, _ and -');
    }
    if ((await this.memberAccess(actor.userId, boardId)) !== 'editor') {
      return fail('forbidden', 'only editors of this board can send callouts; join it with the editor link first');
    }
    // A retry after a lost reply (the server may have restarted since) gets the callout already stored.
    if (requestId !== undefined) {
      const earlier = await this.storage.findCalloutByRequest(actor.userId, requestId);
      if (earlier) return this.repeatedRequest(earlier, boardId);
    }
    const input = {
      boardId,
      to: request.to,
      issue: request.issue,
      noticedHow: request.noticedHow,
      intent: request.intent,
      urgency: request.urgency,
      ackWithinSeconds: request.ackWithinSeconds,
      ...(request.cardId === undefined ? {} : { cardId: request.cardId }),
    } as Parameters<typeof newCallout>[0];
    const created = newCallout(input, { actor: { userId: actor.userId, name: actor.name }, now: this.clock(), id: newId() });
    if (!created.ok) return fail(created.error.code, created.error.message);
    const callout = created.value;
    const stored = await this.storage.insertCallout(callout, requestId);
    if (!stored.inserted) {
      // The same request, stored by an attempt that ran at the same time.
      const earlier = await this.storage.getCallout(stored.existingId);
      if (!earlier) throw new Error(`callout ${stored.existingId} was stored for request ${requestId} but cannot be read`);
      return this.repeatedRequest(earlier, boardId);
    }
    this.log.info('callout created', { boardId, calloutId: callout.id, from: actor.userId, to: callout.to, ackDeadline: callout.ackDeadline });
    this.onDeadlineAdded();
    await this.deliver('created', callout);
    return { ok: true, value: callout };
  }

  /**
   * Answers a repeated create with what the first attempt stored. Its notices went out then (or, if the
   * server died before sending them, the addressees fetch their pending callouts when they reconnect).
   */
  private repeatedRequest(earlier: Callout, boardId: string): Reply<Callout> {
    if (earlier.boardId !== boardId) return fail('conflict', 'requestId: already used for a callout on another board');
    this.log.info('callout request repeated; answering with the stored callout', { boardId, calloutId: earlier.id, from: earlier.from.userId });
    return { ok: true, value: earlier };
  }

  acknowledge(actor: SessionUser, request: unknown): Promise<Reply<Callout>> {
    const readBack = isRecord(request) ? request.readBack : undefined;
    return this.act(actor, request, { type: 'acknowledge', ...(readBack === undefined ? {} : { readBack: readBack as string }) }, 'acknowledged');
  }

  withdraw(actor: SessionUser, request: unknown): Promise<Reply<Callout>> {
    const reason = isRecord(request) ? request.reason : undefined;
    return this.act(actor, request, { type: 'withdraw', ...(reason === undefined ? {} : { reason: reason as string }) }, 'withdrawn');
  }

  close(actor: SessionUser, request: unknown): Promise<Reply<Callout>> {
    return this.act(actor, request, { type: 'close' }, 'closed');
  }

  private async act(actor: SessionUser, request: unknown, action: CalloutAction, reason: ActionReason): Promise<Reply<Callout>> {
    if (!isRecord(request) || !isId(request.calloutId)) return fail('invalid', 'calloutId: expected a callout id');
    const calloutId = request.calloutId;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.storage.getCallout(calloutId);
      if (!current) return fail('not-found', 'no such callout');
      if ((await this.memberAccess(actor.userId, current.boardId)) === null) {
        return fail('forbidden', 'join the board before acting on its callouts');
      }
      const roles = await this.storage.listRoleAssignments(current.boardId);
      const result = applyCalloutAction(current, action, {
        actor: { userId: actor.userId, name: actor.name },
        now: this.clock(),
        roles,
      });
      if (!result.ok) return fail(result.error.code, result.error.message);
      // Compare-and-set on the state we decided from: a concurrent change makes us decide again.
      if (await this.storage.replaceCallout(result.value, current.state)) {
        this.log.info(`callout ${reason}`, { boardId: current.boardId, calloutId, by: actor.userId });
        await this.deliver(reason, result.value, roles);
        return { ok: true, value: result.value };
      }
    }
    return fail('conflict', 'the callout kept changing; try again');
  }

  /** Everything waiting for this user's acknowledgement, on every board. */
  async pendingFor(userId: string): Promise<Callout[]> {
    const candidates = await this.storage.listPendingCalloutsForUser(userId);
    const rolesByBoard = new Map<string, RoleAssignment[]>();
    const out: Callout[] = [];
    for (const callout of candidates) {
      let roles = rolesByBoard.get(callout.boardId);
      if (!roles) {
        roles = await this.storage.listRoleAssignments(callout.boardId);
        rolesByBoard.set(callout.boardId, roles);
      }
      if (isCalloutFor(callout, userId, roles)) out.push(callout);
    }
    return out;
  }

  /**
   * Escalates every open callout whose deadline has passed. Each escalation is one compare-and-set
   * from 'open', so it happens once even if two runs (or two servers) race. Returns how many escalated.
   */
  async escalateOverdue(): Promise<number> {
    const now = this.clock();
    const overdue = await this.storage.listOverdueCallouts(now);
    let escalated = 0;
    for (const callout of overdue) {
      try {
        const roles = await this.storage.listRoleAssignments(callout.boardId);
        const result = applyCalloutAction(callout, { type: 'escalate' }, { actor: SERVER_ACTOR, now, roles });
        if (!result.ok) continue;
        if (!(await this.storage.replaceCallout(result.value, 'open'))) continue;
        escalated++;
        this.metrics.escalations++;
        this.log.warn('callout escalated: not acknowledged by its deadline', {
          boardId: callout.boardId,
          calloutId: callout.id,
          lateByMs: now - callout.ackDeadline,
        });
        await this.deliver('escalated', result.value, roles);
      } catch (error) {
        this.log.error('escalating a callout failed; will retry', { step: 'escalate', calloutId: callout.id, ...errorFields(error) });
      }
    }
    return escalated;
  }

  private async deliver(reason: CalloutNotice['reason'], callout: Callout, knownRoles?: RoleAssignment[]): Promise<void> {
    const roles = knownRoles ?? (await this.storage.listRoleAssignments(callout.boardId));
    const forYou =
      callout.to.kind === 'user' ? [callout.to.userId] : currentHolders(roles, callout.to.role).map((r) => r.userId);
    const alsoUsers = [callout.from.userId];
    if (reason === 'escalated') alsoUsers.push(...currentHolders(roles, 'commander').map((r) => r.userId));
    this.notifier.calloutChanged({ notice: { reason, callout }, boardId: callout.boardId, forYou, alsoUsers });
  }

  // ---- roles ---------------------------------------------------------------------------------

  async assignRole(actor: SessionUser, request: unknown): Promise<Reply<RoleAssignment>> {
    if (!isRecord(request) || !isId(request.boardId)) return fail('invalid', 'boardId: expected a board id');
    const role = roleName(request.role, 'role');
    if (!role.ok) return fail('invalid', `${role.error.path}: ${role.error.message}`);
    const boardId = request.boardId;
    if ((await this.memberAccess(actor.userId, boardId)) !== 'editor') {
      return fail('forbidden', 'only editors of this board can assign roles');
    }
    const current = await this.storage.listRoleAssignments(boardId);
    const changes = assignRole(current, {
      id: newId(),
      boardId,
      role: role.value,
      userId: request.userId as string,
      userName: request.userName as string,
      assignedBy: actor.userId,
      now: this.clock(),
    });
    if (changes.length === 0) {
      const existing = currentHolders(current, role.value).find((r) => r.userId === request.userId);
      return existing ? { ok: true, value: existing } : fail('invalid', 'nothing to assign');
    }
    for (const record of changes) {
      const checked = validateRoleAssignment(record);
      if (!checked.ok) return fail('invalid', `${checked.error.path}: ${checked.error.message}`);
    }
    await this.storage.saveRoleAssignments(changes);
    const taken = changes[changes.length - 1] as RoleAssignment;
    this.log.info('role assigned', { boardId, role: role.value, userId: taken.userId, by: actor.userId });
    this.announceRoles(changes);
    return { ok: true, value: taken };
  }

  async releaseRole(actor: SessionUser, request: unknown): Promise<Reply<RoleAssignment>> {
    if (!isRecord(request) || !isId(request.boardId)) return fail('invalid', 'boardId: expected a board id');
    const role = roleName(request.role, 'role');
    if (!role.ok) return fail('invalid', `${role.error.path}: ${role.error.message}`);
    const boardId = request.boardId;
    if ((await this.memberAccess(actor.userId, boardId)) === null) return fail('forbidden', 'join the board first');
    const current = await this.storage.listRoleAssignments(boardId);
    const changes = releaseRole(current, { boardId, role: role.value as RoleName, userId: actor.userId, now: this.clock() });
    const released = changes[0];
    if (!released) return fail('not-holder', `you do not hold the ${role.value} role on this board`);
    await this.storage.saveRoleAssignments(changes);
    this.log.info('role released', { boardId, role: role.value, userId: actor.userId });
    this.announceRoles(changes);
    return { ok: true, value: released };
  }

  private announceRoles(changes: RoleAssignment[]): void {
    for (const record of changes) this.notifier.roleChanged(record, [record.userId]);
  }
}
