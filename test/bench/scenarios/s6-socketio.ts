// S6: S1's load with and without socket.io traffic on the same server: 1,000 connected user sockets
// (250 users × 4 tabs, all on the S1 board) and 10 callouts per second fanned out to them. Reports S1's
// delivery latency in both windows, and callout delivery latency (create → the addressee's tab).
// The sockets live in their own process (load/socket-fleet.ts, on the load-generator core): in this
// one, a burst of 1,000 notices per callout would hold up the probes and the harness would measure
// itself.
import { join } from 'node:path';
import { BENCH_DIR } from '../lib/paths';
import { startResultProcess } from '../lib/run-load';
import type { Summary } from '../lib/stats';
import { sleep } from '../load/pool';
import type { FleetResult, FleetSpec } from '../load/socket-fleet';
import { measureWindow, startOneBoard, S1_OPTIONS, type WindowResult } from './one-board';
import type { ScenarioContext } from './context';

export const S6_USERS = 250;
export const S6_TABS_PER_USER = 4;
export const S6_CALLOUTS_PER_SECOND = 10;
export const SOCKET_FLEET_ENTRY = join(BENCH_DIR, 'load/socket-fleet.ts');

export interface S6Result {
  without: WindowResult;
  with: WindowResult;
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
function startFleet(spec: FleetSpec): { ready: Promise<void>; result: Promise<FleetResult>; kill(): void } {
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const fleet = startResultProcess<FleetResult>(SOCKET_FLEET_ENTRY, [JSON.stringify(spec)], 'socket.io fleet', (line) => {
    if (line === 'READY') markReady();
  });
  return { ready: Promise.race([ready, fleet.result.then(() => undefined)]), result: fleet.result, kill: fleet.kill };
}

export async function runS6(ctx: ScenarioContext): Promise<S6Result> {
  const warmup = ctx.quick ? 1 : 2;
  const seconds = ctx.quick ? 3 : 10;
  const load = await startOneBoard(ctx.server, { ...S1_OPTIONS, maxSeconds: warmup + seconds * 2 + 60 });
  let fleet: ReturnType<typeof startFleet> | null = null;
  try {
    await sleep(warmup * 1000);
    const without = await measureWindow(ctx.server, load, seconds);

    fleet = startFleet({
      server: ctx.server,
      boardId: load.target.boardId,
      boardToken: load.target.boardToken!,
      users: S6_USERS,
      tabsPerUser: S6_TABS_PER_USER,
      calloutsPerSecond: S6_CALLOUTS_PER_SECOND,
      warmupSeconds: warmup,
      seconds,
    });
    await fleet.ready;
    ctx.log(`${S6_USERS * S6_TABS_PER_USER} socket.io sockets connected and joined`);
    await sleep(warmup * 1000);
    const withSocketIo = await measureWindow(ctx.server, load, seconds);
    const fleetResult = await fleet.result;
    return {
      without,
      with: withSocketIo,
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
