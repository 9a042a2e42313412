// Prometheus text exposition of the few numbers an operator needs: connections, loaded boards, update
// throughput, durable-store latency, pending callouts, event-loop delay and memory. Everything hangs off
// one instance per server.
import { EventLoopMonitor } from './event-loop-monitor';

/** Latency distribution: cumulative histogram buckets plus quantiles over the most recent samples. */
export class LatencyRecorder {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  private readonly recent: number[] = [];
  private next = 0;

  constructor(
    readonly bucketsMs: readonly number[] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
    private readonly window = 1024,
  ) {
    this.counts = bucketsMs.map(() => 0);
  }

  observe(ms: number): void {
    this.sum += ms;
    this.count++;
    this.bucketsMs.forEach((le, i) => {
      if (ms <= le) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
    if (this.recent.length < this.window) this.recent.push(ms);
    else this.recent[this.next] = ms;
    this.next = (this.next + 1) % this.window;
  }

  quantile(q: number): number {
    if (this.recent.length === 0) return 0;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  }

  render(name: string, help: string): string[] {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    this.bucketsMs.forEach((le, i) => lines.push(`${name}_bucket{le="${le / 1000}"} ${this.counts[i] ?? 0}`));
    lines.push(`${name}_bucket{le="+Inf"} ${this.count}`);
    lines.push(`${name}_sum ${this.sum / 1000}`, `${name}_count ${this.count}`);
    return lines;
  }
}

/** Events per second over a sliding window of whole seconds. */
class RateMeter {
  private readonly buckets = new Map<number, number>();
  constructor(
    private readonly clock: () => number,
    private readonly windowSeconds = 10,
  ) {}

  mark(n = 1): void {
    const second = Math.floor(this.clock() / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + n);
    for (const key of this.buckets.keys()) if (key <= second - this.windowSeconds) this.buckets.delete(key);
  }

  perSecond(): number {
    const now = Math.floor(this.clock() / 1000);
    let total = 0;
    // The current second is still filling up: average over the completed ones.
    for (const [second, n] of this.buckets) if (second < now && second >= now - this.windowSeconds) total += n;
    return total / this.windowSeconds;
  }
}

export interface MetricsSources {
  boardConnections(): number;
  loadedBoards(): number;
  /** Bytes of whole-board encodings kept for fresh joiners (see full-state-cache.ts). */
  fullStateCacheBytes(): number;
  socketIoConnections(): number;
  pendingStores(): number;
  pendingCallouts(): Promise<number>;
}

export class Metrics {
  updatesApplied = 0;
  updatesDroppedFromViewers = 0;
  storeBatches = 0;
  storeFailures = 0;
  compactions = 0;
  /** Boards rebuilt from storage after an update failed half-way through applying. */
  rebuilds = 0;
  escalations = 0;
  /** Times the SQLite writer thread died and was restarted. */
  storageWriterCrashes = 0;
  /** Full collections run after boards unloaded (see memory-release.ts). */
  memoryCollections = 0;
  readonly closes = new Map<string, number>();
  readonly storeLatency = new LatencyRecorder();
  private readonly updateRate: RateMeter;
  private readonly eventLoop = new EventLoopMonitor();

  constructor(clock: () => number = Date.now) {
    this.updateRate = new RateMeter(clock);
  }

  /** Stops sampling the event loop (server shutdown). */
  stop(): void {
    this.eventLoop.stop();
  }

  updateApplied(): void {
    this.updatesApplied++;
    this.updateRate.mark();
  }

  connectionClosed(reason: string): void {
    this.closes.set(reason, (this.closes.get(reason) ?? 0) + 1);
  }

  async render(sources: MetricsSources): Promise<string> {
    const gauge = (name: string, help: string, value: number): string[] => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} gauge`,
      `${name} ${value}`,
    ];
    const counter = (name: string, help: string, value: number): string[] => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} counter`,
      `${name} ${value}`,
    ];
    const loop = this.eventLoop.takeWindow();
    const memory = process.memoryUsage();
    const lines = [
      ...gauge('redstring_board_connections', 'Open board WebSocket connections.', sources.boardConnections()),
      ...gauge('redstring_socketio_connections', 'Open socket.io connections.', sources.socketIoConnections()),
      ...gauge('redstring_loaded_boards', 'Boards held in memory.', sources.loadedBoards()),
      ...gauge('redstring_full_state_cache_bytes', 'Whole-board encodings kept for fresh joiners.', sources.fullStateCacheBytes()),
      ...counter('redstring_updates_applied_total', 'Document updates applied from editors.', this.updatesApplied),
      ...gauge('redstring_updates_per_second', 'Applied updates per second over the last 10 s.', this.updateRate.perSecond()),
      ...counter('redstring_viewer_updates_dropped_total', 'Updates from viewers, dropped.', this.updatesDroppedFromViewers),
      ...gauge('redstring_pending_stores', 'Updates applied but not yet committed to storage.', sources.pendingStores()),
      ...counter('redstring_store_batches_total', 'Committed store transactions.', this.storeBatches),
      ...counter('redstring_store_failures_total', 'Failed store attempts (retried).', this.storeFailures),
      ...this.storeLatency.render('redstring_store_latency_seconds', 'Time to commit one batch of updates.'),
      ...gauge('redstring_store_latency_p50_seconds', 'Median store latency over recent batches.', this.storeLatency.quantile(0.5) / 1000),
      ...gauge('redstring_store_latency_p95_seconds', '95th percentile store latency over recent batches.', this.storeLatency.quantile(0.95) / 1000),
      ...gauge('redstring_store_latency_p99_seconds', '99th percentile store latency over recent batches.', this.storeLatency.quantile(0.99) / 1000),
      ...gauge('redstring_store_latency_max_seconds', 'Longest store latency over recent batches.', this.storeLatency.quantile(1) / 1000),
      ...counter('redstring_storage_writer_crashes_total', 'Times the SQLite writer thread died (it is restarted).', this.storageWriterCrashes),
      ...counter('redstring_compactions_total', 'Update logs folded into snapshots.', this.compactions),
      ...counter('redstring_board_rebuilds_total', 'Boards rebuilt from storage after an update failed to apply.', this.rebuilds),
      ...gauge('redstring_callouts_pending', 'Callouts open or escalated.', await sources.pendingCallouts()),
      ...counter('redstring_callout_escalations_total', 'Callouts escalated after their deadline.', this.escalations),
      ...gauge('nodejs_eventloop_delay_p50_seconds', 'Median event-loop delay since the previous scrape.', loop.p50Ms / 1000),
      ...gauge('nodejs_eventloop_delay_p99_seconds', '99th percentile event-loop delay since the previous scrape.', loop.p99Ms / 1000),
      ...gauge('nodejs_eventloop_delay_max_seconds', 'Longest event-loop delay since the previous scrape.', loop.maxMs / 1000),
      ...counter('redstring_memory_collections_total', 'Full garbage collections run after many boards unloaded.', this.memoryCollections),
      ...gauge('process_resident_memory_bytes', 'Resident set size of the process (every thread).', memory.rss),
      ...gauge('nodejs_heap_used_bytes', 'V8 heap in use on the main thread.', memory.heapUsed),
      ...gauge('nodejs_heap_total_bytes', 'V8 heap reserved on the main thread.', memory.heapTotal),
      ...gauge('nodejs_external_memory_bytes', 'Memory held outside the V8 heap by JavaScript objects (buffers).', memory.external),
      ...gauge('nodejs_array_buffers_bytes', 'Memory held by ArrayBuffers and Buffers.', memory.arrayBuffers),
      '# HELP redstring_connections_closed_total Board connections closed by the server, by reason.',
      '# TYPE redstring_connections_closed_total counter',
      ...[...this.closes].map(([reason, n]) => `redstring_connections_closed_total{reason="${reason}"} ${n}`),
    ];
    return lines.join('\n') + '\n';
  }
}
