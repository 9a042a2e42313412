import { describe, expect, it } from 'vitest';
import { buildTimeline } from './build';
import { exportMarkdown, THREAD_LISTING_LIMIT } from './markdown';
import { at, TestBoard } from './test-board';

const SECTIONS = [
  'Summary',
  'Who responded',
  'Triggering event',
  'Timeline',
  'Threads',
  'Contributors and enablers',
  'Mitigators',
  'False leads and difficulties during handling',
  'Callouts',
  'Follow-ups',
  'Open questions',
  'Coherence warnings',
];

function sections(markdown: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    map.set(part.slice(0, newline), part.slice(newline + 1).trim());
  }
  return map;
}

function body(all: Map<string, string>, prefix: string): string {
  for (const [heading, text] of all) if (heading === prefix || heading.startsWith(`${prefix} (`)) return text;
  throw new Error(`no section "${prefix}" in ${[...all.keys()].join(' / ')}`);
}

/** Cells of a Markdown table row, honouring escaped pipes. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim());
}

function incident(): TestBoard {
  const b = new TestBoard().person('ana', 'Ana').person('bo', 'Bo').person('chen', 'Chen');
  b.meta = {
    ...b.meta,
    title: 'Checkout latency spike',
    status: 'resolved',
    outcome: 'escalated-to-incident',
    severity: 'sev2',
    closedAt: at('09:20'),
    summary: 'Deploy 8812 broke the cache.\n# not a heading\n1. not a list',
  };
  b.role('commander', 'ana', 'Ana', at('09:00'), { handedOverAt: at('09:15') });
  b.role('commander', 'bo', 'Bo', at('09:15'), { assignedBy: 'ana' });
  const latency = b.evidence('p99 | checkout\nlatency 4 s', 'ana', at('09:02'), at('08:55'), 'latency');
  const h1 = b.hypothesis('Payment provider degraded', 'bo', at('09:04'), 'h1');
  const h2 = b.hypothesis('Cache eviction storm', 'chen', at('09:04:20'), 'h2');
  const green = b.evidence('Provider status green', 'bo', at('09:07'), at('09:06:30'), 'green');
  b.link(green, 'refutes', h1, 'bo', at('09:07'));
  b.status(h1, 'ruled-out', 'bo', at('09:07'), 'status page green');
  const deploy = b.evidence('Deploy 8812', 'chen', at('09:04:50'), at('08:50'), 'deploy');
  b.link(deploy, 'triggers', latency, 'chen', at('09:05'));
  const rollback = b.card({ kind: 'action', title: 'Roll back 8812', author: 'chen', createdAt: at('09:06'), owner: 'chen', actionState: 'done', doneAt: at('09:09'), id: 'rollback' });
  b.link(rollback, 'mitigates', latency, 'chen', at('09:06'));
  b.status(h2, 'confirmed', 'chen', at('09:12'), 'hit rate recovered');
  b.callout({
    id: 'c1',
    from: { userId: 'chen', name: 'Chen' },
    to: { kind: 'user', userId: 'ana', name: 'Ana' },
    createdAt: at('09:05'),
    issue: 'Cache hit rate dropped to 40%',
    noticedHow: 'cache dashboard',
    intent: 'roll back 8812',
    urgency: 'high',
    state: 'acknowledged',
    acknowledgedAt: at('09:05:40'),
    acknowledgedBy: { userId: 'ana', name: 'Ana' },
    readBack: 'roll back 8812',
  });
  b.callout({ id: 'c2', from: { userId: 'bo', name: 'Bo' }, to: { kind: 'role', role: 'commander' }, createdAt: at('09:08'), issue: 'Status page?', state: 'escalated', escalatedAt: at('09:09') });
  b.card({ kind: 'action', title: 'Add cache warm-up', author: 'bo', createdAt: at('09:14'), followUp: true, owner: 'bo', actionState: 'planned' });
  b.card({ kind: 'question', title: 'Why no canary alert?', author: 'ana', createdAt: at('09:14:30') });
  return b;
}

describe('exportMarkdown', () => {
  const markdown = exportMarkdown(buildTimeline(incident().input()));
  const all = sections(markdown);

  it('has the title and every section, in reading order', () => {
    expect(markdown.startsWith('# Checkout latency spike\n')).toBe(true);
    expect([...all.keys()].map((h) => h.replace(/ \(.*\)$/, ''))).toEqual(SECTIONS);
  });

  it('Summary: status, outcome, severity, duration and times', () => {
    const summary = body(all, 'Summary');
    expect(summary).toContain('- **Status:** resolved (outcome: escalated to incident)');
    expect(summary).toContain('- **Severity:** sev2');
    expect(summary).toContain('- **Duration:** 30 min, from 2025-03-14 08:50:00 to 2025-03-14 09:20:00 UTC');
    expect(summary).toContain('- **Board opened:** 2025-03-14 09:00:00 by Ana');
    expect(summary).toContain('- **Board closed:** 2025-03-14 09:20:00');
    // The responder's summary keeps its lines but cannot inject a heading or a list.
    expect(summary).toContain('Deploy 8812 broke the cache.  \n\\# not a heading  \n1\\. not a list');
  });

  it('Who responded: one row per person with roles and their times', () => {
    const rows = body(all, 'Who responded').split('\n').slice(2).map(cells);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['Ana', 'commander 09:00:00–09:15:00', '0'],
      ['Bo', 'commander 09:15:00 onwards', '1'],
      ['Chen', '—', '1'],
    ]);
  });

  it('Triggering event: the card behind the triggers link', () => {
    expect(body(all, 'Triggering event')).toBe('**Deploy 8812** at 08:50:00, which triggers "p99 \\| checkout latency 4 s".');
  });

  it('Timeline: a table of time, thread, who and what, in UTC with the zone and day in the heading', () => {
    expect([...all.keys()]).toContain('Timeline (UTC, 2025-03-14)');
    const lines = body(all, 'Timeline').split('\n').filter((l) => l.startsWith('|'));
    expect(lines[0]).toBe('| Time | Thread | Who | What |');
    const rows = lines.slice(2).map(cells);
    expect(rows[0]).toEqual(['08:50:00', 'General', 'Chen', 'Evidence "Deploy 8812" (posted 09:04:50)']);
    // A pipe and a newline in a title stay inside their cell.
    expect(rows[1]).toEqual(['08:55:00', 'General', 'Ana', 'Evidence "p99 \\| checkout<br>latency 4 s" (posted 09:02:00)']);
    expect(rows.every((r) => r.length === 4)).toBe(true);
    expect(rows.map((r) => r[0])).toEqual([...rows.map((r) => r[0])].sort());
    expect(rows.find((r) => r[3]?.includes('escalated'))?.[2]).toBe('—');
  });

  it('Threads: each hypothesis with its status and its own events', () => {
    const threads = body(all, 'Threads');
    expect(threads).toContain('### Hypothesis: Payment provider degraded (ruled out)');
    expect(threads).toContain('### Hypothesis: Cache eviction storm (confirmed)');
    const h1 = threads.split('### Hypothesis: Payment provider degraded (ruled out)')[1]?.split('###')[0] ?? '';
    expect(h1.trim().split('\n')).toEqual([
      '- 09:04:00 **Bo** — Raised hypothesis "Payment provider degraded"',
      '- 09:06:30 **Bo** — Evidence "Provider status green" (posted 09:07:00)',
      '- 09:07:00 **Bo** — "Provider status green" refutes "Payment provider degraded"',
      '- 09:07:00 **Bo** — Hypothesis "Payment provider degraded": open → ruled out — status page green',
    ]);
  });

  it('Contributors and Mitigators', () => {
    expect(body(all, 'Contributors and enablers').split('\n')).toEqual([
      '- **Deploy 8812** (evidence, by Chen) — trigger of "p99 \\| checkout latency 4 s"',
      '- **Cache eviction storm** (hypothesis, by Chen) — confirmed hypothesis',
    ]);
    expect(body(all, 'Mitigators')).toBe('- **Roll back 8812** (action, done 09:09:00, owner Chen) — mitigates "p99 \\| checkout latency 4 s"');
  });

  it('False leads and difficulties: the false lead with its cost, and the escalated callout', () => {
    const text = body(all, 'False leads and difficulties during handling');
    const leadRow = text.split('\n').find((l) => l.startsWith('| Payment provider degraded'));
    expect(cells(leadRow ?? '')).toEqual(['Payment provider degraded', 'Bo', '09:04:00', '09:07:00', '3 min', 'status page green', '"Provider status green"']);
    expect(text).toContain('Time spent on leads that were ruled out: 3 min.');
    expect(text).toContain('- 09:08:00 Bo → the commander: "Status page?" — escalated at 09:09:00, never acknowledged');
    expect(text).toContain('None: every acknowledgement came within its deadline.');
  });

  it('Callouts: a table with acknowledgement latency and read-back', () => {
    const rows = body(all, 'Callouts').split('\n').slice(2).map(cells);
    expect(rows[0]).toEqual([
      '09:05:00',
      'Chen',
      'Ana',
      'high',
      '**Issue:** Cache hit rate dropped to 40%<br>**Noticed via:** cache dashboard<br>**Intent:** roll back 8812',
      'acknowledged',
      '40 s',
      '"roll back 8812"',
    ]);
    expect(rows[1]?.slice(5)).toEqual(['escalated', '—', '—']);
  });

  it('Follow-ups, Open questions and Coherence warnings', () => {
    expect(body(all, 'Follow-ups')).toBe('- [ ] **Add cache warm-up** (action, owner Bo)');
    expect(body(all, 'Open questions')).toBe('- **Why no canary alert?** (asked by Ana at 09:14:30)');
    expect(body(all, 'Coherence warnings').split('\n').slice(2)).toEqual([
      '- `callout-unacknowledged` Callout from Bo to the commander ("Status page?") was never acknowledged, even after escalation.',
    ]);
  });

  it('writes every time in the requested IANA zone and names it', () => {
    const berlin = sections(exportMarkdown(buildTimeline(incident().input()), { timeZone: 'Europe/Berlin' }));
    expect([...berlin.keys()]).toContain('Timeline (Europe/Berlin, 2025-03-14)');
    expect(body(berlin, 'Summary')).toContain('from 2025-03-14 09:50:00 to 2025-03-14 10:20:00 Europe/Berlin');
    expect(body(berlin, 'Timeline').split('\n').find((l) => l.startsWith('| 09:50:00'))).toContain('Deploy 8812');
    const tokyo = sections(exportMarkdown(buildTimeline(incident().input()), { timeZone: 'Asia/Tokyo' }));
    expect(body(tokyo, 'Callouts')).toContain('| 18:05:00 | Chen | Ana |');
    expect(() => exportMarkdown(buildTimeline(incident().input()), { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('shows dates on a timeline that spans several days', () => {
    const b = incident();
    b.card({ kind: 'note', title: 'next morning', author: 'ana', createdAt: at('09:00') + 86_400_000 });
    const md = exportMarkdown(buildTimeline(b.input()));
    expect(md).toContain('## Timeline (UTC)\n');
    expect(md).toContain('| 2025-03-15 09:00:00 | General | Ana | Noted "next morning" |');
  });

  it('escapes markup and HTML in what responders typed', () => {
    const b = new TestBoard().person('x', 'Eve <b>');
    b.card({ kind: 'note', title: '<img src=x onerror=alert(1)> **bold** [link](javascript:x)', author: 'x', createdAt: at('09:01') });
    const md = exportMarkdown(buildTimeline(b.input()));
    // No `<` is left that a renderer passing HTML through would treat as a tag.
    expect(md).not.toMatch(/(?<!\\)</);
    expect(md).toContain('Eve \\<b\\>');
    expect(md).toContain('\\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* \\[link\\](javascript:x)');
  });

  it('summarises threads instead of listing their events again on a very large timeline', () => {
    const b = incident();
    const h = 'h1';
    for (let i = 0; i < THREAD_LISTING_LIMIT; i++) b.status(h, i % 2 ? 'ruled-out' : 'investigating', 'bo', at('10:00') + i * 1000);
    const t = buildTimeline(b.input());
    const auto = body(sections(exportMarkdown(t)), 'Threads');
    expect(auto).toContain('the Timeline table above lists every event with its thread');
    const count = t.threads.find((th) => th.cardId === h)?.eventIds.length ?? 0;
    expect(auto).toContain(`### Hypothesis: Payment provider degraded (ruled out)\n\n${count} events from 09:04:00 to 10:33:19 (1 h 29 min).`);
    const listed = body(sections(exportMarkdown(t, { threadDetail: 'events' })), 'Threads');
    expect(listed.split('\n').filter((l) => l.startsWith('- ')).length).toBe(t.events.length);
    const small = body(all, 'Threads');
    expect(body(sections(exportMarkdown(buildTimeline(incident().input()), { threadDetail: 'summary' })), 'Threads')).not.toBe(small);
  });

  it('says so when a section has nothing to report', () => {
    const empty = sections(exportMarkdown(buildTimeline(new TestBoard().input())));
    expect(body(empty, 'Triggering event')).toBe('Not identified on the board.');
    expect(body(empty, 'Who responded')).toBe('None recorded.');
    expect(body(empty, 'False leads and difficulties during handling')).toBe('None recorded.');
    expect(body(empty, 'Coherence warnings')).toBe('None: the times and links on the board are consistent.');
  });
});
