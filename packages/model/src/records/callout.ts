// Callouts (Crew Resource Management): a directed message that names who it is for, states the issue,
// how it was noticed and what the sender intends, and waits for acknowledgement. The server owns these
// records; the rules for changing them are the state machine at the end of this file.
import type { Result } from '../result';
import { err, invalid, ok } from '../result';
import { ACK_WITHIN_SECONDS_MAX, CALLOUT_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH } from '../limits';
import {
  FieldReader,
  idString,
  oneOf,
  safely,
  stringOf,
  timestamp,
  withoutUndefined,
  type Validator,
} from '../validate';
import { personName } from './board';
import { type RoleAssignment, type RoleName, holdsRole, roleName } from './role';

export const CALLOUT_URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type CalloutUrgency = (typeof CALLOUT_URGENCIES)[number];

/** Always a person or a role: a callout to nobody in particular is exactly what CRM forbids. */
export type CalloutAddressee = { kind: 'user'; userId: string; name: string } | { kind: 'role'; role: RoleName };

export const CALLOUT_STATES = ['open', 'escalated', 'acknowledged', 'closed', 'withdrawn'] as const;
export type CalloutState = (typeof CALLOUT_STATES)[number];

export interface CalloutPerson {
  userId: string;
  name: string;
}

export interface Callout {
  id: string;
  boardId: string;
  from: CalloutPerson;
  to: CalloutAddressee;
  /** What is wrong. */
  issue: string;
  /** How the sender noticed it (a dashboard, a log line, a user report). */
  noticedHow: string;
  /** What the sender intends to do about it. */
  intent: string;
  cardId?: string;
  urgency: CalloutUrgency;
  createdAt: number;
  ackDeadline: number;
  state: CalloutState;
  acknowledgedAt?: number;
  acknowledgedBy?: CalloutPerson;
  readBack?: string;
  escalatedAt?: number;
  withdrawnAt?: number;
  withdrawReason?: string;
  closedAt?: number;
  closedBy?: string;
}

export const calloutUrgency = oneOf(CALLOUT_URGENCIES);
export const calloutState = oneOf(CALLOUT_STATES);
export const calloutText = stringOf({ min: 1, max: CALLOUT_TEXT_MAX_LENGTH });
export const calloutNote = stringOf({ max: NOTE_MAX_LENGTH });

export const calloutPerson: Validator<CalloutPerson> = (input, path) => {
  const r = new FieldReader(input, path);
  const person: CalloutPerson = { userId: r.required('userId', idString), name: r.required('name', personName) };
  return r.error ? r.fail() : ok(person);
};

export const calloutAddressee: Validator<CalloutAddressee> = (input, path) => {
  const r = new FieldReader(input, path);
  const kind = r.required<'user' | 'role'>('kind', (value, at) =>
    value === 'user' || value === 'role'
      ? ok(value)
      : invalid(at, "must be 'user' or 'role': every callout names a person or a role, there is no 'everyone'"),
  );
  if (r.error) return r.fail();
  if (kind === 'user') {
    const addressee: CalloutAddressee = { kind, userId: r.required('userId', idString), name: r.required('name', personName) };
    return r.error ? r.fail() : ok(addressee);
  }
  const addressee: CalloutAddressee = { kind: 'role', role: r.required('role', roleName) };
  return r.error ? r.fail() : ok(addressee);
};

export const validateCallout: (input: unknown) => Result<Callout> = safely((input, path) => {
  const r = new FieldReader(input, path);
  const callout: Callout = {
    id: r.required('id', idString),
    boardId: r.required('boardId', idString),
    from: r.required('from', calloutPerson),
    to: r.required('to', calloutAddressee),
    issue: r.required('issue', calloutText),
    noticedHow: r.required('noticedHow', calloutText),
    intent: r.required('intent', calloutText),
    cardId: r.optional('cardId', idString),
    urgency: r.required('urgency', calloutUrgency),
    createdAt: r.required('createdAt', timestamp),
    ackDeadline: r.required('ackDeadline', timestamp),
    state: r.required('state', calloutState),
    acknowledgedAt: r.optional('acknowledgedAt', timestamp),
    acknowledgedBy: r.optional('acknowledgedBy', calloutPerson),
    readBack: r.optional('readBack', calloutNote),
    escalatedAt: r.optional('escalatedAt', timestamp),
    withdrawnAt: r.optional('withdrawnAt', timestamp),
    withdrawReason: r.optional('withdrawReason', calloutNote),
    closedAt: r.optional('closedAt', timestamp),
    closedBy: r.optional('closedBy', idString),
  };
  if (r.error) return r.fail();
  const inconsistency = stateInconsistency(callout);
  return inconsistency ? inconsistency : ok(withoutUndefined(callout));
});

// A record whose state does not match its timestamps was not produced by the state machine.
function stateInconsistency(c: Callout): { ok: false; error: { path: string; message: string } } | undefined {
  if (c.ackDeadline < c.createdAt) return invalid('ackDeadline', 'must not be before createdAt');
  const acknowledged = c.state === 'acknowledged' || c.state === 'closed';
  if (acknowledged && (c.acknowledgedAt === undefined || c.acknowledgedBy === undefined)) {
    return invalid('acknowledgedAt', `a ${c.state} callout needs acknowledgedAt and acknowledgedBy`);
  }
  if (!acknowledged && c.acknowledgedAt !== undefined) {
    return invalid('acknowledgedAt', `a ${c.state} callout cannot have been acknowledged`);
  }
  if (c.state === 'escalated' && c.escalatedAt === undefined) return invalid('escalatedAt', 'an escalated callout needs escalatedAt');
  if (c.state === 'withdrawn' && c.withdrawnAt === undefined) return invalid('withdrawnAt', 'a withdrawn callout needs withdrawnAt');
  if (c.state !== 'withdrawn' && c.withdrawnAt !== undefined) return invalid('withdrawnAt', `a ${c.state} callout was not withdrawn`);
  if (c.state === 'closed' && (c.closedAt === undefined || c.closedBy === undefined)) {
    return invalid('closedAt', 'a closed callout needs closedAt and closedBy');
  }
  if (c.state !== 'closed' && c.closedAt !== undefined) return invalid('closedAt', `a ${c.state} callout was not closed`);
  return undefined;
}

export function isCallout(input: unknown): input is Callout {
  return validateCallout(input).ok;
}

// ---------------------------------------------------------------------------------------------
// The callout state machine. Pure: the server calls it with its own clock and the board's roles, and
// stores whatever comes back. Every refused action returns a typed error; nothing is a silent no-op.
//
//   open ──acknowledge──▶ acknowledged ──close──▶ closed
//   open ──escalate (now ≥ ackDeadline)──▶ escalated ──acknowledge──▶ acknowledged
//   open | escalated ──withdraw (sender only)──▶ withdrawn
// ---------------------------------------------------------------------------------------------

export type CalloutAction =
  | { type: 'acknowledge'; readBack?: string }
  | { type: 'escalate' }
  | { type: 'withdraw'; reason?: string }
  | { type: 'close' };

export const CALLOUT_ACTION_TYPES = ['acknowledge', 'escalate', 'withdraw', 'close'] as const;

export interface CalloutActor {
  userId: string;
  name: string;
}

export interface CalloutContext {
  actor: CalloutActor;
  now: number;
  /** Role assignments of the callout's board. */
  roles: RoleAssignment[];
}

export type CalloutErrorCode = 'not-addressee' | 'not-sender' | 'illegal-transition' | 'deadline-not-passed' | 'invalid';

export interface CalloutError {
  code: CalloutErrorCode;
  message: string;
  /** The state the callout was in; for newCallout, 'open' (the state it would have been created in). */
  from: CalloutState;
  /**
   * The refused action; 'create' for newCallout and 'unknown' for an action object that is not one of
   * CalloutAction (both additive extensions of the contract).
   */
  action: CalloutAction['type'] | 'create' | 'unknown';
  /** For code 'invalid': which field was wrong. */
  path?: string;
}

/** What a sender provides; structurally the same as the protocol's CreateCalloutRequest. */
export interface NewCalloutInput {
  boardId: string;
  to: CalloutAddressee;
  issue: string;
  noticedHow: string;
  intent: string;
  cardId?: string;
  urgency: CalloutUrgency;
  /** Seconds the addressee has to acknowledge before the callout escalates. */
  ackWithinSeconds: number;
}

export function isCalloutPending(c: Callout): boolean {
  return c.state === 'open' || c.state === 'escalated';
}

/** Is `userId` the addressee, or a current holder of the addressed role? */
export function isCalloutFor(c: Callout, userId: string, roles: RoleAssignment[]): boolean {
  if (c.to.kind === 'user') return c.to.userId === userId;
  return holdsRole(
    roles.filter((r) => r.boardId === c.boardId),
    c.to.role,
    userId,
  );
}

export function newCallout(
  input: NewCalloutInput,
  ctx: { actor: CalloutActor; now: number; id: string },
): Result<Callout, CalloutError> {
  const createError = (path: string, message: string): { ok: false; error: CalloutError } =>
    err({ code: 'invalid', message: path ? `${path}: ${message}` : message, from: 'open', action: 'create', path });
  try {
    const seconds: unknown = input.ackWithinSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > ACK_WITHIN_SECONDS_MAX) {
      return createError('ackWithinSeconds', `must be a number of seconds above 0 and at most ${ACK_WITHIN_SECONDS_MAX}`);
    }
    const candidate: Record<string, unknown> = {
      id: ctx.id,
      boardId: input.boardId,
      from: { userId: ctx.actor.userId, name: ctx.actor.name },
      to: input.to,
      issue: input.issue,
      noticedHow: input.noticedHow,
      intent: input.intent,
      urgency: input.urgency,
      createdAt: ctx.now,
      ackDeadline: ctx.now + Math.round(seconds * 1000),
      state: 'open',
    };
    if (input.cardId !== undefined) candidate.cardId = input.cardId;
    const checked = validateCallout(candidate);
    if (!checked.ok) return createError(checked.error.path, checked.error.message);
    const callout = checked.value;
    if (callout.to.kind === 'user' && callout.to.userId === callout.from.userId) {
      return createError('to.userId', 'a callout must be addressed to someone other than its sender');
    }
    return ok(callout);
  } catch {
    return createError('', 'the callout request could not be read');
  }
}

export function applyCalloutAction(c: Callout, a: CalloutAction, ctx: CalloutContext): Result<Callout, CalloutError> {
  const actionType: unknown = (a as { type?: unknown } | null)?.type;
  const fail = (code: CalloutErrorCode, message: string, path?: string): { ok: false; error: CalloutError } =>
    err({
      code,
      message,
      from: c.state,
      action: (CALLOUT_ACTION_TYPES as readonly unknown[]).includes(actionType) ? (actionType as CalloutAction['type']) : 'unknown',
      ...(path === undefined ? {} : { path }),
    });
  const illegal = (): { ok: false; error: CalloutError } =>
    fail('illegal-transition', `cannot ${String(actionType)} a callout that is ${c.state}`);

  switch (actionType) {
    case 'acknowledge': {
      if (!isCalloutPending(c)) return illegal();
      if (!isCalloutFor(c, ctx.actor.userId, ctx.roles)) {
        return fail('not-addressee', `only ${describeAddressee(c.to)} can acknowledge this callout`);
      }
      const readBack = (a as { readBack?: unknown }).readBack;
      if (readBack !== undefined && !calloutNote(readBack, 'readBack').ok) {
        return fail('invalid', 'readBack must be a string of at most 2000 characters', 'readBack');
      }
      const next: Callout = {
        ...c,
        state: 'acknowledged',
        acknowledgedAt: ctx.now,
        acknowledgedBy: { userId: ctx.actor.userId, name: ctx.actor.name },
      };
      if (typeof readBack === 'string' && readBack.trim() !== '') next.readBack = readBack;
      return ok(next);
    }
    case 'escalate': {
      if (c.state !== 'open') return illegal();
      if (ctx.now < c.ackDeadline) {
        return fail('deadline-not-passed', `the acknowledgement deadline has not passed yet (${c.ackDeadline - ctx.now} ms left)`);
      }
      return ok({ ...c, state: 'escalated', escalatedAt: ctx.now });
    }
    case 'withdraw': {
      if (!isCalloutPending(c)) return illegal();
      if (ctx.actor.userId !== c.from.userId) return fail('not-sender', 'only the sender can withdraw a callout');
      const reason = (a as { reason?: unknown }).reason;
      if (reason !== undefined && !calloutNote(reason, 'reason').ok) {
        return fail('invalid', 'reason must be a string of at most 2000 characters', 'reason');
      }
      const next: Callout = { ...c, state: 'withdrawn', withdrawnAt: ctx.now };
      if (typeof reason === 'string' && reason.trim() !== '') next.withdrawReason = reason;
      return ok(next);
    }
    case 'close': {
      if (c.state !== 'acknowledged') return illegal();
      const mayClose =
        ctx.actor.userId === c.from.userId ||
        ctx.actor.userId === c.acknowledgedBy?.userId ||
        isCalloutFor(c, ctx.actor.userId, ctx.roles);
      if (!mayClose) return fail('not-sender', 'only the sender or the addressee can close a callout');
      return ok({ ...c, state: 'closed', closedAt: ctx.now, closedBy: ctx.actor.userId });
    }
    default:
      return fail('invalid', `unknown callout action ${JSON.stringify(String(actionType)).slice(0, 80)}`, 'type');
  }
}

function describeAddressee(to: CalloutAddressee): string {
  return to.kind === 'user' ? `${to.name} (the addressee)` : `the current ${to.role}`;
}
