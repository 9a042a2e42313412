// Update fan-out and durable-save latency with 20 real y-websocket clients against the real server
// (a child process running the compiled server, as `npm start` does, on SQLite in a temporary directory).
//   pnpm --filter @redstring/sync-server bench        (BENCH_CLIENTS, BENCH_ROUNDS to change the load)
// Fan-out: from a client applying a local edit to each of the other clients having it applied.
// Save: from the edit leaving the client to the Saved frame that covers it (committed with fsync).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BoardDoc } from '@redstring/model';
import { buildServer, SERVER_NODE_ARGS } from '../build.mjs';
import { createSession, userWithBoard } from '../test/helpers/api';
import { connectBoard, type TestBoardClient } from '../test/helpers/board-client';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const GAP_MS = 15;

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(join(tmpdir(), 'redstring-bench-'));

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(2).padStart(7);
  return `${label.padEnd(34)} n=${String(sorted.length).padStart(5)}  p50 ${f(percentile(sorted, 0.5))} ms  p95 ${f(percentile(sorted, 0.95))} ms  p99 ${f(percentile(sorted, 0.99))} ms  max ${f(sorted[sorted.length - 1] ?? NaN)} ms`;
}

async function main(): Promise<void> {
  await buildServer();
  const child = spawn(process.execPath, SERVER_NODE_ARGS, {
    cwd: packageDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REDSTRING_DATA_DIR: dataDir, REDSTRING_LOG_LEVEL: 'warn', REDSTRING_WEB_BUILD: join(dataDir, 'none') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { msg?: string; port?: number };
        if (parsed.msg === 'listening' && parsed.port) resolvePort(parsed.port);
      } catch {
        // not JSON
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}`;
  const { session, board } = await userWithBoard(url, 'Bench');
  const clients: TestBoardClient[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const s = i === 0 ? session : await createSession(url, `Client ${i}`);
    clients.push(connectBoard({ wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: s.sessionToken }));
  }
  await Promise.all(clients.map((c) => c.synced()));
  const docs = clients.map((c, i) => new BoardDoc(c.doc, { actor: { userId: `bench-${i}`, name: `Client ${i}` } }));
  const card = docs[0]!.createCard({ kind: 'note', title: 'fan-out' });
  await Promise.all(clients.map((c) => new Promise<void>((r) => {
    const check = () => (docs[clients.indexOf(c)]!.titleText(card) ? r() : setTimeout(check, 5));
    check();
  })));

  const fanout: number[] = [];
  const fanoutAll: number[] = [];
  const saves: number[] = [];
  let sentAt = 0;
  let writer = -1;
  let received = 0;
  let roundDone: () => void = () => {};
  clients.forEach((client, i) => {
    client.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (i === writer || origin === docs[i]!.origin) return;
      const latency = performance.now() - sentAt;
      fanout.push(latency);
      if (++received === CLIENTS - 1) {
        fanoutAll.push(latency);
        roundDone();
      }
    });
  });

  for (let round = 0; round < ROUNDS; round++) {
    writer = round % CLIENTS;
    received = 0;
    const client = clients[writer]!;
    const delivered = new Promise<void>((r) => (roundDone = r));
    const saved = new Promise<void>((r) => {
      client.onNumberedSend = (seq) => {
        const start = performance.now();
        client.onSaved = (s) => {
          if (s >= seq) {
            saves.push(performance.now() - start);
            client.onSaved = null;
            r();
          }
        };
      };
    });
    sentAt = performance.now();
    docs[writer]!.titleText(card)!.insert(0, String.fromCharCode(97 + (round % 26)));
    await Promise.all([delivered, saved]);
    client.onNumberedSend = null;
    await new Promise((r) => setTimeout(r, GAP_MS));
  }

  console.log(`Redstring sync server — ${CLIENTS} clients on one board, ${ROUNDS} edits (one every ~${GAP_MS} ms, rotating writer), SQLite WAL synchronous=FULL`);
  console.log(summary('fan-out, per receiving client', fanout));
  console.log(summary(`fan-out, until all ${CLIENTS - 1} have it`, fanoutAll));
  console.log(summary('save (edit sent → Saved received)', saves));
  for (const c of clients) c.destroy();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
