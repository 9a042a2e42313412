// S6: S1's load with and without socket.io traffic on the same server: 1,000 connected user sockets
// (250 users × 4 tabs, all on the S1 board) and 10 callouts per second fanned out to them.
// A p99 from one window of a few seconds moves by half between identical runs on this machine, so the
// comparison alternates: with the sockets connected, windows without callouts and windows with them
// take turns (6 rounds of 4 s each in the full run, in ABBA order), and each side's latencies are
// pooled. S1 alone, before any socket connects, is reported as well (full run). Also reports callout delivery latency (create → the addressee's tab).
// The sockets live in their own process (load/socket-fleet.ts, on the load-generator core): in this
// one, a burst of 1,000 notices per callout would hold up the probes and the harness would measure
// itself. For the same reason that process runs at the lowest priority: reading a 1,000-tab digest
// takes it milliseconds on the probes' core, and at equal priority the probes waited. Measured with
// the same server, three full S6 runs each: +24 %, +24 %, +49 % at equal priority; −4 %, −16 %, −9 %
// with the fleet at nice 19 (its notice counts and callout deliveries are unchanged).
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR } from '../lib/paths';
import { startResultProcess } from '../lib/run-load';
import { summarize, type Summary } from '../lib/stats';
import { sleep } from '../load/pool';
import type { FleetResult, FleetSpec } from '../load/socket-fleet';
import { measureWindow, startOneBoard, S1_OPTIONS, type WindowResult } from './one-board';
import type { ScenarioContext } from './context';

export const S6_USERS = 250;
export const S6_TABS_PER_USER = 4;
export const S6_CALLOUTS_PER_SECOND = 10;
export const SOCKET_FLEET_ENTRY = join(BENCH_DIR, 'load/socket-fleet.ts');
/** After the callouts stop, the last board digest (a window of up to 1 s with 1,000 tabs) is still going out. */
const CALLOUT_SETTLE_MS = 1_200;

export interface S6Result {
  /** S1 before any socket.io socket connected (not in the quick run). */
  alone: WindowResult | null;
  /** Windows with the sockets connected and no callouts, and windows with callouts flowing, in turns. */
  quietWindows: WindowResult[];
  calloutWindows: WindowResult[];
  /** S1 card move latency pooled over each kind of window. */
  quietMove: Summary;
  calloutMove: Summary;
  sockets: number;
  calloutsSent: number;
  calloutFailures: number;
  /** create request sent → notice received by one of the addressee's tabs */
  calloutDelivery: Summary;
  /** notices received by all sockets during the window, per second */
  noticesPerSecond: number;
  /** CPU of the socket.io client process while recording (fraction of a core) */
  fleetCpu: number;
}

/** Starts the fleet; `ready` resolves once every socket joined (or the fleet ended), `result` when it is done. */
function startFleet(spec: FleetSpec): { ready: Promise<void>; result: Promise<FleetResult>; kill(): void; signal(name: NodeJS.Signals): void } {
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const fleet = startResultProcess<FleetResult>(SOCKET_FLEET_ENTRY, [JSON.stringify(spec)], 'socket.io fleet', {
    onLine: (line) => {
      if (line === 'READY') markReady();
    },
  });
  if (fleet.pid !== undefined) {
    try {
      setPriority(fleet.pid, 19);
    } catch {
      // not allowed here: the probes then share their core with it at equal priority
    }
  }
  return { ready: Promise.race([ready, fleet.result.then(() => undefined)]), result: fleet.result, kill: fleet.kill, signal: fleet.signal };
}

export async function runS6(ctx: ScenarioContext): Promise<S6Result> {
  const warmup = ctx.quick ? 1 : 2;
  const seconds = ctx.quick ? 2 : 4;
  // The quick run's single round is one A-B pair (quiet, then callouts): a smoke check, not a figure.
  const rounds = ctx.quick ? 1 : 6;
  const load = await startOneBoard(ctx.server, { ...S1_OPTIONS, maxSeconds: warmup * 2 + (seconds * 2 + 2) * rounds + seconds + 90 });
  let fleet: ReturnType<typeof startFleet> | null = null;
  try {
    await sleep(warmup * 1000);
    const alone = ctx.quick ? null : await measureWindow(ctx.server, load, seconds);

    fleet = startFleet({
      server: ctx.server,
      boardId: load.target.boardId,
      boardToken: load.target.boardToken!,
      users: S6_USERS,
      tabsPerUser: S6_TABS_PER_USER,
      calloutsPerSecond: S6_CALLOUTS_PER_SECOND,
      rounds,
    });
    const connecting = performance.now();
    await fleet.ready;
    ctx.log(`${S6_USERS * S6_TABS_PER_USER} socket.io sockets connected and joined in ${((performance.now() - connecting) / 1000).toFixed(1)} s`);
    await sleep(warmup * 1000);
    const quietWindows: WindowResult[] = [];
    const calloutWindows: WindowResult[] = [];
    const quietSamples: number[] = [];
    const calloutSamples: number[] = [];
    const quietWindow = async (): Promise<void> => {
      quietWindows.push(await measureWindow(ctx.server, load, seconds));
      quietSamples.push(...load.book.moveLatencies);
    };
    const calloutWindow = async (quietNext: boolean): Promise<void> => {
      fleet!.signal('SIGUSR1');
      await sleep(500); // the first notices are on their way before the window opens
      calloutWindows.push(await measureWindow(ctx.server, load, seconds));
      calloutSamples.push(...load.book.moveLatencies);
      fleet!.signal('SIGUSR2');
      // Even before more callouts: two signals sent back to back may arrive in signal-number order.
      await sleep(quietNext ? CALLOUT_SETTLE_MS : 200);
    };
    for (let round = 0; round < rounds; round++) {
      // Which kind goes first alternates (ABBA): socket.io pings each socket every 25 s, in bursts as
      // the sockets connected, and with a fixed order those bursts kept landing in the same kind of window.
      if (round % 2 === 0) {
        await quietWindow();
        await calloutWindow(false); // the next round starts with callouts
      } else {
        await calloutWindow(true);
        await quietWindow();
      }
    }
    const fleetResult = await fleet.result;
    return {
      alone,
      quietWindows,
      calloutWindows,
      quietMove: summarize(quietSamples),
      calloutMove: summarize(calloutSamples),
      sockets: fleetResult.sockets,
      calloutsSent: fleetResult.calloutsSent,
      calloutFailures: fleetResult.calloutFailures,
      calloutDelivery: fleetResult.calloutDelivery,
      noticesPerSecond: fleetResult.noticesPerSecond,
      fleetCpu: fleetResult.cpu,
    };
  } finally {
    fleet?.kill();
    load.close();
  }
}
