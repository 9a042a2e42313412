// Starts the server under test in its own process (core 0) and stops it afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVER_BUNDLE, SERVER_NODE_FLAGS } from '@redstring/sync-server/build';
import { spawnTs, tail } from '../lib/spawn-pinned';
import { BENCH_DIR } from '../lib/paths';
import type { ServerEndpoint, ServerKind } from '../load/targets';

export const SERVER_CORE = 0;

export interface RunningServer extends ServerEndpoint {
  dataDir: string | null;
  /** JSON log lines (stdout) whose msg matched `watch` when the server was started. */
  watched: Array<Record<string, unknown>>;
  /** Recent stderr, for reports when something fails. */
  logTail(): string;
  stop(): Promise<void>;
}

export const SERVER_ENTRIES: Record<ServerKind, string> = {
  // Built by run.ts before any scenario, as `npm start` builds it.
  ours: SERVER_BUNDLE,
  stock: join(BENCH_DIR, 'servers/stock-server.ts'),
  relay: join(BENCH_DIR, 'servers/relay-server.ts'),
};

/**
 * Redstring runs with its production limits: S1's clients send 90 messages/s each, under the default
 * 200/s per connection. Only the auth timeout is raised (S3 opens 1,500 sockets from one process, and a
 * socket queued behind the others must not time out), and logs are kept to warnings, as the stock
 * server logs nothing. S5's compaction run raises the rate limit to fill a 20,000-update log quickly.
 */
const OURS_ENV: NodeJS.ProcessEnv = {
  REDSTRING_LOG_LEVEL: 'warn',
  REDSTRING_AUTH_TIMEOUT_MS: '60000',
  // As `pnpm --filter @redstring/sync-server start` runs it (see that package's README, "Memory").
  MALLOC_MMAP_THRESHOLD_: '65536',
};

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  /** Log messages to keep (for example compaction reports). */
  watch?: RegExp;
}

export async function startServer(kind: ServerKind, options: StartOptions = {}): Promise<RunningServer> {
  const { env: extraEnv = {}, nodeArgs = [], watch } = options;
  const watched: Array<Record<string, unknown>> = [];
  const dataDir = kind === 'ours' ? mkdtempSync(join(tmpdir(), 'redstring-bench-')) : null;
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    ...(kind === 'ours' ? { ...OURS_ENV, REDSTRING_DATA_DIR: dataDir! } : {}),
    ...extraEnv,
  };
  // BENCH_SERVER_CPU_PROF=<dir> writes V8 CPU profiles of every server thread to <dir>/<kind> (read them
  // to see where a scenario's server time goes).
  const profileDir = process.env.BENCH_SERVER_CPU_PROF;
  const profileArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, kind)}`] : [];
  // Ours with the same Node flags as `npm start`.
  const startArgs = kind === 'ours' ? SERVER_NODE_FLAGS : [];
  const child = spawnTs(SERVER_ENTRIES[kind], [], { core: SERVER_CORE, env, nodeArgs: [...startArgs, ...profileArgs, ...nodeArgs] });
  const logTail = tail(child.stderr);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start in 30 s:\n${logTail()}`)), 30_000);
    void exited.then((code) => reject(new Error(`${kind} server exited with ${code} before listening:\n${logTail()}`)));
    // Keep reading stdout for the whole run: a full pipe would block the server.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const record = JSON.parse(line) as { msg?: string; port?: number };
        if (watch && typeof record.msg === 'string' && watch.test(record.msg)) watched.push(record);
        if (record.msg === 'listening' && typeof record.port === 'number') {
          clearTimeout(timer);
          resolve(record.port);
        }
      } catch {
        // not a JSON log line
      }
    });
  });
  return {
    kind,
    pid: child.pid!,
    httpUrl: `http://127.0.0.1:${port}`,
    dataDir,
    watched,
    logTail,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
