// `pnpm bench [--quick] [--only S1,S3] [--no-relay]`: Redstring against the stock y-websocket server
// (and a bare ws relay as the floor) under the same load, then a table and a JSON file.
// Each server runs in its own process on core 0, each load generator on core 1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from './lib/args';
import { machineInfo } from './lib/machine';
import { RESULTS_DIR } from './lib/paths';
import { LOADGEN_ENTRY, runLoad } from './lib/run-load';
import { buildRows, formatTable, type ScenarioResults } from './lib/report';
import { runCanvasBench } from './lib/canvas-bench';
import { buildServer } from '@redstring/sync-server/build';
import { prebuild } from './lib/prebuild';
import { useBundles } from './lib/spawn-pinned';
import { SERVER_ENTRIES, startServer, type StartOptions } from './servers/launch';
import { SATURATED, type WindowResult } from './scenarios/one-board';
import { S5_SERVER_ENV, type S5CompactionResult } from './scenarios/s5-compaction';
import { SOCKET_FLEET_ENTRY } from './scenarios/s6-socketio';
import type { ScenarioId } from './scenarios/registry';
import type { ServerKind } from './load/targets';

const args = parseArgs(process.argv.slice(2));
const wanted = (id: ScenarioId) => args.only === null || args.only.has(id);
// The relay floor costs time; the quick mode leaves it out.
const kinds: ServerKind[] = args.relay && !args.quick ? ['ours', 'stock', 'relay'] : ['ours', 'stock'];
const machine = machineInfo();
const started = performance.now();
const results: ScenarioResults = {};
const discarded: string[] = [];
const failures: string[] = [];

const say = (message: string) => process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s ${message}\n`);

/** The highest load-generator CPU share anywhere in a result (windows and ramp steps). */
function loadgenPeak(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  let peak = 0;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'loadgenCpu' && typeof v === 'number') peak = Math.max(peak, v);
    else if (typeof v === 'object') peak = Math.max(peak, loadgenPeak(v));
  }
  return peak;
}

/**
 * Starts a fresh server, runs the scenario's load against it, stops it. A run whose load generator
 * saturated its core is discarded and repeated once (S2 handles saturation per step itself).
 */
async function onServer<T>(scenario: ScenarioId, kind: ServerKind, options: StartOptions = {}): Promise<{ value: T; watched: Array<Record<string, unknown>> } | null> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    say(`${scenario} on ${kind}${attempt > 1 ? ' (repeat)' : ''}`);
    let server;
    try {
      server = await startServer(kind, options);
    } catch (error) {
      failures.push(`${scenario} ${kind}: ${(error as Error).message.split('\n')[0]}`);
      say(`  ${kind} server did not start: ${(error as Error).message}`);
      return null;
    }
    try {
      const value = await runLoad<T>({ scenario, server: { kind, httpUrl: server.httpUrl, pid: server.pid }, quick: args.quick }, args.quick ? 240_000 : 300_000);
      const peak = loadgenPeak(value);
      if (scenario !== 'S2' && peak > SATURATED) {
        discarded.push(`${scenario} on ${kind}: load generator at ${(peak * 100).toFixed(0)}% of its core`);
        say(`  discarded: load generator saturated (${(peak * 100).toFixed(0)}%)`);
        continue;
      }
      return { value, watched: server.watched };
    } catch (error) {
      failures.push(`${scenario} ${kind}: ${(error as Error).message}`);
      say(`  failed: ${(error as Error).message}\n${server.logTail().split('\n').slice(-5).join('\n')}`);
      return null;
    } finally {
      await server.stop();
    }
  }
  return null;
}

async function perKind<T>(scenario: ScenarioId, servers: ServerKind[]): Promise<Partial<Record<ServerKind, T>>> {
  const out: Partial<Record<ServerKind, T>> = {};
  for (const kind of servers) {
    const run = await onServer<T>(scenario, kind);
    if (run) out[kind] = run.value;
  }
  return out;
}

async function main(): Promise<void> {
  say(`Redstring benchmark (${args.quick ? 'quick' : 'full'}) on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}` +
    (machine.pinning ? '; server on core 0, load generator on core 1' : '; no CPU pinning available'));
  const [bundles] = await Promise.all([prebuild([LOADGEN_ENTRY, SOCKET_FLEET_ENTRY, SERVER_ENTRIES.stock, SERVER_ENTRIES.relay]), buildServer()]);
  useBundles(bundles);

  if (wanted('S1') || wanted('S5')) {
    // Repeats interleave the servers so a burst of other work on the machine hits them alike.
    const repeats = args.quick ? 1 : 3;
    const s1: Partial<Record<ServerKind, WindowResult[]>> = {};
    for (let r = 0; r < repeats; r++) {
      for (const kind of wanted('S1') ? kinds : (['ours'] as ServerKind[])) {
        const run = await onServer<{ window: WindowResult }>('S1', kind);
        if (run) (s1[kind] ??= []).push(run.value.window);
      }
    }
    results.S1 = s1;
  }
  // The relay keeps no document, so its probes never see a move and S2 says nothing about it.
  if (wanted('S2')) results.S2 = await perKind('S2', ['ours', 'stock']);
  if (wanted('S3')) results.S3 = await perKind('S3', ['ours', 'stock']);
  if (wanted('S4')) results.S4 = await perKind('S4', ['ours', 'stock']);
  if (wanted('S5')) {
    const run = await onServer<S5CompactionResult>('S5', 'ours', { env: S5_SERVER_ENV, watch: /compacted board log/ });
    if (run) {
      const line = run.watched.at(-1);
      results.S5 = {
        compaction: {
          ...run.value,
          compactionMs: typeof line?.ms === 'number' ? line.ms : null,
          snapshotBytes: typeof line?.snapshotBytes === 'number' ? line.snapshotBytes : null,
        },
      };
    }
  }
  if (wanted('S6')) results.S6 = await perKind('S6', ['ours']);
  if (wanted('S7')) {
    say('S7 canvas benchmark');
    results.S7 = await runCanvasBench(args.quick, args.quick ? 60_000 : 180_000);
  }
  if (wanted('S8')) {
    say('S8 timeline build and export');
    try {
      // Unpinned, as the model's own benchmark runs: V8 collects garbage on helper threads, and pinned to
      // one core those take turns with the build (measured: warm build + Markdown 535–569 ms pinned to
      // either core, 277 ms unpinned).
      results.S8 = await runLoad({ scenario: 'S8', quick: args.quick }, 180_000, null);
    } catch (error) {
      failures.push(`S8: ${(error as Error).message}`);
    }
  }

  const durationSeconds = Math.round((performance.now() - started) / 1000);
  const rows = buildRows(results);
  const table = formatTable(rows);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `bench-${args.quick ? 'quick-' : ''}${stamp}.json`);
  const report = { machine, mode: args.quick ? 'quick' : 'full', durationSeconds, rows, results, discarded, failures };
  writeFileSync(file, JSON.stringify(report, null, 2));
  writeFileSync(join(RESULTS_DIR, 'latest.json'), JSON.stringify(report, null, 2));

  process.stdout.write(`\n${table}\n\n`);
  process.stdout.write(
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.date}` +
      `${machine.pinning ? ', taskset pinning' : ', NO pinning'}; load average at start ${machine.loadAverageAtStart.join(' ')}.\n` +
      `ours = Redstring (SQLite, durable), stock = @y/websocket-server 0.1.1 (memory only, no auth), relay = bare ws forwarder.\n` +
      `Run took ${durationSeconds} s. Results: ${file}\n`,
  );
  if (discarded.length) process.stdout.write(`Discarded runs: ${discarded.join('; ')}\n`);
  if (failures.length) process.stdout.write(`Failures: ${failures.join('; ')}\n`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
