// Gives the memory of unloaded boards back. Measured (bench/memory-after-unload.ts, 60 boards of 500
// cards): when the boards unload nothing is retained — a full GC brings the heap back to its baseline —
// but V8 collects only when something allocates, so an idle server kept 224 MB of dead Y.Docs in its
// heap (and RSS) 15 s later, and would indefinitely. So once many boards have unloaded, few remain
// loaded and no board has unloaded for a moment, this runs one full collection. Its pause grows with
// what is still live, which these conditions keep small. Then the C heap: the unloaded boards' buffers
// and sockets were freed there, but glibc keeps those pages resident (S3: 500 boards unloaded left RSS
// 38 % above the idle baseline; with storage released first and malloc_trim after the collection,
// 6.6–6.9 %).
import { getHeapStatistics } from 'node:v8';
import { garbageCollector } from './collector';
import type { Logger } from './log';
import type { TrimCHeap } from './malloc-trim';

export interface MemoryReleaseOptions {
  /** Boards loaded right now. */
  loadedBoards(): number;
  log: Logger;
  /** Told after each collection. */
  collected?(): void;
  /** Storage's share, before the collection: its caches, and its writer thread's garbage. */
  releaseStorageMemory?(): Promise<void>;
  /** Hands the C heap's free pages back after the collection (none where that is not available). */
  trimCHeap?: TrimCHeap | null;
  /** Collect after this long without another unload. */
  quietMs?: number;
  /** Collect only when at least this many boards unloaded since the last collection ... */
  minUnloads?: number;
  /** ... and at most this fraction of that many are still loaded (what stays live is what the pause costs). */
  maxLoadedRatio?: number;
  /** Wait between the collection and the trim (V8 frees dead buffers on a background thread meanwhile). */
  trimDelayMs?: number;
}

const TRIM_AFTER_COLLECTION_MS = 1_000;

export class MemoryReleaser {
  private readonly collect = garbageCollector();
  private collecting = false;
  private unloadsSinceCollect = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MemoryReleaseOptions) {}

  boardUnloaded(): void {
    this.unloadsSinceCollect++;
    if (!this.collect) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.maybeCollect();
    }, this.options.quietMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async maybeCollect(): Promise<void> {
    const unloaded = this.unloadsSinceCollect;
    if (!this.collect || this.collecting || unloaded < (this.options.minUnloads ?? 5)) return;
    if (this.options.loadedBoards() > unloaded * (this.options.maxLoadedRatio ?? 0.25)) return;
    this.unloadsSinceCollect = 0;
    this.collecting = true;
    try {
      const rssBefore = process.memoryUsage.rss();
      const started = performance.now();
      // First: what storage frees (the writer thread's dead buffers) is then trimmed below as well.
      await this.options.releaseStorageMemory?.().catch((error: unknown) => {
        this.options.log.warn('storage could not release its memory', { message: String(error) });
      });
      const heapBefore = getHeapStatistics().used_heap_size;
      this.collect();
      // The first collection frees the dead boards; a second one, cheap with so little live, lets V8 give
      // back the heap it had reserved (measured: heap total 95 → 20 MB, RSS −75 MB).
      this.collect();
      // The collections free the dead boards' buffers in the C heap, but V8 sweeps them on a background
      // thread after the pause: trimming at once missed ~4 MB of them in S3.
      if (this.options.trimCHeap) {
        await sleep(this.options.trimDelayMs ?? TRIM_AFTER_COLLECTION_MS);
        this.options.trimCHeap();
      }
      this.options.collected?.();
      this.options.log.info('collected the memory of unloaded boards', {
        unloadedBoards: unloaded,
        freedHeapMiB: mib(heapBefore - getHeapStatistics().used_heap_size),
        releasedRssMiB: mib(rssBefore - process.memoryUsage.rss()),
        // Includes the wait before the trim.
        ms: Math.round(performance.now() - started),
      });
    } finally {
      this.collecting = false;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function mib(bytes: number): number {
  return Math.round(bytes / 1024 / 102.4) / 10;
}
