// S5 (second half): compaction of a 20,000-update log on Redstring. The server is started with
// REDSTRING_COMPACT_AFTER_UPDATES=20000; a client stores 20,000 updates, then one more, which makes the
// log pass the threshold. Meanwhile a WebSocket ping every 2 ms measures the longest event-loop stall.
// The compaction's own duration comes from the server's log line (added by run.ts).
import WebSocket from 'ws';
import { LightClient } from '../load/light-client';
import { makeBoardSeed, makeDragMessages } from '../load/fixtures';
import { updateMessage } from '../load/messages';
import { clientFrame } from '../load/raw-socket';
import { summarize, type Summary } from '../lib/stats';
import { sleep } from '../load/pool';
import { boardFor, createBoard, createSession, type ServerEndpoint } from '../load/targets';
import type { ScenarioContext } from './context';

export const S5_LOG_UPDATES = 20_000;
export const S5_SERVER_ENV = {
  REDSTRING_COMPACT_AFTER_UPDATES: String(S5_LOG_UPDATES),
  // Filling the log quickly needs more than the per-connection production rate.
  REDSTRING_MESSAGES_PER_SECOND: '1000000',
  REDSTRING_MESSAGE_BURST: '1000000',
  REDSTRING_LOG_LEVEL: 'info',
};

export interface S5CompactionResult {
  logUpdates: number;
  fillSeconds: number;
  /** Sending the update that crossed the threshold → compactions counter incremented (50 ms polling). */
  observedMs: number;
  /** WebSocket ping round trips while compaction ran: max ≈ the longest stall. */
  ping: Summary;
  /** Same, in the quiet 300 ms before: the floor. */
  pingBefore: Summary;
}

async function compactions(server: ServerEndpoint): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  return Number(/^redstring_compactions_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/** A bare ws client pinging every 2 ms; RTTs are kept per phase. */
function startPinger(url: string, hello: Uint8Array | null): Promise<{ rtts: () => number[]; reset(): void; stop(): void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, origin: new URL(url).origin.replace(/^ws/, 'http') });
    let rtts: number[] = [];
    const inFlight: number[] = [];
    let timer: NodeJS.Timeout | null = null;
    ws.on('open', () => {
      if (hello) ws.send(hello);
      timer = setInterval(() => {
        inFlight.push(performance.now());
        ws.ping();
      }, 2);
      resolve({ rtts: () => rtts, reset: () => (rtts = []), stop: () => (clearInterval(timer!), ws.close()) });
    });
    ws.on('pong', () => {
      const sentAt = inFlight.shift();
      if (sentAt !== undefined) rtts.push(performance.now() - sentAt);
    });
    ws.on('error', reject);
  });
}

export async function runS5Compaction(ctx: ScenarioContext): Promise<S5CompactionResult> {
  const seed = makeBoardSeed(50);
  const drags = makeDragMessages(seed, 1, S5_LOG_UPDATES + 2000)[0]!.map((m) => clientFrame(m));
  const session = await createSession(ctx.server, 'Compaction');
  const board = await createBoard(ctx.server, session, 'S5 compaction board');
  const writer = await LightClient.join(boardFor(board, session));
  const started = performance.now();
  writer.sendUpdate(clientFrame(updateMessage(seed.update)));
  // The seed is row 1; 19,999 moves fill the log to exactly 20,000 rows without passing the threshold.
  let next = 0;
  while (next < S5_LOG_UPDATES - 1) {
    const end = Math.min(S5_LOG_UPDATES - 1, next + 250);
    for (; next < end; next++) writer.sendUpdate(drags[next]!);
    await writer.waitSaved();
  }
  const fillSeconds = (performance.now() - started) / 1000;
  ctx.log(`stored ${S5_LOG_UPDATES} updates in ${fillSeconds.toFixed(1)} s`);
  const before = await compactions(ctx.server);
  const pinger = await startPinger(board.wsUrl, board.hello);
  await sleep(300);
  const pingBefore = summarize(pinger.rtts());
  pinger.reset();
  const crossedAt = performance.now();
  let observedMs = -1;
  // One more update crosses the threshold; keep adding one every 20 ms in case the server counts
  // its log differently, until the compaction counter moves.
  while (performance.now() - crossedAt < 30_000) {
    writer.sendUpdate(drags[next++]!);
    await sleep(20);
    if ((await compactions(ctx.server)) > before) {
      observedMs = performance.now() - crossedAt;
      break;
    }
  }
  await sleep(300);
  const ping = summarize(pinger.rtts());
  pinger.stop();
  writer.close();
  return { logUpdates: next + 1, fillSeconds, observedMs, ping, pingBefore };
}
