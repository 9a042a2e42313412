// Starts the real Redstring server (apps/sync-server) as a child process on a free port with a fresh data
// directory, for tests and benchmarks that need the whole product on one origin. Generic on purpose:
// fault tests reuse it to kill -9, restart on the same data directory, and read the logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_ARGS } from '@redstring/sync-server/build';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_BUILD_DIR = join(REPO_ROOT, 'apps', 'web', 'build');

export interface ServerOptions {
  /** Reuse a data directory (e.g. after a crash); a fresh temporary one by default. */
  dataDir?: string;
  /** Serve the web app build (needed for browser tests). Default true. */
  serveWeb?: boolean;
  /** Extra environment (e.g. shorter timeouts for fault tests). */
  env?: Record<string, string>;
  /** Port to bind; 0 (any free port) by default. Restarts pass the old port so clients reconnect. */
  port?: number;
  startTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed (JSON log lines), for assertions and for failure messages. */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for exit; the data directory is kept. */
  kill(): Promise<void>;
  /** Stop and delete the data directory if this helper created it. */
  dispose(): Promise<void>;
}

export function assertWebBuild(): void {
  if (!existsSync(join(WEB_BUILD_DIR, 'handler.js'))) {
    throw new Error(
      `The web app is not built (${WEB_BUILD_DIR}/handler.js is missing). Run "pnpm --filter @redstring/web build" first ` +
        '(the root "pnpm test" does it for you).',
    );
  }
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const serveWeb = options.serveWeb ?? true;
  if (serveWeb) assertWebBuild();
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'redstring-test-'));
  const child = spawn(process.execPath, SERVER_NODE_ARGS, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      REDSTRING_DATA_DIR: dataDir,
      ...(serveWeb ? { REDSTRING_WEB_BUILD: WEB_BUILD_DIR } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${options.startTimeoutMs ?? 30000} ms. Output:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = () => {
      for (const line of output.split('\n')) {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening' && typeof entry.port === 'number') {
            clearTimeout(timer);
            child.stdout?.off('data', onData);
            resolvePort(entry.port);
            return;
          }
        } catch {
          // not a JSON line (yet)
        }
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}) before listening. Output:\n${output}`));
    });
  });

  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    process: child,
    output: () => output,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    dispose: async () => {
      await stopWith('SIGTERM');
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
