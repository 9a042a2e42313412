import { describe, expect, it } from 'vitest';
import { buildTimeline } from './build';
import { at, TestBoard } from './test-board';
import type { CoherenceWarning, WarningCode } from './types';

function team(): TestBoard {
  return new TestBoard().person('ana', 'Ana').person('bo', 'Bo');
}

function warningsOf(b: TestBoard, options?: Parameters<typeof buildTimeline>[1]): CoherenceWarning[] {
  return buildTimeline(b.input(), options).warnings;
}

function only(b: TestBoard, code: WarningCode, options?: Parameters<typeof buildTimeline>[1]): CoherenceWarning[] {
  return warningsOf(b, options).filter((w) => w.code === code);
}

const ana = { userId: 'ana', name: 'Ana' };
const toBo = { kind: 'user' as const, userId: 'bo', name: 'Bo' };

describe('coherence warnings', () => {
  it('raises none for a consistent board', () => {
    const b = team();
    const h = b.hypothesis('H', 'bo', at('09:01'));
    const e = b.evidence('E', 'ana', at('09:02'), at('08:59'));
    b.link(e, 'supports', h, 'ana', at('09:02'));
    b.status(h, 'confirmed', 'bo', at('09:03'));
    b.callout({ from: ana, to: toBo, createdAt: at('09:04'), state: 'acknowledged', acknowledgedAt: at('09:04:10'), acknowledgedBy: { userId: 'bo', name: 'Bo' } });
    expect(warningsOf(b, { now: at('10:00') })).toEqual([]);
  });

  it('evidence-without-observed-at: names the evidence and says where it was placed', () => {
    const b = team();
    const e = b.evidence('5xx rate up', 'ana', at('09:02'));
    expect(only(b, 'evidence-without-observed-at')).toEqual([
      {
        code: 'evidence-without-observed-at',
        message: 'Evidence "5xx rate up" has no time it was observed; it is placed at the time it was posted.',
        cardIds: [e],
      },
    ]);
  });

  it('hypothesis-unresolved: open, investigating and supported hypotheses, worded for a resolved board', () => {
    const b = team();
    const open = b.hypothesis('open one', 'bo', at('09:01'));
    const inv = b.hypothesis('looked at', 'bo', at('09:02'));
    b.status(inv, 'investigating', 'bo', at('09:03'));
    const sup = b.hypothesis('supported one', 'bo', at('09:04'));
    b.status(sup, 'supported', 'bo', at('09:05'));
    const done = b.hypothesis('ruled out', 'bo', at('09:06'));
    b.status(done, 'ruled-out', 'bo', at('09:07'));
    expect(only(b, 'hypothesis-unresolved').map((w) => [w.cardIds, w.message])).toEqual([
      [[open], 'Hypothesis "open one" is still open: neither confirmed nor ruled out.'],
      [[inv], 'Hypothesis "looked at" is still investigating: neither confirmed nor ruled out.'],
      [[sup], 'Hypothesis "supported one" is still supported: neither confirmed nor ruled out.'],
    ]);
    b.meta = { ...b.meta, status: 'resolved', closedAt: at('09:30'), outcome: 'no-impact' };
    expect(only(b, 'hypothesis-unresolved')[2]?.message).toBe('Hypothesis "supported one" was still supported when the board was resolved.');
  });

  it('callout-unacknowledged: open and escalated callouts, not acknowledged or withdrawn ones', () => {
    const b = team();
    const h = b.hypothesis('H', 'ana', at('09:01'));
    b.callout({ from: ana, to: toBo, createdAt: at('09:02'), issue: 'disk full', cardId: h });
    b.callout({ from: ana, to: { kind: 'role', role: 'commander' }, createdAt: at('09:03'), issue: 'need a decision', state: 'escalated', escalatedAt: at('09:04') });
    b.callout({ from: ana, to: toBo, createdAt: at('09:05'), state: 'withdrawn', withdrawnAt: at('09:06') });
    expect(only(b, 'callout-unacknowledged')).toEqual([
      { code: 'callout-unacknowledged', message: 'Callout from Ana to Bo ("disk full") was never acknowledged.', cardIds: [h] },
      { code: 'callout-unacknowledged', message: 'Callout from Ana to the commander ("need a decision") was never acknowledged, even after escalation.' },
    ]);
  });

  it('link-to-deleted-card and reference-to-deleted-card', () => {
    const b = team();
    const h = b.hypothesis('Still here', 'bo', at('09:01'));
    b.link('gone-1', 'supports', h, 'ana', at('09:02'));
    b.statusLog.push({ id: 's-gone', cardId: 'gone-2', from: 'open', to: 'ruled-out', by: 'bo', at: at('09:03'), reason: '' });
    b.callout({ from: ana, to: toBo, createdAt: at('09:04'), issue: 'look', cardId: 'gone-3', state: 'withdrawn', withdrawnAt: at('09:05') });
    expect(only(b, 'link-to-deleted-card')).toEqual([
      { code: 'link-to-deleted-card', message: 'A "supports" link from card gone-1 to "Still here" points at a deleted card.', cardIds: ['gone-1'] },
    ]);
    expect(only(b, 'reference-to-deleted-card').map((w) => w.cardIds)).toEqual([['gone-2'], ['gone-3']]);
    // The events still appear, naming the missing card.
    const t = buildTimeline(b.input());
    expect(t.events.find((e) => e.kind === 'link-created')?.text).toBe('(deleted card gone-1) supports "Still here"');
  });

  it('time-out-of-order: effects stamped before their causes', () => {
    const b = team();
    const h = b.hypothesis('Raised late', 'bo', at('09:10'));
    b.status(h, 'ruled-out', 'bo', at('09:07'));
    b.evidence('From the future', 'ana', at('09:00'), at('09:05'));
    b.evidence('Slightly ahead', 'ana', at('09:00'), at('09:01')); // within the 2 min threshold: fine
    b.card({ kind: 'evidence', title: 'Noticed first', author: 'ana', createdAt: at('09:20'), observedAt: at('09:15'), noticedAt: at('09:10') });
    const n1 = b.card({ kind: 'note', title: 'n1', author: 'ana', createdAt: at('09:30') });
    b.link(n1, 'leads-to', h, 'ana', at('09:20'));
    b.callout({ from: ana, to: toBo, createdAt: at('09:20'), state: 'acknowledged', acknowledgedAt: at('09:19'), acknowledgedBy: { userId: 'bo', name: 'Bo' }, issue: 'odd' });
    b.role('scribe', 'bo', 'Bo', at('09:20'), { handedOverAt: at('09:10') });
    b.meta = { ...b.meta, status: 'resolved', closedAt: at('08:00') };
    expect(only(b, 'time-out-of-order').map((w) => w.message)).toEqual([
      'Hypothesis "Raised late" was ruled out 3 min before it was raised.',
      'Evidence "From the future" is said to be observed 5 min after it was posted.',
      'Evidence "Noticed first" was noticed 5 min before it was observed.',
      'A "leads-to" link from "n1" to "Raised late" was made 10 min before the card it connects existed.',
      'Callout from Ana ("odd") was acknowledged 1 min before it was sent.',
      'The scribe role of Bo was handed over 10 min before it was taken.',
      'The board was closed 1 h before it was opened.',
    ]);
  });

  it('clock-skew: participants whose measured clock offset exceeds the threshold, with their cards', () => {
    const b = new TestBoard()
      .person('ana', 'Ana', { clockOffsetMs: 90_000 })
      .person('bo', 'Bo', { clockOffsetMs: -300_000 })
      .person('chen', 'Chen', { clockOffsetMs: 150_000 });
    const card = b.card({ kind: 'note', title: 'n', author: 'bo', createdAt: at('09:01') });
    expect(only(b, 'clock-skew')).toEqual([
      {
        code: 'clock-skew',
        message: "Bo's clock was 5 min ahead of the server; times they recorded may be off by that much.",
        cardIds: [card],
      },
      {
        code: 'clock-skew',
        message: "Chen's clock was 2 min 30 s behind the server; times they recorded may be off by that much.",
      },
    ]);
    expect(only(b, 'clock-skew', { clockSkewThresholdMs: 60_000 }).map((w) => w.message.split("'")[0])).toEqual(['Ana', 'Bo', 'Chen']);
  });

  it('future-timestamp: records stamped after `now` (beyond the threshold); skipped without `now`', () => {
    const b = team();
    const c = b.card({ kind: 'note', title: 'tomorrow', author: 'bo', createdAt: at('11:00') });
    b.card({ kind: 'note', title: 'just now', author: 'bo', createdAt: at('10:01') });
    const h = b.hypothesis('H', 'bo', at('09:00'));
    b.status(h, 'confirmed', 'bo', at('10:30'));
    expect(only(b, 'future-timestamp', { now: at('10:00') }).map((w) => [w.message, w.cardIds])).toEqual([
      ['Card "tomorrow" is stamped created 1 h in the future.', [c]],
      ['A status change (open → confirmed) is stamped 30 min in the future.', [h]],
    ]);
    expect(only(b, 'future-timestamp')).toEqual([]);
  });

  it('invalid-time: events with no usable time', () => {
    const b = team();
    b.card({ kind: 'note', title: 'broken', author: 'bo', createdAt: Number.NaN, id: 'broken' });
    expect(only(b, 'invalid-time')).toEqual([
      { code: 'invalid-time', message: 'An event has no valid time and is listed last: Noted "broken"', cardIds: ['broken'] },
    ]);
  });
});

describe('records from storage with unusable times', () => {
  it('a role with a non-finite hand-over time is left out with a warning; every exporter still works', async () => {
    const { exportMarkdown, exportCsv, exportJson, validateTimelineJson } = await import('./index');
    const b = team();
    b.hypothesis('H', 'bo', at('09:01'));
    const input = b.input();
    const broken = { id: 'r1', boardId: input.board.meta.id, role: 'commander', userId: 'ana', userName: 'Ana', assignedBy: 'ana', takenAt: at('09:00'), handedOverAt: Number.NaN };
    const timeline = buildTimeline({ ...input, roles: [broken as never] });
    expect(timeline.warnings.filter((w) => w.code === 'invalid-record')).toEqual([
      { code: 'invalid-record', message: 'Role assignment r1 was left out of the timeline (handedOverAt: must be a finite number, got NaN).' },
    ]);
    expect(timeline.events.some((e) => e.kind.startsWith('role-'))).toBe(false);
    for (const timeZone of ['UTC', 'Europe/Berlin']) {
      const markdown = exportMarkdown(timeline, { timeZone });
      expect(markdown).not.toContain('invalid time');
      expect(markdown).toContain('- `invalid-record` Role assignment r1 was left out of the timeline');
      expect(exportCsv(timeline, { timeZone })).not.toContain('NaN');
    }
    expect(validateTimelineJson(JSON.parse(exportJson(timeline))).ok).toBe(true);
  });
});
