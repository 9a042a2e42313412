// The server as a child process, exactly as deployed: the compiled bundle (built by the test project's
// global setup) configured by environment variables. For restarts with SIGTERM and SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { SERVER_NODE_ARGS } from '../../build.mjs';
import { withTimeout } from './board-client';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ChildServer {
  process: ChildProcess;
  port: number;
  url: string;
  wsUrl: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  lines: string[];
}

export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, SERVER_NODE_ARGS, {
    cwd: packageDir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      REDSTRING_LOG_LEVEL: 'warn',
      REDSTRING_WEB_BUILD: join(packageDir, 'no-web-build'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        try {
          const parsed = JSON.parse(line) as { msg?: string; port?: number };
          if (parsed.msg === 'listening' && typeof parsed.port === 'number') resolve(parsed.port);
        } catch {
          // not a log line
        }
      });
      void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${stderr.join('')}`)));
    }),
    20_000,
    'the child server to listen',
  );
  return { process: child, port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, exited, lines };
}
