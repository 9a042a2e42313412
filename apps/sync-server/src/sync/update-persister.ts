// Durable writes of document updates. Updates applied during one event-loop turn (across all boards) are
// committed in ONE storage transaction; only then is each client told which of its updates are saved.
// One batch is in flight at a time: what arrives while it commits (off the event loop, in SQLite's
// writer thread) becomes the next batch, so a slow fsync means bigger batches, not a longer queue of them.
// Under sustained load, commits also start at least `minCommitIntervalMs` apart: every commit costs an
// fsync and CPU, and a few milliseconds of extra batching halve their number at a small cost in save
// latency. An edit after a quiet moment is committed at once.
// A failed commit keeps every entry queued, in order, and retries with backoff: nothing is confirmed,
// nothing is dropped, and the boards stay in memory meanwhile.
// A board's pending remainder (what waits for missing dependencies) rides along: each batch replaces the
// remainder of every board whose remainder changed, in the same transaction as the log rows, as it is when
// the batch is taken — which covers every update in the batch, since each was applied before.
import type { Logger } from '../log';
import { errorFields } from '../log';
import type { Metrics } from '../metrics';
import type { Storage } from '../storage/storage';

export interface PersistEntry {
  boardId: string;
  /** null: nothing new to write (a redundant update), but it still confirms in order. */
  bytes: Uint8Array | null;
  /** Told the sequence number the update got (null when nothing was written). */
  committed(seq: number | null): void;
}

/** A board whose pending remainder changed and must be stored with the next batch. */
export interface PendingRemainderSource {
  readonly boardId: string;
  /** The remainder to store now (null: nothing waits any more). */
  currentPendingRemainder(): Uint8Array | null;
}

/** Notified after every committed batch, once, for example to send Saved frames. */
export type AfterCommit = () => void;

const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 5_000;

export class UpdatePersister {
  private queue: PersistEntry[] = [];
  private readonly changedRemainders = new Set<PendingRemainderSource>();
  private scheduled = false;
  private inFlight = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastCommitStarted = -Infinity;
  private retryDelay = FIRST_RETRY_MS;
  private failing = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly afterCommitHooks = new Set<AfterCommit>();

  constructor(
    private readonly storage: Storage,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly clock: () => number,
    private readonly minCommitIntervalMs = 0,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** True while the last attempt failed and a retry is scheduled. */
  get isFailing(): boolean {
    return this.failing;
  }

  enqueue(entry: PersistEntry): void {
    this.queue.push(entry);
    this.schedule();
  }

  /** The board's pending remainder changed: the next batch stores it (Saved waits for that batch). */
  pendingChanged(source: PendingRemainderSource): void {
    this.changedRemainders.add(source);
    this.schedule();
  }

  /** Runs `hook` once after the current or next commit (deduplicated per hook). */
  afterNextCommit(hook: AfterCommit): void {
    this.afterCommitHooks.add(hook);
  }

  /** Resolves when everything enqueued so far (and since) is committed. */
  idle(): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops waiting for backoff and tries again now (used by shutdown). */
  retryNow(): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.schedule();
    }
  }

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight || this.retryTimer) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      void this.flush();
    };
    const wait = this.lastCommitStarted + this.minCommitIntervalMs - performance.now();
    // setImmediate runs after the I/O callbacks of this turn, so every frame read this turn joins the batch.
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  private isDrained(): boolean {
    return this.queue.length === 0 && this.changedRemainders.size === 0 && !this.inFlight;
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0 && this.changedRemainders.size === 0) {
      this.notifyIdle();
      return;
    }
    this.inFlight = true;
    const batch = this.queue.slice();
    const toWrite = batch.filter((e) => e.bytes !== null);
    const remainderSources = [...this.changedRemainders];
    this.changedRemainders.clear();
    const remainders = remainderSources.map((s) => ({ boardId: s.boardId, update: s.currentPendingRemainder() }));
    const writes = toWrite.length > 0 || remainders.length > 0;
    const started = performance.now();
    let seqs: number[] = [];
    try {
      if (writes) {
        this.lastCommitStarted = started;
        seqs = await this.storage.appendUpdates(
          toWrite.map((e) => ({ boardId: e.boardId, update: e.bytes as Uint8Array })),
          this.clock(),
          remainders,
        );
      }
    } catch (error) {
      // Still to be stored; a newer remainder may have replaced them meanwhile, which is read at the retry.
      for (const source of remainderSources) this.changedRemainders.add(source);
      this.inFlight = false;
      this.failing = true;
      this.metrics.storeFailures++;
      this.log.error('storing updates failed; keeping them in memory and retrying', {
        step: 'appendUpdates',
        updates: toWrite.length,
        boards: [...new Set([...toWrite, ...remainders].map((e) => e.boardId))],
        retryInMs: this.retryDelay,
        ...errorFields(error),
      });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.schedule();
      }, this.retryDelay);
      this.retryDelay = Math.min(MAX_RETRY_MS, this.retryDelay * 2);
      return;
    }
    if (writes) {
      this.metrics.storeBatches++;
      this.metrics.storeLatency.observe(performance.now() - started);
    }
    if (this.failing) this.log.info('storing updates works again', { step: 'appendUpdates', updates: toWrite.length });
    this.failing = false;
    this.retryDelay = FIRST_RETRY_MS;
    this.queue.splice(0, batch.length);
    this.inFlight = false;
    let written = 0;
    for (const entry of batch) {
      try {
        entry.committed(entry.bytes === null ? null : (seqs[written++] ?? null));
      } catch (error) {
        this.log.error('commit callback failed', errorFields(error));
      }
    }
    const hooks = [...this.afterCommitHooks];
    this.afterCommitHooks.clear();
    for (const hook of hooks) {
      try {
        hook();
      } catch (error) {
        this.log.error('after-commit hook failed', errorFields(error));
      }
    }
    if (this.queue.length > 0 || this.changedRemainders.size > 0) this.schedule();
    else this.notifyIdle();
  }

  private notifyIdle(): void {
    if (!this.isDrained()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
