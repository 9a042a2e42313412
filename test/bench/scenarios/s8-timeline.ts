// S8: the model's timeline build and Markdown export on a large finished board: 10,000 cards and
// 50,000 history entries (hypothesis status changes), plus links, participants, callouts and roles.
// Runs in the load-generator process (its own core); no server involved.
import { buildTimeline, exportMarkdown, exportJson, exportCsv, CURRENT_SCHEMA_VERSION } from '@redstring/model';
import type { BoardSnapshot, Callout, Card, HypothesisStatus, Link, RoleAssignment, StatusChange } from '@redstring/model';
import { median, round } from '../lib/stats';
import type { LocalContext } from './context';

export const S8_CARDS = 10_000;
export const S8_HISTORY = 50_000;

export interface S8Result {
  cards: number;
  history: number;
  /** Median over the repeats, milliseconds. */
  buildMs: number | null;
  markdownMs: number | null;
  jsonMs: number | null;
  csvMs: number | null;
  markdownBytes: number;
  events: number;
  repeats: number;
}

const T0 = Date.UTC(2025, 0, 15, 8, 0);
const STATUS_CYCLE: HypothesisStatus[] = ['open', 'investigating', 'supported', 'investigating', 'ruled-out', 'open'];

export function largeBoard(cardCount: number, historyCount: number): { board: BoardSnapshot; callouts: Callout[]; roles: RoleAssignment[] } {
  const users = Array.from({ length: 12 }, (_, i) => ({ userId: `user-${i}`, name: `Responder ${i}` }));
  const kinds = ['theory', 'hypothesis', 'evidence', 'action', 'question', 'note'] as const;
  const cards: Card[] = [];
  for (let i = 0; i < cardCount; i++) {
    const kind = kinds[i % kinds.length]!;
    const at = T0 + i * 1500;
    const card: Card = {
      id: `card-${i}`,
      kind,
      title: `${kind} ${i}: cache hit rate after deploy ${8000 + (i % 97)}`,
      body: `Seen on the checkout dashboard at ${i % 60} minutes past; p99 ${(i % 40) / 10 + 1} s.`,
      author: users[i % users.length]!.userId,
      x: (i % 100) * 260,
      y: Math.floor(i / 100) * 180,
      w: 240,
      h: 160,
      createdAt: at,
      updatedAt: at,
    };
    if (kind === 'evidence') Object.assign(card, { source: { kind: 'dashboard', value: `https://dash.example/checkout?i=${i}` }, observedAt: at - 60_000, noticedAt: at - 30_000 });
    if (kind === 'action') Object.assign(card, { actionState: i % 12 === 3 ? 'done' : 'in-progress', ...(i % 12 === 3 ? { doneAt: at + 90_000 } : {}) });
    if (kind === 'question') card.answered = i % 4 === 0;
    if (i % 50 === 0) card.followUp = true;
    cards.push(card);
  }
  const hypotheses = cards.filter((c) => c.kind === 'hypothesis');
  const statusLog: StatusChange[] = [];
  const perHypothesis = new Map<string, number>();
  for (let i = 0; i < historyCount; i++) {
    const card = hypotheses[i % hypotheses.length]!;
    const n = perHypothesis.get(card.id) ?? 0;
    perHypothesis.set(card.id, n + 1);
    statusLog.push({
      id: `status-${i}`,
      cardId: card.id,
      from: STATUS_CYCLE[n % STATUS_CYCLE.length]!,
      to: STATUS_CYCLE[(n + 1) % STATUS_CYCLE.length]!,
      by: users[i % users.length]!.userId,
      at: card.createdAt + (n + 1) * 20_000,
      reason: `step ${n + 1}: new evidence`,
    });
  }
  const relations = ['supports', 'refutes', 'leads-to', 'triggers', 'enables', 'mitigates', 'part-of'] as const;
  const links: Link[] = [];
  for (let i = 0; i + 1 < cardCount; i += 2) {
    links.push({ id: `link-${i}`, from: `card-${i}`, to: `card-${(i * 7 + 1) % cardCount}`, relation: relations[i % relations.length]!, author: users[i % users.length]!.userId, createdAt: T0 + i * 1500 + 500 });
  }
  const callouts: Callout[] = Array.from({ length: 500 }, (_, i) => {
    const from = users[i % users.length]!;
    const to = users[(i + 1) % users.length]!;
    const createdAt = T0 + i * 30_000;
    const acknowledged = i % 5 !== 0;
    return {
      id: `callout-${i}`,
      boardId: 'board-s8',
      from,
      to: { kind: 'user', userId: to.userId, name: to.name },
      issue: `Cache hit rate dropped (${i})`,
      noticedHow: 'cache dashboard',
      intent: 'roll back deploy 8812',
      urgency: 'normal',
      createdAt,
      ackDeadline: createdAt + 120_000,
      state: acknowledged ? 'acknowledged' : 'escalated',
      ...(acknowledged ? { acknowledgedAt: createdAt + 40_000, acknowledgedBy: to, readBack: 'roll back 8812' } : { escalatedAt: createdAt + 120_000 }),
    };
  });
  const roles: RoleAssignment[] = [
    { id: 'role-0', boardId: 'board-s8', role: 'commander', userId: users[0]!.userId, userName: users[0]!.name, assignedBy: users[0]!.userId, takenAt: T0 },
    { id: 'role-1', boardId: 'board-s8', role: 'scribe', userId: users[1]!.userId, userName: users[1]!.name, assignedBy: users[0]!.userId, takenAt: T0 + 60_000 },
  ];
  const board: BoardSnapshot = {
    meta: { schemaVersion: CURRENT_SCHEMA_VERSION, id: 'board-s8', title: 'Checkout latency spike', status: 'resolved', outcome: 'escalated-to-incident', severity: 'sev2', createdAt: T0, createdBy: users[0]!.userId, closedAt: T0 + cardCount * 1500 + 3_600_000 },
    cards,
    links,
    statusLog,
    participants: users.map((u, i) => ({ userId: u.userId, name: u.name, color: '#c0392b', firstSeenAt: T0 + i * 1000, lastSeenAt: T0 + cardCount * 1500 })),
  };
  return { board, callouts, roles };
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

export async function runS8(ctx: LocalContext): Promise<S8Result> {
  const input = largeBoard(S8_CARDS, S8_HISTORY);
  const repeats = ctx.quick ? 1 : 5;
  const builds: number[] = [];
  const markdowns: number[] = [];
  const jsons: number[] = [];
  const csvs: number[] = [];
  let markdownBytes = 0;
  let events = 0;
  for (let i = 0; i < repeats; i++) {
    const built = time(() => buildTimeline(input));
    builds.push(built.ms);
    events = built.value.events.length;
    const markdown = time(() => exportMarkdown(built.value));
    markdowns.push(markdown.ms);
    markdownBytes = Buffer.byteLength(markdown.value);
    jsons.push(time(() => exportJson(built.value)).ms);
    csvs.push(time(() => exportCsv(built.value)).ms);
    ctx.log(`run ${i + 1}: build ${built.ms.toFixed(0)} ms, markdown ${markdown.ms.toFixed(0)} ms`);
  }
  return {
    cards: S8_CARDS,
    history: S8_HISTORY,
    buildMs: round(median(builds), 1),
    markdownMs: round(median(markdowns), 1),
    jsonMs: round(median(jsons), 1),
    csvMs: round(median(csvs), 1),
    markdownBytes,
    events,
    repeats,
  };
}
