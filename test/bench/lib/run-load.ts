// Runs one scenario's load-generator process (core 1) against a running server and returns its result.
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { spawnTs } from './spawn-pinned';
import { BENCH_DIR } from './paths';
import type { LoadSpec } from '../scenarios/registry';

export const LOADGEN_CORE = 1;
export const LOADGEN_ENTRY = join(BENCH_DIR, 'load/loadgen.ts');

export interface ResultProcess<T> {
  /** The value of its "RESULT {json}" line, once it exited with 0. */
  result: Promise<T>;
  kill(): void;
  /** Sends a signal (a scenario's way to tell a helper process to change phase). */
  signal(name: NodeJS.Signals): void;
  /** Its process id (undefined if it could not be started). */
  pid: number | undefined;
}

export interface ResultProcessOptions {
  /** Sees every stdout line but the result (progress signals such as "READY"). */
  onLine?(line: string): void;
  /** The core to pin it to (default the load generator's); null: not pinned. */
  core?: number | null;
}

/** Starts a TypeScript entry, pinned to a core, that prints "RESULT {json}" as its last line. */
export function startResultProcess<T>(entry: string, args: string[], what: string, options: ResultProcessOptions = {}): ResultProcess<T> {
  const { onLine = () => undefined, core = LOADGEN_CORE } = options;
  const child = spawnTs(entry, args, { core, nodeArgs: ['--max-old-space-size=4096'] });
  child.stderr?.pipe(process.stderr);
  let value: T | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('RESULT ')) value = JSON.parse(line.slice('RESULT '.length)) as T;
    else onLine(line);
  });
  const result = new Promise<T>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 && value !== undefined ? resolve(value) : reject(new Error(`${what} failed (exit ${code})`)))),
  );
  return { result, kill: () => child.kill('SIGKILL'), signal: (name) => child.kill(name), pid: child.pid };
}

/**
 * Runs one scenario's load-generator process against a running server and returns its result. With
 * `core: null` it is not pinned (a scenario without a server: nothing to keep it apart from).
 */
export async function runLoad<T>(spec: LoadSpec, timeoutMs: number, core: number | null = LOADGEN_CORE): Promise<T> {
  const what = `load generator for ${spec.scenario}${spec.server ? ` on ${spec.server.kind}` : ''}`;
  const load = startResultProcess<T>(LOADGEN_ENTRY, [JSON.stringify(spec)], what, { core });
  const timer = setTimeout(() => load.kill(), timeoutMs);
  try {
    return await load.result;
  } finally {
    clearTimeout(timer);
  }
}
