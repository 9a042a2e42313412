// V8's full garbage collection, callable without starting Node with --expose-gc: the flag, set at run
// time, applies to contexts created afterwards, so a fresh context hands out `gc`. Works in worker
// threads too (each has its own heap).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's collector, or null where it cannot be obtained. */
export function garbageCollector(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as unknown;
    return typeof collect === 'function' ? (collect as () => void) : null;
  } catch {
    return null;
  }
}
