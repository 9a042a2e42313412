// S3: 500 boards × 3 clients on 500-card boards, then everyone leaves. Memory per loaded board, and
// whether memory returns to the idle baseline 15 s after the last client left.
import { LightClient } from '../load/light-client';
import { makeBoardSeed } from '../load/fixtures';
import { updateMessage } from '../load/messages';
import { clientFrame } from '../load/raw-socket';
import { rssMiB } from '../lib/proc';
import { round } from '../lib/stats';
import { mapLimit, sleep } from '../load/pool';
import { boardFor, createBoard } from '../load/targets';
import { createSessions } from './one-board';
import type { ScenarioContext } from './context';
import type { ServerEndpoint } from '../load/targets';

export const S3_CLIENTS_PER_BOARD = 3;
export const S3_CARDS = 500;
/** How long after the last client left memory is read (the quick mode waits less, and says so). */
export const S3_SETTLE_SECONDS = 15;
// A board unloads once its last client left and its edits are stored; memory goes back to the OS 2 s
// after the last unload (memory-release.ts), so 4 s shows it.
export const S3_QUICK_SETTLE_SECONDS = 4;

export interface S3Result {
  boards: number;
  baselineMiB: number | null;
  loadedMiB: number | null;
  perBoardKiB: number | null;
  afterLeaveMiB: number | null;
  /** afterLeave / baseline − 1 (0.1 = 10% above baseline). */
  aboveBaseline: number | null;
  /** Boards the server still holds after everyone left (from its metrics; null when not exposed). */
  loadedBoardsAfterLeave: number | null;
  loadSeconds: number;
  settleSeconds: number;
}

/** The server's metrics page (Prometheus text); '' when it cannot be read. */
async function metricsText(server: ServerEndpoint): Promise<string> {
  try {
    const response = await fetch(`${server.httpUrl}/metrics`);
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

function metric(text: string, name: string): number | null {
  const match = new RegExp(`^${name} (\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

/** Where the server's memory is (main-thread V8 heap, buffers, encodings kept for joiners); '' when it does not say. */
async function memoryBreakdown(server: ServerEndpoint): Promise<string> {
  const text = await metricsText(server);
  if (metric(text, 'nodejs_heap_total_bytes') === null) return '';
  const mib = (name: string) => ((metric(text, name) ?? Number.NaN) / 1048576).toFixed(1);
  return ` (V8 heap ${mib('nodejs_heap_used_bytes')} used / ${mib('nodejs_heap_total_bytes')} reserved, buffers ${mib('nodejs_array_buffers_bytes')} MiB, whole-board encodings ${mib('redstring_full_state_cache_bytes')} MiB)`;
}

export async function runS3(ctx: ScenarioContext): Promise<S3Result> {
  const boardCount = ctx.quick ? 30 : 500;
  const settleSeconds = ctx.quick ? S3_QUICK_SETTLE_SECONDS : S3_SETTLE_SECONDS;
  const seedFrame = clientFrame(updateMessage(makeBoardSeed(S3_CARDS).update));
  const sessions = await createSessions(ctx.server, S3_CLIENTS_PER_BOARD, 'Many boards');
  const boards = await mapLimit(boardCount, 16, (i) => createBoard(ctx.server, sessions[0] ?? null, `S3 board ${i}`));
  await sleep(1000);
  const baselineMiB = rssMiB(ctx.server.pid);
  ctx.log(`baseline ${baselineMiB?.toFixed(1)} MiB${await memoryBreakdown(ctx.server)}; loading ${boardCount} boards`);

  const started = performance.now();
  const clients = (
    await mapLimit(boardCount, 20, async (b) => {
      const board = boards[b]!;
      const first = await LightClient.join(boardFor(board, sessions[0] ?? null));
      first.sendUpdate(seedFrame);
      if (ctx.server.kind === 'ours') await first.waitSaved();
      const rest = [];
      for (let c = 1; c < S3_CLIENTS_PER_BOARD; c++) rest.push(await LightClient.join(boardFor(board, sessions[c] ?? null)));
      return [first, ...rest];
    })
  ).flat();
  const loadSeconds = (performance.now() - started) / 1000;
  await sleep(2000);
  const loadedMiB = rssMiB(ctx.server.pid);
  ctx.log(`loaded ${loadedMiB?.toFixed(1)} MiB after ${loadSeconds.toFixed(1)} s${await memoryBreakdown(ctx.server)}; disconnecting ${clients.length} clients`);
  for (const client of clients) client.close();
  await sleep(settleSeconds * 1000);
  const afterLeaveMiB = rssMiB(ctx.server.pid);
  ctx.log(`${settleSeconds} s after all left: ${afterLeaveMiB?.toFixed(1)} MiB${await memoryBreakdown(ctx.server)}`);
  const perBoard = loadedMiB !== null && baselineMiB !== null ? ((loadedMiB - baselineMiB) * 1024) / boardCount : null;
  return {
    boards: boardCount,
    baselineMiB: round(baselineMiB, 1),
    loadedMiB: round(loadedMiB, 1),
    perBoardKiB: round(perBoard, 0),
    afterLeaveMiB: round(afterLeaveMiB, 1),
    aboveBaseline: afterLeaveMiB !== null && baselineMiB ? round(afterLeaveMiB / baselineMiB - 1, 3) : null,
    loadedBoardsAfterLeave: metric(await metricsText(ctx.server), 'redstring_loaded_boards'),
    loadSeconds: round(loadSeconds, 1) ?? 0,
    settleSeconds,
  };
}
