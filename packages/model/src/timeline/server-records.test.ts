// Callout and role records reach buildTimeline from the server's storage or from socket.io payloads that
// other clients shaped. A bad one must cost only itself: left out, named in one warning, and every
// exporter (the JSON schema above all) still happy with the rest.
import { describe, expect, it } from 'vitest';
import { HOSTILE_VALUES } from '../../test/hostile';
import type { Callout } from '../records/callout';
import type { RoleAssignment } from '../records/role';
import { buildTimeline } from './build';
import { exportCsv } from './csv';
import { exportJson, validateTimelineJson } from './json';
import { exportMarkdown } from './markdown';
import { at, TestBoard } from './test-board';
import type { Timeline } from './types';

const ana = { userId: 'ana', name: 'Ana' };
const bo = { userId: 'bo', name: 'Bo' };

/** A small board whose callout and role records are all valid. */
function validBoard(): TestBoard {
  const b = new TestBoard().person('ana', 'Ana').person('bo', 'Bo');
  const h = b.hypothesis('Cache eviction storm', 'bo', at('09:04'), 'h-cache');
  b.status(h, 'confirmed', 'bo', at('09:12'));
  b.callout({
    id: 'c-rollback',
    from: bo,
    to: { kind: 'user', ...ana },
    createdAt: at('09:05'),
    state: 'acknowledged',
    acknowledgedAt: at('09:05:40'),
    acknowledgedBy: ana,
    readBack: 'roll back 8812',
    cardId: h,
  });
  b.role('commander', 'ana', 'Ana', at('09:00'), { id: 'r-commander' });
  return b;
}

const role = (fields: Record<string, unknown>): RoleAssignment =>
  ({ id: 'r-x', boardId: 'board-1', role: 'scribe', userId: 'bo', userName: 'Bo', assignedBy: 'ana', takenAt: at('09:01'), ...fields }) as never;
const callout = (fields: Record<string, unknown>): Callout =>
  ({
    id: 'c-x',
    boardId: 'board-1',
    from: ana,
    to: { kind: 'role', role: 'commander' },
    issue: 'Disk filling on db-2',
    noticedHow: 'alert',
    intent: 'add a volume',
    urgency: 'high',
    createdAt: at('09:06'),
    ackDeadline: at('09:08'),
    state: 'open',
    ...fields,
  }) as never;

/** Each bad record with the warning it must produce (sorted as the timeline lists them). */
const BAD_ROLES: [string, RoleAssignment, string][] = [
  [
    'a role taken at NaN',
    role({ id: 'r-nan', takenAt: Number.NaN }),
    'Role assignment r-nan was left out of the timeline (takenAt: must be a finite number, got NaN).',
  ],
  [
    'a role with no takenAt',
    role({ id: 'r-untimed', takenAt: undefined }),
    'Role assignment r-untimed was left out of the timeline (takenAt: is required).',
  ],
  [
    'a role handed over at NaN',
    role({ id: 'r-nan-handover', handedOverAt: Number.NaN }),
    'Role assignment r-nan-handover was left out of the timeline (handedOverAt: must be a finite number, got NaN).',
  ],
  [
    'a role that is not an object',
    42 as never,
    'A role assignment without a usable id was left out of the timeline (expected an object, got a number).',
  ],
];
const BAD_CALLOUTS: [string, Callout, string][] = [
  [
    'a callout in an unknown state',
    callout({ id: 'c-snoozed', state: 'snoozed' }),
    'Callout c-snoozed was left out of the timeline (state: must be one of open, escalated, acknowledged, closed, withdrawn).',
  ],
  [
    'a callout that is not an object',
    null as never,
    'A callout without a usable id was left out of the timeline (expected an object, got null).',
  ],
  [
    'a callout made from another (custom prototype)',
    Object.create(callout({ id: 'c-derived' })) as Callout,
    'A callout without a usable id was left out of the timeline (expected an object, got an object with a custom prototype (class instance or proxy)).',
  ],
  [
    // JSON.parse makes "__proto__" an own key: its fields must not be read through it, nor leak anywhere.
    'a callout whose fields sit under a __proto__ key',
    JSON.parse(`{"__proto__": ${JSON.stringify(callout({ id: 'c-proto' }))}}`) as Callout,
    'A callout without a usable id was left out of the timeline (id: is required).',
  ],
  [
    'a closed callout that does not say who closed it',
    callout({ id: 'c-closed', state: 'closed', acknowledgedAt: at('09:07'), acknowledgedBy: ana, closedAt: at('09:09') }),
    'Callout c-closed was left out of the timeline (closedAt: a closed callout needs closedAt and closedBy).',
  ],
];

function withBadRecords(): { timeline: Timeline; clean: Timeline } {
  const b = validBoard();
  const clean = buildTimeline(b.input(), { now: at('10:00') });
  const input = b.input();
  const timeline = buildTimeline(
    {
      ...input,
      // Bad records among the good ones, on both sides of them.
      callouts: [BAD_CALLOUTS[0]![1], ...input.callouts, ...BAD_CALLOUTS.slice(1).map(([, c]) => c)],
      roles: [...BAD_ROLES.slice(0, 2).map(([, r]) => r), ...input.roles, ...BAD_ROLES.slice(2).map(([, r]) => r)],
    },
    { now: at('10:00') },
  );
  return { timeline, clean };
}

describe('buildTimeline with invalid callout and role records', () => {
  const { timeline, clean } = withBadRecords();
  const expectedMessages = [...BAD_CALLOUTS, ...BAD_ROLES].map(([, , message]) => message).sort();

  it('leaves each one out with one invalid-record warning naming it and saying what is wrong', () => {
    const invalid = timeline.warnings.filter((w) => w.code === 'invalid-record');
    expect(invalid.map((w) => w.message)).toEqual(expectedMessages);
    expect(invalid.every((w) => w.cardIds === undefined)).toBe(true);
    expect(timeline.warnings.slice(0, invalid.length)).toEqual(invalid); // listed before the other warnings
  });

  it('keeps everything else exactly as the valid records alone give it', () => {
    const { warnings, ...rest } = timeline;
    const { warnings: cleanWarnings, ...cleanRest } = clean;
    expect(rest).toEqual(cleanRest);
    expect(warnings.slice(expectedMessages.length)).toEqual(cleanWarnings);
    expect(timeline.callouts.map((c) => c.id)).toEqual(['c-rollback']);
    expect(timeline.callouts[0]).toMatchObject({ ackLatencyMs: 40_000, readBack: 'roll back 8812' });
    expect(timeline.participants.find((p) => p.userId === 'ana')?.roles).toEqual([
      { role: 'commander', takenAt: at('09:00'), assignedBy: { userId: 'ana', name: 'Ana' } },
    ]);
    expect(timeline.participants.find((p) => p.userId === 'bo')?.roles).toEqual([]);
    expect(timeline.events.filter((e) => e.kind.startsWith('role-') || e.kind.startsWith('callout-')).map((e) => e.id)).toEqual(
      clean.events.filter((e) => e.kind.startsWith('role-') || e.kind.startsWith('callout-')).map((e) => e.id),
    );
  });

  it('exports JSON that passes the schema check (a NaN role time used to become null there)', () => {
    const checked = validateTimelineJson(JSON.parse(exportJson(timeline)));
    expect(checked.ok ? 'valid' : checked.error).toBe('valid');
  });

  it('lists the warnings in the Markdown document like any other coherence warning', () => {
    const markdown = exportMarkdown(timeline);
    const section = markdown.slice(markdown.indexOf('## Coherence warnings'));
    for (const message of expectedMessages) expect(section).toContain(`- \`invalid-record\` ${message}`);
    expect(markdown).toContain(`${timeline.warnings.length} coherence warnings`);
    expect(exportCsv(timeline)).toBe(exportCsv(clean)); // the CSV holds events only: nothing of the bad records
  });

  it('gives the same timeline whatever order the records arrive in', () => {
    const b = validBoard();
    const input = b.input();
    const callouts = [...BAD_CALLOUTS.map(([, c]) => c), ...input.callouts];
    const roles = [...BAD_ROLES.map(([, r]) => r), ...input.roles];
    const forward = buildTimeline({ ...input, callouts, roles }, { now: at('10:00') });
    const backward = buildTimeline({ ...input, callouts: [...callouts].reverse(), roles: [...roles].reverse() }, { now: at('10:00') });
    expect(backward).toEqual(forward);
    expect(forward).toEqual(timeline);
  });
});

describe('buildTimeline with hostile values where records belong', () => {
  it.each(HOSTILE_VALUES)('%s as a callout and as a role: skipped, one warning each, no throw', (_name, value) => {
    const input = validBoard().input();
    const timeline = buildTimeline({
      ...input,
      callouts: [...input.callouts, value as Callout],
      roles: [value as RoleAssignment, ...input.roles],
    });
    const invalid = timeline.warnings.filter((w) => w.code === 'invalid-record');
    expect(invalid).toHaveLength(2);
    expect(invalid.map((w) => w.message)).toEqual([
      expect.stringMatching(/^A callout without a usable id was left out of the timeline \(.+\)\.$/),
      expect.stringMatching(/^A role assignment without a usable id was left out of the timeline \(.+\)\.$/),
    ]);
    expect(timeline.callouts.map((c) => c.id)).toEqual(['c-rollback']);
    expect(validateTimelineJson(JSON.parse(exportJson(timeline))).ok).toBe(true);
  });

  it('does not let a __proto__ key reach any prototype', () => {
    const input = validBoard().input();
    const polluted = JSON.parse('{"__proto__": {"polluted": true}, "id": "c-evil"}') as Callout;
    buildTimeline({ ...input, callouts: [polluted], roles: [polluted as never] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a valid record that carries an extra __proto__ key, without the key', () => {
    const input = validBoard().input();
    const plain = input.callouts[0] as Callout;
    const withProtoKey = JSON.parse(`{"__proto__": {"state": "withdrawn"}, ${JSON.stringify(plain).slice(1)}`) as Callout;
    expect(Object.keys(withProtoKey)).toContain('__proto__');
    const timeline = buildTimeline({ ...input, callouts: [withProtoKey] });
    expect(timeline).toEqual(buildTimeline(input));
    expect(timeline.warnings.some((w) => w.code === 'invalid-record')).toBe(false);
  });

  it('leaves out a list that is not a list, with one warning', () => {
    const input = validBoard().input();
    const timeline = buildTimeline({ ...input, roles: { length: 1, 0: input.roles[0] } as never });
    expect(timeline.warnings.filter((w) => w.code === 'invalid-record')).toEqual([
      { code: 'invalid-record', message: 'The role assignment records were left out of the timeline (expected a list).' },
    ]);
    expect(timeline.callouts.map((c) => c.id)).toEqual(['c-rollback']);
  });
});
