// Event-loop delay as /metrics reports it: p50, p99 and max of how late the loop ran a 10 ms timer, over
// the time since the previous scrape (each scrape starts a new window, so a stall shows up once, in the
// scrape that follows it). Scrape from one place, or windows get shorter.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Sampling period. The histogram records whole timer periods, so this is subtracted from each reading. */
const RESOLUTION_MS = 10;

export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram;

  constructor() {
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
  }

  /** The delay since the previous call (or since start), then starts a new window. */
  takeWindow(): EventLoopDelay {
    const h = this.histogram;
    const delay = (ns: number): number => (h.count === 0 || !Number.isFinite(ns) ? 0 : Math.max(0, ns / 1e6 - RESOLUTION_MS));
    const window = { p50Ms: delay(h.percentile(50)), p99Ms: delay(h.percentile(99)), maxMs: delay(h.max) };
    h.reset();
    return window;
  }

  stop(): void {
    this.histogram.disable();
  }
}
