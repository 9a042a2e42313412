// S4: 20 fresh joins per second of a 5,000-card board while S1's load runs on another board. Reports
// S1's delivery latency meanwhile, and how long a join takes (socket open → whole board received).
import { LightClient } from '../load/light-client';
import { makeBoardSeed } from '../load/fixtures';
import { updateMessage } from '../load/messages';
import { clientFrame } from '../load/raw-socket';
import { summarize, type Summary } from '../lib/stats';
import { sleep } from '../load/pool';
import { boardFor, createBoard } from '../load/targets';
import { measureWindow, startOneBoard, S1_OPTIONS, type WindowResult } from './one-board';
import type { ScenarioContext } from './context';

export const S4_CARDS = 5000;
export const S4_JOINS_PER_SECOND = 20;
/** Joins still in flight beyond this are skipped (and counted): the server is not keeping up. */
const MAX_JOINS_IN_FLIGHT = 60;

export interface S4Result {
  window: WindowResult;
  join: Summary;
  joinsStarted: number;
  joinsFailed: number;
  joinsSkipped: number;
  boardBytes: number;
}

export async function runS4(ctx: ScenarioContext): Promise<S4Result> {
  const warmup = ctx.quick ? 1 : 2;
  const seconds = ctx.quick ? 3 : 10;
  const seed = makeBoardSeed(S4_CARDS);
  const load = await startOneBoard(ctx.server, { ...S1_OPTIONS, maxSeconds: warmup + seconds + 10 });
  const big = await createBoard(ctx.server, load.sessions[0] ?? null, 'S4 large board');
  // Someone is working on the large board, so it stays loaded between joins (as it would in real use).
  const resident = await LightClient.join(boardFor(big, load.sessions[1] ?? null));
  resident.sendUpdate(clientFrame(updateMessage(seed.update)));
  if (ctx.server.kind === 'ours') await resident.waitSaved();
  else await sleep(1000);

  const joinTimes: number[] = [];
  let started = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  let recording = false;
  const joiner = setInterval(() => {
    if (inFlight >= MAX_JOINS_IN_FLIGHT) {
      skipped++;
      return;
    }
    started++;
    inFlight++;
    const session = load.sessions[started % load.sessions.length] ?? null;
    const countIt = recording;
    LightClient.join(boardFor(big, session), 60_000).then(
      (client) => {
        if (countIt) joinTimes.push(client.joinMs);
        client.close();
      },
      () => failed++,
    ).finally(() => inFlight--);
  }, 1000 / S4_JOINS_PER_SECOND);
  try {
    await sleep(warmup * 1000);
    recording = true;
    const window = await measureWindow(ctx.server, load, seconds);
    recording = false;
    return { window, join: summarize(joinTimes), joinsStarted: started, joinsFailed: failed, joinsSkipped: skipped, boardBytes: seed.update.length };
  } finally {
    clearInterval(joiner);
    resident.close();
    load.close();
  }
}
