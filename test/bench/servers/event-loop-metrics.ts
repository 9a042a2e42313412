// Event-loop delay of a baseline server process, served as Prometheus text, so the stock server and the
// relay report lag the same way Redstring's /metrics does. The histogram restarts on every scrape: each
// reading covers the time since the previous one.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Sampling timer period. The histogram records the whole timer period, so it is subtracted. */
const RESOLUTION_MS = 10;

export function eventLoopMetrics(): () => string {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return () => {
    const toSeconds = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - RESOLUTION_MS) / 1000 : 0);
    const text =
      `# TYPE nodejs_eventloop_lag_p99_seconds gauge\nnodejs_eventloop_lag_p99_seconds ${toSeconds(histogram.percentile(99))}\n` +
      `# TYPE nodejs_eventloop_lag_max_seconds gauge\nnodejs_eventloop_lag_max_seconds ${toSeconds(histogram.max)}\n`;
    histogram.reset();
    return text;
  };
}
