import { describe, expect, it } from 'vitest';
import {
  type Callout,
  type CalloutAction,
  type CalloutActor,
  type CalloutState,
  type NewCalloutInput,
  type RoleAssignment,
  applyCalloutAction,
  isCalloutFor,
  isCalloutPending,
  newCallout,
  validateCallout,
} from '../src/index';

const T0 = 1_700_000_000_000;
const DEADLINE = T0 + 60_000;
const ana: CalloutActor = { userId: 'ana', name: 'Ana' };
const bo: CalloutActor = { userId: 'bo', name: 'Bo' };
const chen: CalloutActor = { userId: 'chen', name: 'Chen' };
const dana: CalloutActor = { userId: 'dana', name: 'Dana' };
const eve: CalloutActor = { userId: 'eve', name: 'Eve' };

// Chen holds command now; Dana held it before and handed it over.
const roles: RoleAssignment[] = [
  { id: 'r1', boardId: 'b1', role: 'commander', userId: 'dana', userName: 'Dana', assignedBy: 'dana', takenAt: T0 - 9_000, handedOverAt: T0 - 5_000 },
  { id: 'r2', boardId: 'b1', role: 'commander', userId: 'chen', userName: 'Chen', assignedBy: 'dana', takenAt: T0 - 5_000 },
  // Eve commands a different board: that must not make her an addressee here.
  { id: 'r3', boardId: 'b2', role: 'commander', userId: 'eve', userName: 'Eve', assignedBy: 'eve', takenAt: T0 - 1_000 },
];

function request(to: NewCalloutInput['to']): NewCalloutInput {
  return {
    boardId: 'b1',
    to,
    issue: 'Cache hit rate dropped from 97% to 40% at 08:54',
    noticedHow: 'cache dashboard',
    intent: 'I intend to roll back deploy 8812',
    urgency: 'high',
    ackWithinSeconds: 60,
  };
}

function create(to: NewCalloutInput['to']): Callout {
  const r = newCallout(request(to), { actor: ana, now: T0, id: 'c1' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function must(r: ReturnType<typeof applyCalloutAction>): Callout {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** A callout in each state, reached only through legal transitions. */
function inState(state: CalloutState, base: Callout, acknowledger: CalloutActor): Callout {
  const late = { now: DEADLINE + 1, roles };
  switch (state) {
    case 'open':
      return base;
    case 'escalated':
      return must(applyCalloutAction(base, { type: 'escalate' }, { actor: ana, ...late }));
    case 'acknowledged':
      return must(applyCalloutAction(base, { type: 'acknowledge', readBack: 'roll back 8812' }, { actor: acknowledger, now: T0 + 40_000, roles }));
    case 'closed':
      return must(applyCalloutAction(inState('acknowledged', base, acknowledger), { type: 'close' }, { actor: ana, ...late }));
    case 'withdrawn':
      return must(applyCalloutAction(base, { type: 'withdraw', reason: 'rolled back already' }, { actor: ana, now: T0 + 1_000, roles }));
  }
}

type ActionKey = 'acknowledge' | 'escalate-early' | 'escalate-late' | 'withdraw' | 'close';
const ACTIONS: Record<ActionKey, { action: CalloutAction; now: number }> = {
  acknowledge: { action: { type: 'acknowledge', readBack: 'roll back 8812' }, now: T0 + 10_000 },
  'escalate-early': { action: { type: 'escalate' }, now: DEADLINE - 1 },
  'escalate-late': { action: { type: 'escalate' }, now: DEADLINE },
  withdraw: { action: { type: 'withdraw', reason: 'false alarm' }, now: T0 + 10_000 },
  close: { action: { type: 'close' }, now: DEADLINE + 5_000 },
};
const STATES: CalloutState[] = ['open', 'escalated', 'acknowledged', 'closed', 'withdrawn'];

// Expected outcome: the new state, or the error code. Columns are the actors of each table.
type Row = Record<ActionKey, string[]>;
const ILLEGAL = 'illegal-transition';

/** Callout from Ana to Bo (a user). Columns: Ana (sender), Bo (addressee), Eve (stranger). */
const userTable: Record<CalloutState, Row> = {
  open: {
    acknowledge: ['not-addressee', 'acknowledged', 'not-addressee'],
    'escalate-early': ['deadline-not-passed', 'deadline-not-passed', 'deadline-not-passed'],
    'escalate-late': ['escalated', 'escalated', 'escalated'],
    withdraw: ['withdrawn', 'not-sender', 'not-sender'],
    close: [ILLEGAL, ILLEGAL, ILLEGAL],
  },
  escalated: {
    acknowledge: ['not-addressee', 'acknowledged', 'not-addressee'],
    'escalate-early': [ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-late': [ILLEGAL, ILLEGAL, ILLEGAL],
    withdraw: ['withdrawn', 'not-sender', 'not-sender'],
    close: [ILLEGAL, ILLEGAL, ILLEGAL],
  },
  acknowledged: {
    acknowledge: [ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-early': [ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-late': [ILLEGAL, ILLEGAL, ILLEGAL],
    withdraw: [ILLEGAL, ILLEGAL, ILLEGAL],
    close: ['closed', 'closed', 'not-sender'],
  },
  closed: {
    acknowledge: [ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-early': [ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-late': [ILLEGAL, ILLEGAL, ILLEGAL],
    withdraw: [ILLEGAL, ILLEGAL, ILLEGAL],
    close: [ILLEGAL, ILLEGAL, ILLEGAL],
  },
  withdrawn: {
    acknowledge: [ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-early': [ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-late': [ILLEGAL, ILLEGAL, ILLEGAL],
    withdraw: [ILLEGAL, ILLEGAL, ILLEGAL],
    close: [ILLEGAL, ILLEGAL, ILLEGAL],
  },
};

/**
 * Callout from Ana to the role commander. Columns: Ana (sender), Chen (current commander),
 * Dana (former commander), Eve (commander of another board).
 */
const roleTable: Record<CalloutState, Row> = {
  open: {
    acknowledge: ['not-addressee', 'acknowledged', 'not-addressee', 'not-addressee'],
    'escalate-early': ['deadline-not-passed', 'deadline-not-passed', 'deadline-not-passed', 'deadline-not-passed'],
    'escalate-late': ['escalated', 'escalated', 'escalated', 'escalated'],
    withdraw: ['withdrawn', 'not-sender', 'not-sender', 'not-sender'],
    close: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
  },
  escalated: {
    acknowledge: ['not-addressee', 'acknowledged', 'not-addressee', 'not-addressee'],
    'escalate-early': [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-late': [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    withdraw: ['withdrawn', 'not-sender', 'not-sender', 'not-sender'],
    close: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
  },
  acknowledged: {
    acknowledge: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-early': [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-late': [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    withdraw: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    close: ['closed', 'closed', 'not-sender', 'not-sender'],
  },
  closed: {
    acknowledge: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-early': [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-late': [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    withdraw: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    close: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
  },
  withdrawn: {
    acknowledge: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-early': [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    'escalate-late': [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    withdraw: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
    close: [ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL],
  },
};

const tables = [
  { name: 'to a user', base: create({ kind: 'user', userId: 'bo', name: 'Bo' }), acknowledger: bo, actors: [ana, bo, eve], table: userTable },
  { name: 'to a role', base: create({ kind: 'role', role: 'commander' }), acknowledger: chen, actors: [ana, chen, dana, eve], table: roleTable },
];

const cells = tables.flatMap((t) =>
  STATES.flatMap((state) =>
    (Object.keys(ACTIONS) as ActionKey[]).flatMap((actionKey) =>
      t.actors.map((actor, column) => ({
        label: `${t.name}: ${state} + ${actionKey} by ${actor.name} → ${t.table[state][actionKey][column]}`,
        callout: inState(state, t.base, t.acknowledger),
        state,
        actionKey,
        actor,
        expected: t.table[state][actionKey][column]!,
      })),
    ),
  ),
);

describe('callout state machine (every state × action × actor)', () => {
  it('covers the whole table', () => {
    expect(cells).toHaveLength(5 * 5 * 3 + 5 * 5 * 4);
  });

  it.each(cells)('$label', ({ callout, state, actionKey, actor, expected }) => {
    expect(callout.state).toBe(state);
    const before = structuredClone(callout);
    const { action, now } = ACTIONS[actionKey];
    const result = applyCalloutAction(callout, action, { actor, now, roles });
    expect(callout).toEqual(before); // pure: the input is never changed
    if ((STATES as string[]).includes(expected)) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.state).toBe(expected);
      expect(validateCallout(result.value)).toEqual({ ok: true, value: result.value });
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ code: expected, from: state, action: action.type });
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });
});

describe('what each transition records', () => {
  const toBo = create({ kind: 'user', userId: 'bo', name: 'Bo' });

  it('acknowledge stamps who, when and the read-back', () => {
    const acked = must(applyCalloutAction(toBo, { type: 'acknowledge', readBack: 'roll back 8812' }, { actor: bo, now: T0 + 40_000, roles }));
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedAt: T0 + 40_000, acknowledgedBy: bo, readBack: 'roll back 8812' });
    expect(isCalloutPending(acked)).toBe(false);
  });

  it('acknowledge without a read-back is allowed and leaves readBack unset', () => {
    const acked = must(applyCalloutAction(toBo, { type: 'acknowledge' }, { actor: bo, now: T0 + 1, roles }));
    expect(acked.readBack).toBeUndefined();
  });

  it('escalate stamps escalatedAt; the escalated callout is still pending and can be acknowledged', () => {
    const escalated = must(applyCalloutAction(toBo, { type: 'escalate' }, { actor: ana, now: DEADLINE + 3, roles }));
    expect(escalated).toMatchObject({ state: 'escalated', escalatedAt: DEADLINE + 3 });
    expect(isCalloutPending(escalated)).toBe(true);
    const acked = must(applyCalloutAction(escalated, { type: 'acknowledge' }, { actor: bo, now: DEADLINE + 9, roles }));
    expect(acked).toMatchObject({ state: 'acknowledged', escalatedAt: DEADLINE + 3, acknowledgedAt: DEADLINE + 9 });
  });

  it('withdraw keeps the reason; close records who closed it', () => {
    const withdrawn = must(applyCalloutAction(toBo, { type: 'withdraw', reason: 'false alarm' }, { actor: ana, now: T0 + 5, roles }));
    expect(withdrawn).toMatchObject({ state: 'withdrawn', withdrawnAt: T0 + 5, withdrawReason: 'false alarm' });
    const acked = must(applyCalloutAction(toBo, { type: 'acknowledge' }, { actor: bo, now: T0 + 6, roles }));
    const closed = must(applyCalloutAction(acked, { type: 'close' }, { actor: bo, now: T0 + 7, roles }));
    expect(closed).toMatchObject({ state: 'closed', closedAt: T0 + 7, closedBy: 'bo' });
  });

  it('refuses malformed actions and oversized read-backs with code invalid', () => {
    const unknown = applyCalloutAction(toBo, { type: 'ignore' } as unknown as CalloutAction, { actor: bo, now: T0, roles });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid', from: 'open', action: 'unknown', path: 'type' } });
    const long = applyCalloutAction(toBo, { type: 'acknowledge', readBack: 'x'.repeat(2001) }, { actor: bo, now: T0, roles });
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid', path: 'readBack' } });
    const nullAction = applyCalloutAction(toBo, null as unknown as CalloutAction, { actor: bo, now: T0, roles });
    expect(nullAction).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('isCalloutFor', () => {
  it('is true for the addressed user only', () => {
    const c = create({ kind: 'user', userId: 'bo', name: 'Bo' });
    expect(['ana', 'bo', 'chen'].map((u) => isCalloutFor(c, u, roles))).toEqual([false, true, false]);
  });

  it('is true for current holders of the addressed role on this board only', () => {
    const c = create({ kind: 'role', role: 'commander' });
    expect(['chen', 'dana', 'eve', 'ana'].map((u) => isCalloutFor(c, u, roles))).toEqual([true, false, false, false]);
    expect(isCalloutFor(c, 'chen', [])).toBe(false);
  });
});

describe('newCallout', () => {
  it('creates an open callout with a deadline from ackWithinSeconds', () => {
    const r = newCallout({ ...request({ kind: 'user', userId: 'bo', name: 'Bo' }), cardId: 'card-9' }, { actor: ana, now: T0, id: 'c9' });
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'c9',
        boardId: 'b1',
        from: ana,
        to: { kind: 'user', userId: 'bo', name: 'Bo' },
        issue: 'Cache hit rate dropped from 97% to 40% at 08:54',
        noticedHow: 'cache dashboard',
        intent: 'I intend to roll back deploy 8812',
        cardId: 'card-9',
        urgency: 'high',
        createdAt: T0,
        ackDeadline: T0 + 60_000,
        state: 'open',
      },
    });
  });

  const bad: [string, Partial<Record<keyof NewCalloutInput, unknown>>, string][] = [
    ['no addressee kind "everyone"', { to: { kind: 'everyone' } }, 'to.kind'],
    ['a callout to nobody', { to: undefined }, 'to'],
    ['a callout to oneself', { to: { kind: 'user', userId: 'ana', name: 'Ana' } }, 'to.userId'],
    ['an empty issue', { issue: '' }, 'issue'],
    ['a missing intent', { intent: undefined }, 'intent'],
    ['a huge noticedHow', { noticedHow: 'x'.repeat(1_000_000) }, 'noticedHow'],
    ['an unknown urgency', { urgency: 'whenever' }, 'urgency'],
    ['a zero deadline', { ackWithinSeconds: 0 }, 'ackWithinSeconds'],
    ['a NaN deadline', { ackWithinSeconds: Number.NaN }, 'ackWithinSeconds'],
    ['an infinite deadline', { ackWithinSeconds: Number.POSITIVE_INFINITY }, 'ackWithinSeconds'],
    ['a deadline as text', { ackWithinSeconds: '60' }, 'ackWithinSeconds'],
    ['a bad board id', { boardId: '../../etc/passwd' }, 'boardId'],
  ];

  it.each(bad)('refuses %s with a typed error', (_label, change, path) => {
    const input = { ...request({ kind: 'user', userId: 'bo', name: 'Bo' }), ...change } as NewCalloutInput;
    const r = newCallout(input, { actor: ana, now: T0, id: 'c1' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid', action: 'create', path });
  });

  it('never throws on hostile input', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } }) as NewCalloutInput;
    expect(newCallout(hostile, { actor: ana, now: T0, id: 'c1' }).ok).toBe(false);
  });
});
