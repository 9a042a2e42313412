// Samples the server from the outside while a measurement runs: CPU and memory from /proc, and event-loop
// lag from its Prometheus /metrics (Redstring's own, or the one the baseline launchers add).
import { CpuMeter, OtherLoadMeter, rssMiB } from '../lib/proc';
import type { ServerEndpoint } from './targets';

export interface ServerSample {
  /** Fraction of one core used by the server process over the window. */
  cpu: number;
  rssMiB: number | null;
  /** Worst per-scrape p99 event-loop delay over the window (ms); null when the server exposes none. */
  lagP99Ms: number | null;
  /** Longest event-loop delay seen over the window (ms). */
  lagMaxMs: number | null;
  /** Cores' worth of CPU used by other processes on the machine during the window. */
  otherLoad: number;
  /** Redstring only: SQLite commits per second (each one an fsync on the event loop). */
  storeCommitsPerSecond: number | null;
}

interface LagReading {
  p99Ms: number | null;
  maxMs: number | null;
}

/** Finds event-loop delay gauges by name (p99 and max), converting seconds to ms. */
export function parseLag(text: string): LagReading {
  const reading: LagReading = { p99Ms: null, maxMs: null };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+([-+\d.eE]+|NaN)$/.exec(line.trim());
    if (!match) continue;
    const [, name = '', labels = '', raw = ''] = match;
    if (!/event_?loop/i.test(name) || !/(lag|delay)/i.test(name)) continue;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const ms = /seconds/.test(name) ? value * 1000 : value;
    const key = `${name}${labels}`;
    if (/p99|quantile="0\.99"/.test(key)) reading.p99Ms = Math.max(reading.p99Ms ?? 0, ms);
    else if (/max/.test(key)) reading.maxMs = Math.max(reading.maxMs ?? 0, ms);
  }
  return reading;
}

/** The server's /metrics text, or null when it has none or does not answer within 1 s (a collapsed server). */
async function readMetrics(server: ServerEndpoint): Promise<string | null> {
  try {
    const response = await fetch(`${server.httpUrl}/metrics`, { signal: AbortSignal.timeout(1000) });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

function counter(text: string | null, name: string): number | null {
  const match = text === null ? null : new RegExp(`^${name} ([\\d.eE+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

const STORE_COMMITS = 'redstring_store_batches_total';

export class ServerSampler {
  private readonly cpu: CpuMeter;
  private readonly other: OtherLoadMeter;
  private timer: NodeJS.Timeout | null = null;
  private lagP99: number | null = null;
  private lagMax: number | null = null;
  private commitsAtStart: number | null = null;
  private startedAt = 0;

  constructor(private readonly server: ServerEndpoint) {
    this.cpu = new CpuMeter(server.pid);
    this.other = new OtherLoadMeter([server.pid, process.pid]);
  }

  /** Starts a window; a first scrape resets the baselines' per-scrape histograms. */
  async start(): Promise<void> {
    this.commitsAtStart = counter(await readMetrics(this.server), STORE_COMMITS);
    this.startedAt = performance.now();
    this.lagP99 = null;
    this.lagMax = null;
    this.cpu.start();
    this.other.start();
    this.timer = setInterval(() => void this.scrape(), 1000);
  }

  /** One scrape: folds its lag into the window's and returns the text (null if none came). */
  private async scrape(): Promise<string | null> {
    const text = await readMetrics(this.server);
    if (text === null) return null;
    const lag = parseLag(text);
    if (lag.p99Ms !== null) this.lagP99 = Math.max(this.lagP99 ?? 0, lag.p99Ms);
    if (lag.maxMs !== null) this.lagMax = Math.max(this.lagMax ?? 0, lag.maxMs);
    return text;
  }

  async stop(): Promise<ServerSample> {
    const cpu = this.cpu.read();
    const otherLoad = this.other.read();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const seconds = (performance.now() - this.startedAt) / 1000;
    const commits = counter(await this.scrape(), STORE_COMMITS);
    const storeCommitsPerSecond = commits === null || this.commitsAtStart === null ? null : Math.round((commits - this.commitsAtStart) / seconds);
    return { cpu, rssMiB: rssMiB(this.server.pid), lagP99Ms: this.lagP99, lagMaxMs: this.lagMax, otherLoad, storeCommitsPerSecond };
  }
}
