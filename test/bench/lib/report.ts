// Turns raw scenario results into the table rows printed at the end and stored in the JSON.
import type { WindowResult } from '../scenarios/one-board';
import type { S2Result } from '../scenarios/s2-ramp';
import type { S3Result } from '../scenarios/s3-many-boards';
import type { S4Result } from '../scenarios/s4-joins';
import type { S5CompactionResult } from '../scenarios/s5-compaction';
import type { S6Result } from '../scenarios/s6-socketio';
import { S8_TARGET_MS, type S8Result } from '../scenarios/s8-timeline';
import type { ServerKind } from '../load/targets';
import { median, round } from './stats';

export type PerServer<T> = Partial<Record<ServerKind, T>>;

export interface S7Result {
  available: boolean;
  note: string;
  metrics?: Record<string, number>;
}

export interface ScenarioResults {
  S1?: PerServer<WindowResult[]>;
  S2?: PerServer<S2Result>;
  S3?: PerServer<S3Result>;
  S4?: PerServer<S4Result>;
  S5?: { compaction?: S5CompactionResult & { compactionMs: number | null; snapshotBytes: number | null } };
  S6?: PerServer<S6Result>;
  S7?: S7Result;
  S8?: S8Result;
}

export interface Row {
  scenario: string;
  metric: string;
  ours: number | string | null;
  stock: number | string | null;
  relay: number | string | null;
  /** ours / stock */
  ratio: number | null;
  target: string;
  /** Whether ours met the target: true, false, or null when there is no target or no figure. */
  met: boolean | null;
}

type Cell = number | string | null;

/** Fewer windows per side than this give S6's p99 change no verdict. */
const S6_WINDOWS_TO_JUDGE = 3;

function row(scenario: string, metric: string, values: { ours?: Cell; stock?: Cell; relay?: Cell }, target = '', met: boolean | null = null): Row {
  const ours = values.ours ?? null;
  const stock = values.stock ?? null;
  const ratio = typeof ours === 'number' && typeof stock === 'number' && stock !== 0 ? round(ours / stock, 2) : null;
  return { scenario, metric, ours, stock, relay: values.relay ?? null, ratio, target, met };
}

/** Median over repeated windows of one figure. */
function med(windows: WindowResult[] | undefined, pick: (w: WindowResult) => number | null): number | null {
  if (!windows || windows.length === 0) return null;
  const values = windows.map(pick).filter((v): v is number => v !== null);
  return values.length ? round(median(values)) : null;
}

function perServer<T>(data: PerServer<T> | undefined, pick: (value: T) => Cell): { ours?: Cell; stock?: Cell; relay?: Cell } {
  const out: { ours?: Cell; stock?: Cell; relay?: Cell } = {};
  for (const kind of ['ours', 'stock', 'relay'] as const) {
    const value = data?.[kind];
    if (value !== undefined) out[kind] = pick(value);
  }
  return out;
}

const pct = (fraction: number | null) => (fraction === null ? null : round(fraction * 100, 1));

export function buildRows(results: ScenarioResults): Row[] {
  const rows: Row[] = [];
  const s1 = results.S1;
  if (s1) {
    const fig = (pick: (w: WindowResult) => number | null) => perServer(s1, (ws) => med(ws, pick));
    const p99 = fig((w) => w.move.p99);
    rows.push(row('S1', 'card move latency p50 (ms)', fig((w) => w.move.p50)));
    rows.push(row('S1', 'card move latency p99 (ms)', p99, '≤ 4', typeof p99.ours === 'number' ? p99.ours <= 4 : null));
    rows.push(row('S1', 'cursor latency p99 (ms)', fig((w) => w.cursor.p99)));
    const cpu = fig((w) => pct(w.server.cpu));
    rows.push(row('S1', 'server CPU (% of a core)', cpu, '≤ stock', typeof cpu.ours === 'number' && typeof cpu.stock === 'number' ? cpu.ours <= cpu.stock : null));
    rows.push(row('S1', 'ws ping RTT p99 (ms, loop stall from outside)', fig((w) => w.ping.p99)));
    rows.push(row('S1', 'server RSS at end (MiB)', fig((w) => round(w.server.rssMiB, 1))));
    rows.push(row('S1', 'update messages delivered to light clients (/s; edits read in one server turn arrive merged)', fig((w) => w.deliveredUpdatesPerSecond)));
    rows.push(row('S1', 'load generator CPU (% of a core)', fig((w) => pct(w.loadgenCpu))));
    rows.push(row('S1', 'other processes on the machine (cores)', fig((w) => round(w.server.otherLoad, 2))));
    rows.push(row('S1', 'clients closed by the server', fig((w) => w.closedClients)));
    rows.push(row('S1', 'SQLite commits per second (each fsyncs)', fig((w) => w.server.storeCommitsPerSecond)));
  }
  const s2 = results.S2;
  if (s2) {
    const count = (r: S2Result) => (r.breakingClients === null ? `>${r.steps.at(-1)?.clients ?? '?'}` : r.breakingClients);
    const breaking = perServer(s2, count);
    const stockN = typeof breaking.stock === 'number' ? breaking.stock : null;
    // When ours never broke, only the ramp's last step is known: met if even that is twice stock's
    // breaking count, otherwise undecided (not "met": the ramp ended before it could show it).
    const oursAtLeast = s2.ours ? (s2.ours.breakingClients ?? s2.ours.steps.at(-1)?.clients ?? null) : null;
    const met =
      oursAtLeast === null || stockN === null
        ? null
        : oursAtLeast >= 2 * stockN
          ? true
          : s2.ours?.breakingClients === null
            ? null
            : false;
    rows.push(row('S2', 'clients at which p99 > 100 ms or stall > 50 ms', breaking, '≥ 2× stock', met));
    rows.push(row('S2', 'last client count within limits', perServer(s2, (r) => r.lastGoodClients)));
    rows.push(row('S2', 'load generator saturated first (figure is a floor)', perServer(s2, (r) => (r.loadgenLimited ? 'yes' : 'no'))));
  }
  const s3 = results.S3;
  if (s3) {
    const any = s3.ours ?? s3.stock;
    rows.push(row('S3', `memory per loaded 500-card board, ${any?.boards ?? '?'} boards × 3 clients (KiB RSS)`, perServer(s3, (r) => r.perBoardKiB)));
    rows.push(row('S3', 'RSS idle baseline (MiB)', perServer(s3, (r) => r.baselineMiB)));
    rows.push(row('S3', 'RSS with all boards loaded (MiB)', perServer(s3, (r) => r.loadedMiB)));
    const above = perServer(s3, (r) => pct(r.aboveBaseline));
    rows.push(row('S3', `RSS ${any?.settleSeconds ?? '?'} s after all left, above baseline (%)`, above, '≤ 10', typeof above.ours === 'number' ? above.ours <= 10 : null));
    rows.push(row('S3', 'boards still loaded after all left', perServer(s3, (r) => r.loadedBoardsAfterLeave ?? (r === s3.stock ? 'all (never unloads)' : null))));
  }
  const s4 = results.S4;
  if (s4) {
    const p99 = perServer(s4, (r) => r.window.move.p99);
    rows.push(row('S4', 'S1 card move p99 during joins (ms)', p99, '≤ 20', typeof p99.ours === 'number' ? p99.ours <= 20 : null));
    rows.push(row('S4', 'join of a 5,000-card board p50 (ms)', perServer(s4, (r) => r.join.p50)));
    rows.push(row('S4', 'join of a 5,000-card board p99 (ms)', perServer(s4, (r) => r.join.p99)));
    rows.push(row('S4', 'joins skipped (server behind) / failed', perServer(s4, (r) => `${r.joinsSkipped} / ${r.joinsFailed}`)));
    rows.push(row('S4', 'server CPU (% of a core)', perServer(s4, (r) => pct(r.window.server.cpu))));
  }
  const save = s1?.ours;
  if (save) {
    rows.push(row('S5', 'durable save p50 under S1 (ms)', { ours: med(save, (w) => w.save.p50), stock: 'no saves' }));
    const p95 = med(save, (w) => w.save.p95);
    rows.push(row('S5', 'durable save p95 under S1 (ms)', { ours: p95, stock: 'no saves' }, '≤ 50', p95 !== null ? p95 <= 50 : null));
  }
  const compaction = results.S5?.compaction;
  if (compaction) {
    rows.push(row('S5', `compaction of a ${compaction.logUpdates - 1}-update log (ms, server log)`, { ours: compaction.compactionMs, stock: 'no log' }));
    const stall = compaction.ping.max;
    rows.push(row('S5', 'longest stall during compaction (ms, 2 ms pings)', { ours: stall, stock: 'no log' }, '≤ 50', stall !== null ? stall <= 50 : null));
  }
  const s6 = results.S6?.ours;
  if (s6) {
    const before = s6.quietMove.p99;
    const after = s6.calloutMove.p99;
    const windows = `${s6.quietWindows.length} × ${s6.quietWindows[0]?.seconds ?? '?'} s`;
    rows.push(row('S6', 'S1 card move p99, no socket.io socket yet (ms)', { ours: s6.alone?.move.p99 ?? 'not in quick runs', stock: 'no socket.io' }));
    rows.push(row('S6', `S1 card move p99, ${s6.sockets} sockets idle (ms, ${windows} pooled)`, { ours: before }));
    rows.push(row('S6', `S1 card move p99, ${s6.sockets} sockets + 10 callouts/s (ms, ${windows} pooled)`, { ours: after }));
    const change = before !== null && after !== null && before > 0 ? round((after / before - 1) * 100, 1) : null;
    // A quick run's single pair of 2 s windows is a smoke check: its p99s rest on a handful of samples.
    const judged = s6.quietWindows.length >= S6_WINDOWS_TO_JUDGE;
    rows.push(row('S6', 'change in S1 p99 (%)', { ours: change }, judged ? '≤ +10' : '≤ +10 (full run only)', judged && change !== null ? change <= 10 : null));
    const cpu = (kind: WindowResult[]) => round((kind.reduce((sum, w) => sum + w.server.cpu, 0) / Math.max(1, kind.length)) * 100, 1);
    rows.push(row('S6', 'server CPU idle sockets → with callouts (% of a core)', { ours: `${cpu(s6.quietWindows)} → ${cpu(s6.calloutWindows)}` }));
    rows.push(row('S6', 'callout delivery p50 / p99 (ms)', { ours: `${s6.calloutDelivery.p50} / ${s6.calloutDelivery.p99}` }));
    rows.push(row('S6', 'notice events received (/s) / failed creates', { ours: `${s6.noticesPerSecond} / ${s6.calloutFailures}` }));
    rows.push(row('S6', 'socket.io client process CPU (% of a core)', { ours: round(s6.fleetCpu * 100, 1) }));
  }

  const s7 = results.S7;
  if (s7) {
    if (!s7.available || !s7.metrics) rows.push(row('S7', 'browser pan frame time, remote move → paint', { ours: s7.note }));
    else for (const [name, value] of Object.entries(s7.metrics)) rows.push(row('S7', name, { ours: value }));
  }
  const s8 = results.S8;
  if (s8) {
    const board = `${s8.cards} cards / ${s8.history} history, ${s8.events} events`;
    rows.push(row('S8', `first build / Markdown in a fresh process, ${board} (ms)`, { ours: `${s8.coldBuildMs} / ${s8.coldMarkdownMs}` }));
    rows.push(row('S8', `warm build / Markdown (ms, median of ${s8.rounds})`, { ours: `${s8.buildMs} / ${s8.markdownMs}` }));
    const met = s8.totalMs === null ? null : s8.totalMs < S8_TARGET_MS;
    rows.push(row('S8', 'warm build + Markdown (ms)', { ours: s8.totalMs }, `< ${S8_TARGET_MS}`, met));
    rows.push(row('S8', 'warm JSON / CSV export (ms)', { ours: `${s8.jsonMs} / ${s8.csvMs}` }));
  }
  return rows;
}

function cell(value: Cell | boolean): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'met' : 'MISSED';
  return String(value);
}

/** Fixed-width text table (also valid as a Markdown table). */
export function formatTable(rows: Row[]): string {
  const header = ['scenario', 'metric', 'ours', 'stock', 'relay', 'ours/stock', 'target', 'ours vs target'];
  const body = rows.map((r) => [r.scenario, r.metric, cell(r.ours), cell(r.stock), cell(r.relay), cell(r.ratio), r.target || '–', r.target ? cell(r.met) : '–']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
