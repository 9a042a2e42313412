// Gives the memory of unloaded boards back. Measured (bench/memory-after-unload.ts, 60 boards of 500
// cards): when the boards unload nothing is retained — a full GC brings the heap back to its baseline —
// but V8 collects only when something allocates, so an idle server kept 224 MB of dead Y.Docs in its
// heap (and RSS) 15 s later, and would indefinitely. So once many boards have unloaded, few remain
// loaded and no board has unloaded for a moment, this runs one full collection. Its pause grows with
// what is still live, which these conditions keep small.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from './log';

export interface MemoryReleaseOptions {
  /** Boards loaded right now. */
  loadedBoards(): number;
  log: Logger;
  /** Told after each collection. */
  collected?(): void;
  /** Collect after this long without another unload. */
  quietMs?: number;
  /** Collect only when at least this many boards unloaded since the last collection ... */
  minUnloads?: number;
  /** ... and at most this fraction of that many are still loaded (what stays live is what the pause costs). */
  maxLoadedRatio?: number;
}

/** V8's collector, from `--expose-gc` if given, else enabled at run time (applies to new contexts). */
function obtainCollector(): (() => void) | null {
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

export class MemoryReleaser {
  private readonly collect = obtainCollector();
  private unloadsSinceCollect = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MemoryReleaseOptions) {}

  boardUnloaded(): void {
    this.unloadsSinceCollect++;
    if (!this.collect) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.maybeCollect();
    }, this.options.quietMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private maybeCollect(): void {
    const unloaded = this.unloadsSinceCollect;
    if (!this.collect || unloaded < (this.options.minUnloads ?? 5)) return;
    if (this.options.loadedBoards() > unloaded * (this.options.maxLoadedRatio ?? 0.25)) return;
    this.unloadsSinceCollect = 0;
    const before = getHeapStatistics().used_heap_size;
    const started = performance.now();
    this.collect();
    // The first collection frees the dead boards; a second one, cheap with so little live, lets V8 give
    // back the heap it had reserved (measured: heap total 95 → 20 MB, RSS −75 MB).
    this.collect();
    this.options.collected?.();
    this.options.log.info('collected the memory of unloaded boards', {
      unloadedBoards: unloaded,
      freedMiB: Math.round((before - getHeapStatistics().used_heap_size) / 1024 / 102.4) / 10,
      ms: Math.round(performance.now() - started),
    });
  }
}
