// Where a frame's time goes, from Chromium itself (CDP through playwright's newCDPSession):
//   - a performance trace (Tracing): per-thread busy time and the main thread's top events, per frame;
//   - a sampling JavaScript profile (Profiler): self time by function.
// Used by `canvas-bench.ts --profile` to find what to cut; not part of the figures.
import type { CDPSession, Page } from '../../../../test/helpers/chromium';

const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disable-by-default-devtools.timeline',
  'disable-by-default-devtools.timeline.frame',
  'blink',
  'cc',
  'gpu',
  'viz',
].join(',');

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface ThreadBusy {
  thread: string;
  /** Wall time inside top-level tasks, ms per frame. */
  wallPerFrame: number;
  /** CPU time inside top-level tasks (thread time), ms per frame. */
  cpuPerFrame: number;
}

export interface ProfileReport {
  frames: number;
  threads: ThreadBusy[];
  /** Main-thread events by total wall and CPU time per frame (nested events overlap their parents). */
  mainEvents: { name: string; msPerFrame: number; cpuPerFrame: number }[];
  /** JavaScript self time by function. */
  functions: { fn: string; ms: number; share: number }[];
}

async function readStream(cdp: CDPSession, handle: string): Promise<string> {
  let out = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 1 << 20 });
    out += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  return out;
}

/** Runs `work` (which renders `frames` frames) under a trace and a JS profile, and summarises both. */
export async function profileFrames(page: Page, frames: number, work: () => Promise<void>): Promise<ProfileReport> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReturnAsStream' });
  await cdp.send('Profiler.start');
  await work();
  const { profile } = await cdp.send('Profiler.stop');
  const complete = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream!)));
  await cdp.send('Tracing.end');
  const raw = await readStream(cdp, await complete);
  await cdp.detach();

  const parsed = JSON.parse(raw) as TraceEvent[] | { traceEvents: TraceEvent[] };
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
  // The renderer is the process whose main thread ran our animation frames.
  const rendererPid = events.find((e) => e.name === 'FireAnimationFrame')?.pid;
  const busy = new Map<string, { wall: number; cpu: number }>();
  const main = new Map<string, { wall: number; cpu: number }>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const thread = names.get(`${e.pid}:${e.tid}`) ?? `tid ${e.tid}`;
    const label = `${e.pid === rendererPid ? 'renderer' : `pid ${e.pid}`} ${thread}`;
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'ThreadPool_RunTask') {
      const b = busy.get(label) ?? { wall: 0, cpu: 0 };
      b.wall += e.dur / 1000;
      b.cpu += (e.tdur ?? 0) / 1000;
      busy.set(label, b);
    }
    if (e.pid === rendererPid && thread === 'CrRendererMain') {
      const m = main.get(e.name) ?? { wall: 0, cpu: 0 };
      m.wall += e.dur / 1000;
      m.cpu += (e.tdur ?? 0) / 1000;
      main.set(e.name, m);
    }
  }

  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    const ms = (deltas[i] ?? 0) / 1000;
    total += ms;
    self.set(key, (self.get(key) ?? 0) + ms);
  });

  return {
    frames,
    threads: [...busy]
      .map(([thread, b]) => ({ thread, wallPerFrame: b.wall / frames, cpuPerFrame: b.cpu / frames }))
      .filter((t) => t.wallPerFrame >= 0.05)
      .sort((a, b) => b.wallPerFrame - a.wallPerFrame),
    mainEvents: [...main]
      .map(([name, m]) => ({ name, msPerFrame: m.wall / frames, cpuPerFrame: m.cpu / frames }))
      .filter((e) => e.msPerFrame >= 0.05)
      .sort((a, b) => b.msPerFrame - a.msPerFrame)
      .slice(0, 25),
    functions: [...self]
      .map(([fn, ms]) => ({ fn, ms, share: ms / Math.max(total, 1e-9) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 25),
  };
}

export function printProfile(label: string, r: ProfileReport): void {
  console.log(`\n=== profile: ${label} (${r.frames} frames) ===`);
  console.log('threads (ms per frame: wall / cpu)');
  for (const t of r.threads) console.log(`  ${t.thread.padEnd(48)} ${t.wallPerFrame.toFixed(2).padStart(7)} ${t.cpuPerFrame.toFixed(2).padStart(7)}`);
  console.log('main-thread events (ms per frame: wall / cpu; nested events overlap)');
  for (const e of r.mainEvents) console.log(`  ${e.name.padEnd(48)} ${e.msPerFrame.toFixed(2).padStart(7)} ${e.cpuPerFrame.toFixed(2).padStart(7)}`);
  console.log('JavaScript self time');
  for (const f of r.functions) console.log(`  ${f.fn.slice(0, 70).padEnd(72)} ${f.ms.toFixed(1).padStart(8)} ms ${(f.share * 100).toFixed(1).padStart(5)}%`);
}
