// S1: one board, 30 clients — 10 dragging cards at 60 updates/s, 30 cursors at 30 Hz.
import { measureWindow, startOneBoard, S1_OPTIONS, type WindowResult } from './one-board';
import { sleep } from '../load/pool';
import type { ScenarioContext } from './context';

export interface S1Result {
  window: WindowResult;
}

export async function runS1(ctx: ScenarioContext): Promise<S1Result> {
  const warmup = ctx.quick ? 1 : 2;
  const seconds = ctx.quick ? 3 : 10;
  const load = await startOneBoard(ctx.server, { ...S1_OPTIONS, maxSeconds: warmup + seconds + 5 });
  try {
    await sleep(warmup * 1000);
    return { window: await measureWindow(ctx.server, load, seconds) };
  } finally {
    load.close();
  }
}
