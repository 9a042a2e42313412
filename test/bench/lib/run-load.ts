// Runs one scenario's load-generator process (core 1) against a running server and returns its result.
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { spawnTs } from './spawn-pinned';
import { BENCH_DIR } from './paths';
import type { LoadSpec } from '../scenarios/registry';

export const LOADGEN_CORE = 1;

export async function runLoad<T>(spec: LoadSpec, timeoutMs: number): Promise<T> {
  const child = spawnTs(join(BENCH_DIR, 'load/loadgen.ts'), [JSON.stringify(spec)], {
    core: LOADGEN_CORE,
    nodeArgs: ['--max-old-space-size=4096'],
  });
  child.stderr?.pipe(process.stderr);
  let result: T | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('RESULT ')) result = JSON.parse(line.slice('RESULT '.length)) as T;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0 || result === undefined) {
    throw new Error(`load generator for ${spec.scenario}${spec.server ? ` on ${spec.server.kind}` : ""} failed (exit ${code})`);
  }
  return result;
}
