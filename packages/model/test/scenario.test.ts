// The brief's invented "Checkout latency spike", played out the way the product records it: three
// responders on three replicas of one board (Yjs documents kept in sync), plus the callout and role
// records the server would hold. The exported document is compared with the checked-in
// examples/checkout-latency.md, so a reviewer can read what the exporter produces.
import * as Y from 'yjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  type Callout,
  type CalloutAction,
  type NewCalloutInput,
  type RoleAssignment,
  type RoleName,
  type Timeline,
  BoardDoc,
  applyCalloutAction,
  applyRoleChanges,
  assignRole,
  buildTimeline,
  exportCsv,
  exportJson,
  exportMarkdown,
  newCallout,
  parseTimelineJson,
} from '../src/index';

const BOARD_ID = 'checkout-latency';
/** 2025-03-14 at hh:mm[:ss] UTC (an invented date). */
function at(hhmmss: string): number {
  const [h = 0, m = 0, s = 0] = hhmmss.split(':').map(Number);
  return Date.UTC(2025, 2, 14, h, m, s);
}

const ana: Actor = { userId: 'ana', name: 'Ana' };
const bo: Actor = { userId: 'bo', name: 'Bo' };
const chen: Actor = { userId: 'chen', name: 'Chen' };

/** Three replicas of one board; every update is relayed to the others at once. */
function connectedReplicas(count: number): Y.Doc[] {
  const relay = Symbol('relay');
  const docs = Array.from({ length: count }, () => new Y.Doc());
  for (const doc of docs) {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === relay) return;
      for (const other of docs) if (other !== doc) Y.applyUpdate(other, update, relay);
    });
  }
  return docs;
}

/** Plays the incident and returns what the board and the server hold at the end. */
function playIncident() {
  let now = at('09:01');
  const clock = () => now;
  const [anaDoc, boDoc, chenDoc] = connectedReplicas(3) as [Y.Doc, Y.Doc, Y.Doc];
  const counters = new Map<string, number>();
  const ids = (prefix: string) => () => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}-${n}`;
  };
  BoardDoc.initialize(anaDoc, { id: BOARD_ID, title: 'Checkout latency spike', createdBy: 'ana', createdAt: now });
  const A = new BoardDoc(anaDoc, { actor: ana, clock, newId: ids('ana') });
  const B = new BoardDoc(boDoc, { actor: bo, clock, newId: ids('bo') });
  const C = new BoardDoc(chenDoc, { actor: chen, clock, newId: ids('chen') });

  // The server's records.
  let roles: RoleAssignment[] = [];
  const callouts = new Map<string, Callout>();
  const take = (role: RoleName, who: Actor, by: Actor) => {
    roles = applyRoleChanges(
      roles,
      assignRole(roles, {
        id: `role-${roles.length + 1}`,
        boardId: BOARD_ID,
        role,
        userId: who.userId,
        userName: who.name,
        assignedBy: by.userId,
        now,
      }),
    );
  };
  const callout = (from: Actor, input: Omit<NewCalloutInput, 'boardId'>): string => {
    const id = `callout-${callouts.size + 1}`;
    const r = newCallout({ ...input, boardId: BOARD_ID }, { actor: from, now, id });
    if (!r.ok) throw new Error(r.error.message);
    callouts.set(id, r.value);
    return id;
  };
  const act = (id: string, actor: Actor, action: CalloutAction) => {
    const current = callouts.get(id);
    if (!current) throw new Error(`no callout ${id}`);
    const r = applyCalloutAction(current, action, { actor, now, roles });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    callouts.set(id, r.value);
  };
  const status = (doc: BoardDoc, cardId: string, to: Parameters<BoardDoc['setHypothesisStatus']>[1], reason: string) => {
    const r = doc.setHypothesisStatus(cardId, to, reason);
    if (!r.ok) throw new Error(r.error.message);
  };

  // 09:01 Ana opens the board and takes command.
  A.touchParticipant({ name: 'Ana', color: '#d94f4f', clockOffsetMs: 120 });
  take('commander', ana, ana);
  now = at('09:01:30');
  B.touchParticipant({ name: 'Bo', color: '#3f7fd9', clockOffsetMs: -340 });
  C.touchParticipant({ name: 'Chen', color: '#3fa66b', clockOffsetMs: 80 });
  take('scribe', bo, ana);

  // 09:02 Ana posts the symptom, which began at 08:55.
  now = at('09:02');
  const latency = A.createCard({
    kind: 'evidence',
    title: 'p99 checkout latency 4 s',
    source: { kind: 'dashboard', value: 'https://dashboards.example/checkout-latency', label: 'Checkout latency' },
    observedAt: at('08:55'),
    noticedAt: at('08:58'),
  });

  // 09:04 two hypotheses.
  now = at('09:04');
  const h1 = B.createCard({ kind: 'hypothesis', title: 'Payment provider degraded' });
  now = at('09:04:20');
  const h2 = C.createCard({ kind: 'hypothesis', title: 'Cache eviction storm after deploy 8812' });
  now = at('09:04:30');
  const cacheDrop = C.createCard({
    kind: 'evidence',
    title: 'Cache hit rate dropped from 97% to 40%',
    source: { kind: 'dashboard', value: 'https://dashboards.example/cache', label: 'Cache' },
    observedAt: at('08:54'),
  });
  C.link(cacheDrop, h2, 'supports');
  now = at('09:04:50');
  const deploy = C.createCard({
    kind: 'evidence',
    title: 'Deploy 8812 rolled out (cache client upgrade)',
    source: { kind: 'log', value: 'deploy log #8812' },
    observedAt: at('08:50'),
  });
  C.link(deploy, latency, 'triggers', 'the new cache client evicts on every config reload');

  // 09:05 Chen calls out to the commander; Ana acknowledges 40 s later with a read-back.
  now = at('09:05');
  const rollbackCallout = callout(chen, {
    to: { kind: 'user', userId: 'ana', name: 'Ana' },
    issue: 'Cache hit rate dropped from 97% to 40% at 08:54',
    noticedHow: 'cache dashboard',
    intent: 'roll back deploy 8812 — ack?',
    cardId: h2,
    urgency: 'high',
    ackWithinSeconds: 120,
  });
  now = at('09:05:40');
  act(rollbackCallout, ana, { type: 'acknowledge', readBack: 'roll back 8812' });
  now = at('09:05:50');
  status(B, h1, 'investigating', 'checking the provider status page');
  A.setBoardMeta({ status: 'incident', severity: 'sev2' });

  // 09:06 the rollback starts.
  now = at('09:06');
  const rollback = C.createCard({ kind: 'action', title: 'Roll back deploy 8812', owner: 'chen', actionState: 'in-progress' });
  C.link(rollback, latency, 'mitigates');

  // 09:07 Bo rules out the payment provider: a false lead that cost 3 minutes.
  now = at('09:07');
  const providerGreen = B.createCard({
    kind: 'evidence',
    title: 'Provider status green; our provider-call latency flat',
    source: { kind: 'query', value: 'histogram_quantile(0.99, provider_call_seconds)' },
    observedAt: at('09:06:30'),
  });
  B.link(providerGreen, h1, 'refutes');
  status(B, h1, 'ruled-out', 'provider status green and call latency flat');

  // 09:08 Bo calls out to Chen, who is busy; it escalates at its deadline and is acknowledged late.
  now = at('09:08');
  const statusPage = callout(bo, {
    to: { kind: 'user', userId: 'chen', name: 'Chen' },
    issue: 'Support reports failed checkouts from customers',
    noticedHow: 'support queue',
    intent: 'update the status page unless you object',
    urgency: 'normal',
    ackWithinSeconds: 60,
  });
  now = at('09:09');
  C.updateCard(rollback, { actionState: 'done', doneAt: at('09:09') });
  now = at('09:09:05');
  act(statusPage, chen, { type: 'escalate' });
  now = at('09:10');
  act(statusPage, chen, { type: 'acknowledge', readBack: 'go ahead with the status page' });

  // 09:12 latency back to normal; H2 confirmed.
  now = at('09:12');
  const recovered = A.createCard({
    kind: 'evidence',
    title: 'Latency back to normal (p99 350 ms)',
    source: { kind: 'dashboard', value: 'https://dashboards.example/checkout-latency' },
    observedAt: at('09:11:30'),
  });
  A.link(recovered, h2, 'supports');
  now = at('09:12:30');
  status(C, h2, 'confirmed', 'hit rate recovered right after the rollback');

  // Follow-ups, an open question, the hand-over, and closing.
  now = at('09:14');
  B.createCard({
    kind: 'action',
    title: 'Warm the cache before deploys reach full traffic',
    owner: 'bo',
    actionState: 'planned',
    followUp: true,
  });
  B.createCard({ kind: 'question', title: 'Why did the canary not catch the eviction storm?', followUp: true });
  now = at('09:15');
  take('commander', bo, ana);
  now = at('09:20');
  B.setBoardMeta({
    summary:
      'Deploy 8812 upgraded the cache client, which evicted on every config reload. Checkout p99 rose to 4 s for 17 minutes until the rollback.',
  });
  B.closeBoard('escalated-to-incident');

  const reads = [A.read(), B.read(), C.read()];
  return { reads, callouts: [...callouts.values()], roles, replicas: [A, B, C] as const };
}

/** Markdown split into its `## ` sections, by heading. */
function sections(markdown: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    map.set(part.slice(0, newline), part.slice(newline + 1));
  }
  return map;
}

function section(all: Map<string, string>, prefix: string): string {
  for (const [heading, body] of all) if (heading.startsWith(prefix)) return body;
  throw new Error(`no section ${prefix}; have ${[...all.keys()].join(' / ')}`);
}

function tableRows(body: string): string[][] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('|---'))
    .slice(1)
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((cell) => cell.trim()),
    );
}

describe('scenario: Checkout latency spike', () => {
  let timeline: Timeline;
  let markdown: string;
  let replicas: Timeline[];

  beforeAll(() => {
    const played = playIncident();
    for (const read of played.reads) expect(read.problems).toEqual([]);
    replicas = played.reads.map((read) =>
      buildTimeline({ board: read.board, callouts: played.callouts, roles: played.roles }, { now: at('09:30') }),
    );
    timeline = replicas[0] as Timeline;
    markdown = exportMarkdown(timeline);
  });

  it('produces the same timeline on every replica', () => {
    expect(replicas[1]).toEqual(timeline);
    expect(replicas[2]).toEqual(timeline);
  });

  it('orders the story by when things happened, not when they were posted', () => {
    const rows = tableRows(section(sections(markdown), 'Timeline'));
    const what = rows.map((r) => r[3] ?? '');
    const index = (text: string) => what.findIndex((w) => w.includes(text));
    expect(rows[0]?.[0]).toBe('08:50:00');
    expect(index('Deploy 8812 rolled out')).toBe(0);
    expect(index('Cache hit rate dropped')).toBe(1);
    expect(index('p99 checkout latency 4 s')).toBe(2);
    expect(index('Opened the board')).toBe(3);
    // The three clocks of the latency evidence: observed 08:55, noticed 08:58, posted 09:02.
    expect(rows[2]).toEqual([
      '08:55:00',
      'General',
      'Ana',
      'Evidence "p99 checkout latency 4 s" (dashboard: Checkout latency) (posted 09:02:00, noticed 08:58:00)',
    ]);
    expect(index('Payment provider degraded": investigating → ruled out')).toBeGreaterThan(index('Raised hypothesis "Payment provider degraded"'));
    expect(rows.at(-1)?.[3]).toBe('Board closed (outcome: escalated to incident)');
  });

  it('shows the payment provider as a false lead that cost 3 minutes', () => {
    const body = section(sections(markdown), 'False leads and difficulties');
    const [lead] = tableRows(body.split('### Callouts escalated')[0] ?? '');
    expect(lead).toEqual([
      'Payment provider degraded',
      'Bo',
      '09:04:00',
      '09:07:00',
      '3 min',
      'provider status green and call latency flat',
      '"Provider status green; our provider-call latency flat"',
    ]);
    expect(body).toContain('Bo → Chen: "Support reports failed checkouts from customers" — escalated at 09:09:05, acknowledged after 2 min');
    expect(body).toContain('acknowledged after 2 min, deadline was 1 min');
  });

  it('shows the callout acknowledged in 40 s with its read-back', () => {
    const rows = tableRows(section(sections(markdown), 'Callouts'));
    expect(rows[0]?.slice(0, 4)).toEqual(['09:05:00', 'Chen', 'Ana', 'high']);
    expect(rows[0]?.[4]).toContain('Cache hit rate dropped from 97% to 40% at 08:54');
    expect(rows[0]?.slice(5)).toEqual(['acknowledged', '40 s', '"roll back 8812"']);
    expect(rows[1]?.slice(5)).toEqual(['acknowledged', '2 min', '"go ahead with the status page"']);
  });

  it('lists the deploy as a contributor and the rollback as a mitigator', () => {
    const all = sections(markdown);
    expect(section(all, 'Triggering event')).toContain(
      '**Deploy 8812 rolled out (cache client upgrade)** at 08:50:00, which triggers "p99 checkout latency 4 s".',
    );
    const contributors = section(all, 'Contributors and enablers');
    expect(contributors).toContain('- **Deploy 8812 rolled out (cache client upgrade)** (evidence, by Chen) — trigger of "p99 checkout latency 4 s"');
    expect(contributors).toContain('- **Cache eviction storm after deploy 8812** (hypothesis, by Chen) — confirmed hypothesis');
    expect(section(all, 'Mitigators')).toContain(
      '- **Roll back deploy 8812** (action, done 09:09:00, owner Chen) — mitigates "p99 checkout latency 4 s"',
    );
  });

  it('says who responded, with the commander hand-over', () => {
    const rows = tableRows(section(sections(markdown), 'Who responded'));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['Ana', 'commander 09:01:00–09:15:00'],
      ['Bo', 'scribe 09:01:30 onwards; commander 09:15:00 onwards'],
      ['Chen', '—'],
    ]);
    expect(markdown).toContain('| 09:15:00 | General | Ana | Handed over the commander role to Bo |');
  });

  it('has a clean bill of coherence, follow-ups and the open question', () => {
    const all = sections(markdown);
    expect(section(all, 'Coherence warnings')).toContain('None: the times and links on the board are consistent.');
    expect(section(all, 'Follow-ups')).toContain('- [ ] **Warm the cache before deploys reach full traffic** (action, owner Bo)');
    expect(section(all, 'Open questions')).toContain('**Why did the canary not catch the eviction storm?** (asked by Bo at 09:14:00)');
    expect(section(all, 'Summary')).toContain('- **Duration:** 30 min, from 2025-03-14 08:50:00 to 2025-03-14 09:20:00 UTC');
  });

  it('matches the checked-in example document', async () => {
    await expect(markdown).toMatchFileSnapshot('../examples/checkout-latency.md');
  });

  it('exports JSON that reads back to the same timeline, and CSV with one row per event', () => {
    const back = parseTimelineJson(exportJson(timeline));
    expect(back).toEqual({ ok: true, value: timeline });
    const csv = exportCsv(timeline, { timeZone: 'Europe/Berlin' });
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(timeline.events.length + 1);
    expect(csv).toContain('2025-03-14T09:50:00.000+01:00,observed');
  });
});

describe('scenario: what the timeline does not show', () => {
  it('moves, resizes, tags and body edits leave the timeline as it was, and say so to onChange', () => {
    const played = playIncident();
    const [A, , C] = played.replicas;
    const timelineOf = (board: BoardDoc) =>
      buildTimeline({ board: board.read().board, callouts: played.callouts, roles: played.roles }, { now: at('09:30') });
    const before = timelineOf(C);
    const local: boolean[] = [];
    const remote: boolean[] = [];
    A.onChange((change) => local.push(change.timeline));
    C.onChange((change) => remote.push(change.timeline));

    const cards = A.read().board.cards;
    A.moveCards(cards.map((card, i) => ({ id: card.id, x: card.x + 500, y: i * 10 })));
    for (const card of cards) {
      A.updateCard(card.id, { w: card.w + 40, h: card.h + 20, tags: ['reviewed'] });
      A.setBody(card.id, `Checked by Ana. ${card.body}`);
      A.editText(card.id, 'body', 0, 0, '» ');
    }
    expect(local.length).toBe(1 + cards.length * 3);
    expect([...new Set(local)]).toEqual([false]);
    expect([...new Set(remote)]).toEqual([false]);
    expect(timelineOf(C)).toEqual(before);

    const first = cards[0]!;
    A.editText(first.id, 'title', 0, 0, 'Renamed: ');
    expect(local.at(-1)).toBe(true);
    expect(remote.at(-1)).toBe(true);
    expect(timelineOf(C)).not.toEqual(before);
  });
});
