// Starts an entry point in its own Node process, pinned to one core with taskset when the machine allows
// it: JavaScript as it is; TypeScript from its bundle when one was prebuilt (see prebuild.ts), else
// through tsx.
// `node --import tsx` keeps it one process (the tsx CLI would add a wrapper parent), so the pid we
// measure is the one doing the work.
import { spawn, type ChildProcess } from 'node:child_process';
import { canPin } from './machine';
import { REPO_ROOT } from './paths';

const bundles = new Map<string, string>();

/** From now on, `entry` starts from `bundle` (plain JavaScript) instead of through tsx. */
export function useBundles(prebuilt: ReadonlyMap<string, string>): void {
  for (const [entry, bundle] of prebuilt) bundles.set(entry, bundle);
}

export function spawnTs(entry: string, args: string[], options: { core: number | null; env?: NodeJS.ProcessEnv; nodeArgs?: string[] }): ChildProcess {
  const script = /\.m?js$/.test(entry) ? entry : bundles.get(entry);
  const nodeArgs = [...(options.nodeArgs ?? []), ...(script ? [script] : ['--import', 'tsx', entry]), ...args];
  const pin = options.core !== null && canPin();
  const command = pin ? 'taskset' : process.execPath;
  const commandArgs = pin ? ['-c', String(options.core), process.execPath, ...nodeArgs] : nodeArgs;
  return spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Keeps the last `max` characters of a stream (for error reports) while always draining it. */
export function tail(stream: NodeJS.ReadableStream | null, max = 4000): () => string {
  let text = '';
  stream?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-max);
  });
  return () => text;
}
