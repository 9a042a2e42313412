// Memory after every client leaves: loads boards like the benchmark's S3 (a 500-card board uploaded by one
// client, two more join), disconnects everyone, waits for the boards to unload, and reports the heap and
// RSS before and after a forced full GC, plus live instances of the classes that would show a leak.
// Two rounds: if the second round's post-GC heap is no higher than the first's, nothing accumulates.
//   node --expose-gc --import tsx bench/memory-after-unload.ts [boards]      (from apps/sync-server)
// The server runs in this process (so gc() and heap statistics cover it); the clients do too, so RSS
// figures include theirs. The heap after GC is the figure that shows retention.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { MessageType } from '@redstring/model';
import { makeBoardSeed } from '../../../test/bench/load/fixtures';
import { createRedstringServer } from '../src/index';
import { createBoard, createSession } from '../test/helpers/api';
import { RawSocket, syncUpdateFrame } from '../test/helpers/raw-socket';

const BOARDS = Number(process.argv[2] ?? 60);
const CLIENTS_PER_BOARD = 3;
const CARDS = 500;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
function memory(label: string): Record<string, number | string> {
  const m = process.memoryUsage();
  const heap = v8.getHeapStatistics();
  return { label, rss: mib(m.rss), heapUsed: mib(m.heapUsed), heapTotal: mib(m.heapTotal), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers), mallocedMemory: mib(heap.malloced_memory) };
}
async function fullGc(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 50));
  }
}

function countByName(snapshot: { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] }, names: readonly string[]): Record<string, number> {
  const fields = snapshot.snapshot.meta.node_fields;
  const typeIndex = fields.indexOf('type');
  const nameIndex = fields.indexOf('name');
  const objectType = snapshot.snapshot.meta.node_types[0].indexOf('object');
  const wanted = new Set(names);
  const counts: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (snapshot.nodes[i + typeIndex] !== objectType) continue;
    const name = snapshot.strings[snapshot.nodes[i + nameIndex]!]!;
    if (wanted.has(name)) counts[name]!++;
  }
  return counts;
}
async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
async function live(names: readonly string[]): Promise<Record<string, number>> {
  return countByName(JSON.parse(await readStream(v8.getHeapSnapshot())), names);
}

const dataDir = mkdtempSync(join(tmpdir(), 'redstring-memory-'));
const server = await createRedstringServer({ port: 0, host: '127.0.0.1', dataDir, webBuildDir: null, logLevel: 'warn', limits: { authTimeoutMs: 60_000 } });
const wsUrl = server.url.replace(/^http/, 'ws');
const seedFrame = syncUpdateFrame(makeBoardSeed(CARDS).update);
const sessions = await Promise.all(Array.from({ length: CLIENTS_PER_BOARD }, (_, i) => createSession(server.url, `User ${i}`)));
const boards = [];
for (let i = 0; i < BOARDS; i++) boards.push(await createBoard(server.url, sessions[0]!.sessionToken, `Board ${i}`));

const WATCH = ['Doc', 'Awareness', 'BoardSession', 'BoardClient', 'WebSocket', 'Item', 'YMap', 'YText', 'Socket'] as const;
await fullGc();
const rows = [memory('baseline (boards exist, none loaded)')];
const counts: Record<string, Record<string, number>> = { baseline: await live(WATCH) };

for (let round = 1; round <= 2; round++) {
  const sockets: RawSocket[] = [];
  for (let i = 0; i < BOARDS; i += 10) {
    await Promise.all(
      boards.slice(i, i + 10).map(async (board) => {
        const open = async (sessionToken: string) => {
          const socket = new RawSocket(wsUrl, board.boardId);
          await socket.opened;
          socket.hello(board.editorToken, sessionToken);
          await socket.waitForType(MessageType.Sync, 30_000);
          sockets.push(socket);
          return socket;
        };
        const first = await open(sessions[0]!.sessionToken);
        first.send(seedFrame);
        await first.until(() => (first.savedSeq() >= 1 ? true : undefined), 30_000, 'Saved');
        for (let c = 1; c < CLIENTS_PER_BOARD; c++) await open(sessions[c]!.sessionToken);
      }),
    );
  }
  rows.push(memory(`round ${round}: ${BOARDS} boards loaded, ${sockets.length} clients`));
  for (const socket of sockets) socket.ws.close();
  const started = Date.now();
  while (server.hub.loadedBoardCount > 0 || server.hub.connectionCount > 0) {
    if (Date.now() - started > 30_000) throw new Error('boards did not unload');
    await new Promise((r) => setTimeout(r, 100));
  }
  sockets.length = 0;
  for (const seconds of [2, 8, 15]) {
    await new Promise((r) => setTimeout(r, (seconds - (Date.now() - started) / 1000) * 1000));
    rows.push(memory(`round ${round}: all left, ${seconds} s later (no forced GC)`));
  }
  await fullGc();
  rows.push(memory(`round ${round}: after full GC`));
  counts[`round ${round}`] = await live(WATCH);
}
console.table(rows);
console.table(counts);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
