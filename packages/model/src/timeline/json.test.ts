import { describe, expect, it } from 'vitest';
import { buildTimeline } from './build';
import { exportJson, parseTimelineJson, TIMELINE_JSON_SCHEMA, validateTimelineJson } from './json';
import type { JsonSchema } from './json-schema-check';
import { SUPPORTED_KEYWORDS } from './json-schema-check';
import { at, TestBoard } from './test-board';

function richBoard(): TestBoard {
  const b = new TestBoard().person('ana', 'Ana', { clockOffsetMs: 400_000 }).person('bo', 'Bo');
  b.meta = { ...b.meta, status: 'resolved', outcome: 'bug-filed', severity: 'sev3', closedAt: at('09:40'), summary: 'Fixed.' };
  const theory = b.card({ kind: 'theory', title: 'Capacity', author: 'ana', createdAt: at('09:01') });
  const h = b.hypothesis('Pool exhausted', 'bo', at('09:02'));
  b.link(h, 'part-of', theory, 'bo', at('09:02'));
  const e = b.evidence('Pool at 100%', 'bo', at('09:03'), at('09:02:30'));
  b.card({ kind: 'evidence', title: 'no observed time', author: 'ana', createdAt: at('09:03'), noticedAt: at('09:02') });
  b.link(e, 'refutes', h, 'bo', at('09:04'));
  b.status(h, 'ruled-out', 'bo', at('09:05'), 'pool fine');
  const fix = b.card({ kind: 'action', title: 'Restart', author: 'ana', createdAt: at('09:06'), actionState: 'done', doneAt: at('09:07'), owner: 'bo', followUp: true });
  b.link(fix, 'mitigates', e, 'ana', at('09:06'));
  b.link(e, 'triggers', 'deleted-card', 'ana', at('09:06'));
  b.card({ kind: 'question', title: 'Why?', author: 'ana', createdAt: at('09:08') });
  b.callout({ from: { userId: 'ana', name: 'Ana' }, to: { kind: 'role', role: 'commander' }, createdAt: at('09:09'), state: 'withdrawn', withdrawnAt: at('09:10'), withdrawReason: 'done', cardId: h });
  b.callout({ from: { userId: 'bo', name: 'Bo' }, to: { kind: 'user', userId: 'ana', name: 'Ana' }, createdAt: at('09:09'), state: 'closed', acknowledgedAt: at('09:09:30'), acknowledgedBy: { userId: 'ana', name: 'Ana' }, readBack: 'ok', closedAt: at('09:11'), closedBy: 'bo' });
  b.role('commander', 'ana', 'Ana', at('09:00'), { handedOverAt: at('09:20') });
  b.role('observer', 'zed', 'Zed', at('09:20'), { assignedBy: 'ana' });
  return b;
}

function walkKeywords(schema: JsonSchema, seen: string[] = []): string[] {
  for (const [key, value] of Object.entries(schema)) {
    seen.push(key);
    if (key === 'properties' || key === '$defs') for (const sub of Object.values(value as Record<string, JsonSchema>)) walkKeywords(sub, seen);
    if (key === 'items') walkKeywords(value as JsonSchema, seen);
    if (key === 'anyOf') for (const sub of value as JsonSchema[]) walkKeywords(sub, seen);
  }
  return seen;
}

describe('exportJson / TIMELINE_JSON_SCHEMA / validateTimelineJson', () => {
  const timeline = buildTimeline(richBoard().input(), { now: at('10:00') });
  const text = exportJson(timeline);

  it('wraps the timeline with its schema name and version', () => {
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(doc.schema).toBe('redstring.timeline');
    expect(doc.version).toBe(1);
    expect(Object.keys(doc).slice(0, 3)).toEqual(['schema', 'version', 'board']);
  });

  it('validates against its schema and reads back to the same timeline', () => {
    expect(timeline.warnings.map((w) => w.code)).toContain('link-to-deleted-card'); // the sample exercises optional parts
    const back = parseTimelineJson(text);
    expect(back).toEqual({ ok: true, value: timeline });
    expect(exportJson(back.ok ? back.value : timeline)).toBe(text);
  });

  it('accepts the in-memory document too (properties set to undefined count as absent, as in JSON)', () => {
    expect(validateTimelineJson({ schema: 'redstring.timeline', version: 1, ...timeline })).toEqual({ ok: true, value: timeline });
  });

  it('is a documented draft 2020-12 schema that uses only keywords the checker implements', () => {
    expect(TIMELINE_JSON_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(TIMELINE_JSON_SCHEMA.description).toBeTruthy();
    const unsupported = walkKeywords(TIMELINE_JSON_SCHEMA).filter((k) => !SUPPORTED_KEYWORDS.has(k));
    expect(unsupported).toEqual([]);
    // Every property of every definition is described by its schema: none may be missing from a real export.
    const event = TIMELINE_JSON_SCHEMA.$defs?.event;
    expect(Object.keys(event?.properties ?? {})).toEqual(expect.arrayContaining(Object.keys(timeline.events[0] ?? {})));
  });

  it('rejects documents that do not match, saying where', () => {
    const doc = () => JSON.parse(text) as Record<string, unknown> & { events: Record<string, unknown>[]; callouts: Record<string, unknown>[] };
    const cases: [string, (d: ReturnType<typeof doc>) => unknown, string, string][] = [
      ['wrong version', (d) => ({ ...d, version: 2 }), 'version', 'expected 1'],
      ['wrong schema name', (d) => ({ ...d, schema: 'other' }), 'schema', 'expected "redstring.timeline"'],
      ['missing section', ({ events: _events, ...rest }) => rest, 'events', 'is required'],
      ['bad time', (d) => { (d.events[2] as Record<string, unknown>).time = '09:00'; return d; }, 'events[2].time', 'expected number or null, got string'],
      ['unknown kind', (d) => { (d.events[0] as Record<string, unknown>).kind = 'party'; return d; }, 'events[0].kind', 'expected one of'],
      ['extra property', (d) => ({ ...d, extra: true }), 'extra', 'is not allowed here'],
      ['prototype key', () => JSON.parse(text.replace('"board": {', '"board": {"__proto__": {"polluted": true},')), 'board.__proto__', 'is not allowed here'],
      ['actor neither person nor null', (d) => { (d.events[0] as Record<string, unknown>).actor = 'ana'; return d; }, 'events[0].actor', 'matches no alternative'],
      ['negative count', (d) => { (d.participants as { activity: { linksCreated: number } }[])[0]!.activity.linksCreated = -1; return d; }, 'participants[0].activity.linksCreated', 'must be at least 0'],
      ['not an object', () => [], '', 'expected object, got array'],
    ];
    for (const [name, mutate, path, message] of cases) {
      const result = validateTimelineJson(mutate(doc()));
      expect(result.ok, name).toBe(false);
      if (!result.ok) {
        expect(result.error.path, name).toBe(path);
        expect(result.error.message, name).toContain(message);
      }
    }
    expect(parseTimelineJson('{"schema":').ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('checks deeply nested hostile input without overflowing the stack', () => {
    let deep: unknown = null;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const d = JSON.parse(text) as Record<string, unknown>;
    d.events = deep;
    const result = validateTimelineJson(d);
    expect(result.ok).toBe(false);
  });
});
