import { describe, expect, it } from 'vitest';
import {
  CURRENT_SCHEMA_VERSION,
  migrateBoardMeta,
  migrateCallout,
  migrateRoleAssignment,
  toStored,
  validateCallout,
} from '../src/index';
import { HOSTILE_VALUES } from './hostile';

const boardV1 = {
  schemaVersion: 1,
  id: 'b1',
  title: 'Checkout latency spike',
  status: 'resolved',
  outcome: 'escalated-to-incident',
  severity: 'sev2',
  createdAt: 1000,
  createdBy: 'ana',
  closedAt: 9000,
};

const calloutV1 = {
  id: 'c1',
  boardId: 'b1',
  from: { userId: 'chen', name: 'Chen' },
  to: { kind: 'user', userId: 'ana', name: 'Ana' },
  issue: 'Cache hit rate dropped',
  noticedHow: 'cache dashboard',
  intent: 'roll back 8812',
  urgency: 'high',
  createdAt: 100,
  ackDeadline: 160,
  state: 'open',
};

describe('migrateBoardMeta', () => {
  it('passes current records through unchanged', () => {
    expect(migrateBoardMeta(boardV1)).toEqual({ ok: true, value: boardV1 });
  });

  it('lifts a v0 board (no schemaVersion, null for "not decided")', () => {
    const v0 = { id: 'b1', title: 'Weird log line', status: 'investigating', severity: null, outcome: null, summary: null, createdAt: 5, createdBy: 'bo' };
    expect(migrateBoardMeta(v0)).toEqual({
      ok: true,
      value: { schemaVersion: CURRENT_SCHEMA_VERSION, id: 'b1', title: 'Weird log line', status: 'investigating', createdAt: 5, createdBy: 'bo' },
    });
  });

  it('refuses records from a newer version instead of guessing', () => {
    expect(migrateBoardMeta({ ...boardV1, schemaVersion: 2 })).toEqual({
      ok: false,
      error: { type: 'too-new', reason: expect.stringContaining('schemaVersion 2') },
    });
  });

  it.each([['text', '1'], ['negative', -1], ['fraction', 0.5], ['NaN', Number.NaN], ['null', null]])(
    'refuses a %s schemaVersion',
    (_label, schemaVersion) => {
      expect(migrateBoardMeta({ ...boardV1, schemaVersion })).toMatchObject({ ok: false, error: { type: 'bad-version' } });
    },
  );

  it('says which field is wrong when the migrated record is invalid', () => {
    const { title: _t, ...noTitle } = boardV1;
    expect(migrateBoardMeta(noTitle)).toEqual({ ok: false, error: { type: 'invalid', reason: 'title: is required' } });
    expect(migrateBoardMeta({ ...boardV1, schemaVersion: undefined, status: 'open' })).toMatchObject({
      ok: false,
      error: { type: 'invalid', reason: expect.stringContaining('status') },
    });
  });

  it.each(HOSTILE_VALUES)('returns a typed error for %s, never throws', (_label, raw) => {
    const r = migrateBoardMeta(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['not-an-object', 'bad-version', 'invalid']).toContain(r.error.type);
  });
});

describe('migrateCallout', () => {
  it('passes stored current callouts through (schemaVersion tag dropped from the record)', () => {
    expect(migrateCallout(toStored(calloutV1))).toEqual({ ok: true, value: calloutV1 });
    // A current record stored without its tag is read as v0; the v0 step leaves it alone.
    expect(migrateCallout(calloutV1)).toEqual({ ok: true, value: calloutV1 });
  });

  it('lifts a v0 callout (to: userId + toName, deadline) to an addressee object and ackDeadline', () => {
    const { to: _to, ackDeadline: _d, ...rest } = calloutV1;
    const v0 = { ...rest, to: 'ana', toName: 'Ana', deadline: 160, readBack: null };
    const r = migrateCallout(v0);
    expect(r).toEqual({ ok: true, value: calloutV1 });
    if (r.ok) expect(validateCallout(r.value).ok).toBe(true);
  });

  it('fails a v0 callout step that lacks what it needs', () => {
    const { to: _to, ...rest } = calloutV1;
    expect(migrateCallout({ ...rest, to: 'ana' })).toEqual({
      ok: false,
      error: { type: 'step-failed', reason: 'a v0 callout addressed by user id needs toName' },
    });
  });

  it('rejects garbage with typed errors', () => {
    expect(migrateCallout('callout')).toMatchObject({ ok: false, error: { type: 'not-an-object' } });
    expect(migrateCallout([calloutV1])).toMatchObject({ ok: false, error: { type: 'not-an-object' } });
    expect(migrateCallout({ ...calloutV1, to: { kind: 'everyone' } })).toMatchObject({ ok: false, error: { type: 'invalid' } });
    for (const [, raw] of HOSTILE_VALUES) expect(migrateCallout(raw).ok).toBe(false);
  });
});

describe('migrateRoleAssignment', () => {
  const v1 = { id: 'r1', boardId: 'b1', role: 'commander', userId: 'ana', userName: 'Ana', assignedBy: 'ana', takenAt: 1, handedOverAt: 9 };

  it('lifts v0 releasedAt to handedOverAt', () => {
    const { handedOverAt: _h, ...rest } = v1;
    expect(migrateRoleAssignment({ ...rest, releasedAt: 9 })).toEqual({ ok: true, value: v1 });
    expect(migrateRoleAssignment({ ...rest, releasedAt: null })).toEqual({ ok: true, value: rest });
  });

  it('keeps current records and rejects garbage', () => {
    expect(migrateRoleAssignment(toStored(v1))).toEqual({ ok: true, value: v1 });
    expect(migrateRoleAssignment({ ...v1, role: 'captain', schemaVersion: 1 })).toMatchObject({ ok: false, error: { type: 'invalid' } });
    for (const [, raw] of HOSTILE_VALUES) expect(migrateRoleAssignment(raw).ok).toBe(false);
  });
});
