import { describe, expect, it } from 'vitest';
import {
  type Result,
  BODY_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  isBoardMeta,
  isCallout,
  isCard,
  isLink,
  isParticipant,
  isRoleAssignment,
  isStatusChange,
  newId,
  validateBoardMeta,
  validateCallout,
  validateCard,
  validateLink,
  validateParticipant,
  validateRoleAssignment,
  validateStatusChange,
  ID_PATTERN,
} from '../src/index';
import { HOSTILE_VALUES } from './hostile';

interface RecordCase {
  name: string;
  validate: (input: unknown) => Result<unknown>;
  guard: (input: unknown) => boolean;
  valid: Record<string, unknown>;
  required: string[];
  /** field → values that must be refused there */
  invalid: Record<string, unknown[]>;
}

const cases: RecordCase[] = [
  {
    name: 'BoardMeta',
    validate: validateBoardMeta,
    guard: isBoardMeta,
    valid: {
      schemaVersion: 1,
      id: 'board-1',
      title: 'Checkout latency spike',
      status: 'investigating',
      severity: 'sev2',
      createdAt: 1_700_000_000_000,
      createdBy: 'ana',
      summary: 'p99 went to 4 s',
    },
    required: ['schemaVersion', 'id', 'title', 'status', 'createdAt', 'createdBy'],
    invalid: {
      schemaVersion: [0, 1.5, '1'],
      id: ['', 'a'.repeat(65), 'has space', 'ünïcode', '../etc'],
      title: ['x'.repeat(TITLE_MAX_LENGTH + 1), 42],
      status: ['open', 'RESOLVED'],
      severity: ['sev0', 'critical'],
      outcome: ['fixed'],
      createdAt: [-1, 9e15, '2024-01-01'],
    },
  },
  {
    name: 'Card',
    validate: validateCard,
    guard: isCard,
    valid: {
      id: 'card-1',
      kind: 'evidence',
      title: 'p99 checkout latency 4 s',
      body: 'From the checkout dashboard',
      author: 'ana',
      x: 10,
      y: -20.5,
      w: 260,
      h: 160,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_500,
      source: { kind: 'dashboard', value: 'https://dash.example/checkout', label: 'checkout' },
      observedAt: 1_699_999_700_000,
      noticedAt: 1_699_999_900_000,
      followUp: true,
      tags: ['latency', 'checkout'],
    },
    required: ['id', 'kind', 'title', 'body', 'author', 'x', 'y', 'w', 'h', 'createdAt', 'updatedAt'],
    invalid: {
      kind: ['spaceship', 'Evidence'],
      title: ['x'.repeat(TITLE_MAX_LENGTH + 1)],
      body: ['x'.repeat(BODY_MAX_LENGTH + 1)],
      x: [Number.NaN, 1e8, '10'],
      w: [0, -5, 1e6],
      source: [{ kind: 'url' }, { kind: 'carrier-pigeon', value: 'x' }, { kind: 'url', value: '' }, 'https://x'],
      status: ['maybe'],
      actionState: ['finished'],
      answered: ['yes', 1],
      tags: [['ok', ''], ['x'.repeat(65)], Array.from({ length: 33 }, (_, i) => `t${i}`), 'tag'],
    },
  },
  {
    name: 'Link',
    validate: validateLink,
    guard: isLink,
    valid: { id: 'l1', from: 'card-1', to: 'card-2', relation: 'refutes', author: 'bo', createdAt: 5, note: 'provider green' },
    required: ['id', 'from', 'to', 'relation', 'author', 'createdAt'],
    invalid: { relation: ['causes', 'related'], to: ['card-1'], note: ['x'.repeat(2001)] },
  },
  {
    name: 'StatusChange',
    validate: validateStatusChange,
    guard: isStatusChange,
    valid: { id: 's1', cardId: 'h1', from: 'open', to: 'ruled-out', by: 'bo', at: 7, reason: 'provider status green' },
    required: ['id', 'cardId', 'from', 'to', 'by', 'at', 'reason'],
    invalid: { to: ['open', 'wrong'], from: ['closed'], reason: ['x'.repeat(2001), 3] },
  },
  {
    name: 'Participant',
    validate: validateParticipant,
    guard: isParticipant,
    valid: { userId: 'chen', name: 'Chen', color: '#e5484d', firstSeenAt: 1, lastSeenAt: 2, clockOffsetMs: -350 },
    required: ['userId', 'name', 'color', 'firstSeenAt', 'lastSeenAt'],
    invalid: {
      name: ['', 'x'.repeat(101)],
      color: ['red;background:url(x)', 'url(javascript:1)', '#12', ''],
      clockOffsetMs: [Number.NaN, 1e13],
    },
  },
  {
    name: 'RoleAssignment',
    validate: validateRoleAssignment,
    guard: isRoleAssignment,
    valid: { id: 'r1', boardId: 'b1', role: 'commander', userId: 'ana', userName: 'Ana', assignedBy: 'ana', takenAt: 3 },
    required: ['id', 'boardId', 'role', 'userId', 'userName', 'assignedBy', 'takenAt'],
    invalid: { role: ['captain', 'everyone'], handedOverAt: [Number.POSITIVE_INFINITY] },
  },
  {
    name: 'Callout',
    validate: validateCallout,
    guard: isCallout,
    valid: {
      id: 'c1',
      boardId: 'b1',
      from: { userId: 'chen', name: 'Chen' },
      to: { kind: 'role', role: 'commander' },
      issue: 'Cache hit rate dropped from 97% to 40% at 08:54',
      noticedHow: 'cache dashboard',
      intent: 'roll back deploy 8812',
      urgency: 'high',
      createdAt: 100,
      ackDeadline: 160,
      state: 'acknowledged',
      acknowledgedAt: 140,
      acknowledgedBy: { userId: 'ana', name: 'Ana' },
      readBack: 'roll back 8812',
    },
    required: ['id', 'boardId', 'from', 'to', 'issue', 'noticedHow', 'intent', 'urgency', 'createdAt', 'ackDeadline', 'state'],
    invalid: {
      to: [{ kind: 'everyone' }, { kind: 'user', userId: 'bo' }, { kind: 'role', role: 'anyone' }, 'bo'],
      issue: ['', 'x'.repeat(2001)],
      urgency: ['asap'],
      ackDeadline: [50],
      state: ['finished', 'OPEN'],
      acknowledgedBy: [{ userId: 'ana' }],
    },
  },
];

// Hostile as a whole record, but a fine value for some fields (createdAt 0, empty body, followUp true, tags []).
const LEGITIMATE_SOMEWHERE = new Set(['zero', 'empty string', 'true', 'array']);

describe.each(cases)('$name validator', (c) => {
  it('accepts a valid record and returns an equal copy', () => {
    const result = c.validate(c.valid);
    expect(result).toEqual({ ok: true, value: c.valid });
    if (result.ok) expect(result.value).not.toBe(c.valid);
    expect(c.guard(c.valid)).toBe(true);
  });

  it('drops unknown (future) fields instead of failing', () => {
    const result = c.validate({ ...c.valid, addedInV7: { anything: true } });
    expect(result).toEqual({ ok: true, value: c.valid });
  });

  it.each(c.required)('reports a missing %s by path', (key) => {
    const input = { ...c.valid };
    delete input[key];
    expect(c.validate(input)).toEqual({ ok: false, error: { path: key, message: 'is required' } });
    expect(c.guard(input)).toBe(false);
  });

  it('refuses wrong values with the path of the field', () => {
    for (const [key, values] of Object.entries(c.invalid)) {
      for (const value of values) {
        const result = c.validate({ ...c.valid, [key]: value });
        expect(result.ok, `${key} = ${JSON.stringify(value)?.slice(0, 40)}`).toBe(false);
        if (!result.ok) {
          expect(result.error.path.startsWith(key)).toBe(true);
          expect(result.error.message.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it.each(HOSTILE_VALUES)('returns an error for %s as the whole record, without throwing', (_label, value) => {
    const result = c.validate(value);
    expect(result.ok).toBe(false);
  });

  it('returns an error for hostile values in every field, without throwing', () => {
    for (const key of Object.keys(c.valid)) {
      for (const [label, value] of HOSTILE_VALUES) {
        if (value === undefined && !c.required.includes(key)) continue; // undefined = not set
        if (LEGITIMATE_SOMEWHERE.has(label)) continue;
        const result = c.validate({ ...c.valid, [key]: value });
        expect(result.ok, `${key} = ${label}`).toBe(false);
        if (!result.ok) expect(result.error.path.startsWith(key), `${key} = ${label}: ${result.error.path}`).toBe(true);
      }
    }
  });

  it('ignores __proto__ keys and never pollutes prototypes', () => {
    const json = JSON.stringify(c.valid).replace(/^\{/, '{"__proto__":{"polluted":true},');
    const result = c.validate(JSON.parse(json));
    expect(result).toEqual({ ok: true, value: c.valid });
    if (result.ok) {
      expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(result.value, '__proto__')).toBe(false);
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('specific messages', () => {
  it('explains the limit a too-long card title breaks', () => {
    const r = validateCard({ ...cases[1]!.valid, title: 'x'.repeat(TITLE_MAX_LENGTH + 1) });
    expect(r).toEqual({ ok: false, error: { path: 'title', message: 'must be at most 300 characters (got 301)' } });
  });

  it('points into nested fields', () => {
    const r = validateCard({ ...cases[1]!.valid, tags: ['ok', 7] });
    expect(r).toEqual({ ok: false, error: { path: 'tags[1]', message: 'expected a string, got a number' } });
    const s = validateCard({ ...cases[1]!.valid, source: { kind: 'url', value: Number.NaN } });
    expect(s).toEqual({ ok: false, error: { path: 'source.value', message: 'expected a string, got NaN' } });
  });

  it('says there is no callout to everyone', () => {
    const r = validateCallout({ ...cases[6]!.valid, to: { kind: 'everyone' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ path: 'to.kind', message: expect.stringContaining("no 'everyone'") });
  });

  it('refuses callouts whose state contradicts their timestamps', () => {
    const acknowledged = cases[6]!.valid;
    const { acknowledgedAt: _a, acknowledgedBy: _b, readBack: _r, ...open } = acknowledged;
    expect(validateCallout({ ...open, state: 'open' }).ok).toBe(true);
    expect(validateCallout({ ...open, state: 'open', acknowledgedAt: 5 }).ok).toBe(false);
    expect(validateCallout({ ...open, state: 'escalated' }).ok).toBe(false);
    expect(validateCallout({ ...acknowledged, state: 'closed' }).ok).toBe(false);
    expect(validateCallout({ ...acknowledged, state: 'closed', closedAt: 200, closedBy: 'chen' }).ok).toBe(true);
  });
});

describe('newId', () => {
  it('makes distinct 21-character ids that pass the id rule', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newId()));
    expect(ids.size).toBe(2000);
    for (const id of ids) {
      expect(id).toHaveLength(21);
      expect(ID_PATTERN.test(id)).toBe(true);
    }
  });
});
