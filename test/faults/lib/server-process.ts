// The real sync server as a child process, so the suite can SIGKILL it, restart it on the same data
// directory, and watch its memory from the outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVER_NODE_ARGS } from '@redstring/sync-server/build';

export const repoRoot = resolve(import.meta.dirname, '../../..');

export interface ServerOptions {
  dataDir: string;
  /** Extra environment (limits, origins); PORT defaults to 0. */
  env?: Record<string, string>;
  /** How long to wait for the "listening" line. */
  startTimeoutMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ServerProcess {
  readonly logs: string[] = [];
  private exitInfo: ExitInfo | null = null;
  private readonly exited: Promise<ExitInfo>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly options: ServerOptions,
    exited: Promise<ExitInfo>,
    logs: string[],
  ) {
    this.exited = exited.then((info) => (this.exitInfo = info));
    this.logs = logs;
  }

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const child = spawn(process.execPath, SERVER_NODE_ARGS, {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        REDSTRING_DATA_DIR: options.dataDir,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    // Never leave a server behind if the test process ends first.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const exited = new Promise<ExitInfo>((resolveExit) =>
      child.once('exit', (code, signal) => {
        process.removeListener('exit', killOnExit);
        resolveExit({ code, signal });
      }),
    );
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not report "listening" within ${options.startTimeoutMs ?? 20000} ms:\n${logs.join('\n')}`));
      }, options.startTimeoutMs ?? 20000);
      const remember = (line: string) => {
        logs.push(line);
        if (logs.length > 200_000) logs.splice(0, logs.length - 200_000);
      };
      createInterface({ input: child.stdout! }).on('line', (line) => {
        remember(line);
        const port = listeningPort(line);
        if (port !== undefined) {
          clearTimeout(timer);
          resolvePort(port);
        }
      });
      createInterface({ input: child.stderr! }).on('line', remember);
      void exited.then((info) => {
        clearTimeout(timer);
        reject(new Error(`server exited before listening (${JSON.stringify(info)}):\n${logs.join('\n')}`));
      });
    });
    return new ServerProcess(child, port, options, exited, logs);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Null while running. */
  get exit(): ExitInfo | null {
    return this.exitInfo;
  }

  /** kill -9: no flush, no goodbye. */
  async kill9(): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop: the server flushes and exits on SIGTERM. */
  async stop(timeoutMs = 10000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }

  waitForExit(): Promise<ExitInfo> {
    return this.exited;
  }

  /** Resident memory of the server process in bytes, read from /proc. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (!match) throw new Error('no VmRSS in /proc status');
    return Number(match[1]) * 1024;
  }

  /** Restart on the same data directory (a new port: callers reach it through a proxy or re-read `port`). */
  restart(env?: Record<string, string>): Promise<ServerProcess> {
    return ServerProcess.start({ ...this.options, env: { ...this.options.env, ...env } });
  }

  /** Log lines that are JSON objects, parsed. */
  jsonLogs(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of this.logs) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a partial or non-JSON line: not a structured log entry
      }
    }
    return out;
  }
}

function listeningPort(line: string): number | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
    if (entry.msg === 'listening' && typeof entry.port === 'number') return entry.port;
  } catch {
    return undefined;
  }
  return undefined;
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `redstring-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
