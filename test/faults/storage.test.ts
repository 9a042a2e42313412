// Row 3: storage faults. (A) The data directory's disk fills up while responders edit: saves stop being
// confirmed (responders show unsaved), the board stays loaded and live, and once space is freed the
// server stores everything — including edits of responders who left meanwhile. (B) The stored state of
// a board cannot be loaded: clients get a clear error and a LoadFailed close, never an empty board, and
// nothing is written over the stored state.
//
// Rerun: pnpm exec vitest run --project test faults/storage
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, type AuthRequest } from '@redstring/model';
import { BoardClient } from './lib/board-client';
import { RandomEditor } from './lib/board-ops';
import { closeCluster, startCluster, waitForQuiet, type Cluster } from './lib/cluster';
import { docDifferences, unionOf } from './lib/doc-compare';
import { boardFixture, fetchMetrics } from './lib/http-api';
import { Prng, sleep } from './lib/prng';
import { RawBoardSocket, fetchBoardCopy } from './lib/raw-socket';
import { ServerProcess, tempDir } from './lib/server-process';
import { SmallDisk, smallDiskSupport } from './lib/small-disk';
import { onlyDatabase, rowCounts, storedBytes } from './lib/sqlite-files';
import { syncStep1Frame } from './lib/wire';
import { becomes, waitUntil } from './lib/wait';

const seed = Number(process.env.FAULT_SEED ?? 3003);
const diskSupport = smallDiskSupport();
if (diskSupport) console.warn(`[faults] row 3 (disk full) skipped: ${diskSupport}`);

async function metric(server: ServerProcess, name: string): Promise<number> {
  return (await fetchMetrics(server.url)).get(name) ?? Number.NaN;
}

describe.skipIf(diskSupport !== null)('row 3a: the disk fills up while responders edit', () => {
  let disk: SmallDisk;
  let server: ServerProcess;
  let cluster: Cluster;
  const prng = new Prng(seed);
  const figures = { diskBytes: 0, fillerBytes: 0, bytesEditedWhileFull: 0, editsWhileFull: 0, storeFailures: 0, unsavedWhileFull: 0, recoveredMs: 0 };

  beforeAll(async () => {
    disk = SmallDisk.mount(48 * 1024 * 1024);
    figures.diskBytes = disk.freeBytes;
    server = await ServerProcess.start({ dataDir: disk.path });
    cluster = await startCluster(server, 3, prng, 'disk full');
  }, 30000);

  afterAll(async () => {
    if (cluster) await closeCluster(cluster);
    await server?.kill9();
    disk?.unmount();
    console.log(`[faults] row 3a disk full: ${JSON.stringify(figures)}`);
  });

  it('stops confirming, keeps the board live, and stores everything once space returns', async () => {
    const [r0, r1, r2] = cluster.responders as [Cluster['responders'][0], Cluster['responders'][0], Cluster['responders'][0]];
    const editors = cluster.responders.map((r, i) => new RandomEditor(r.client.doc, r.userId, prng.fork(i)));
    for (let i = 0; i < 200; i++) editors[i % 3]!.step();
    await waitForQuiet(cluster, 15000);
    const connectionsBefore = cluster.responders.map((r) => r.client.connections.length);

    figures.fillerBytes = disk.fill();
    const failuresBefore = await metric(server, 'redstring_store_failures_total');
    // Keep writing big cards until the server cannot store any more (SQLite may first reuse WAL space).
    const bulky = 'x'.repeat(16 * 1024);
    const full = await becomes(async () => {
      editors[0]!.board.createCard({ kind: 'evidence', title: `log excerpt ${figures.editsWhileFull}`, body: bulky });
      figures.editsWhileFull++;
      figures.bytesEditedWhileFull += bulky.length;
      await sleep(20);
      return (await metric(server, 'redstring_store_failures_total')) > failuresBefore;
    }, 60000);
    expect(full, `the server never failed to store after ${figures.bytesEditedWhileFull} bytes on a full disk`).toBe(true);

    // Saves are no longer confirmed: the responder shows unsaved, and it stays that way.
    await sleep(300);
    const savedSeq = r0.client.connection!.savedSeq;
    expect(r0.client.unsavedFrames, 'frames waiting for confirmation while the disk is full').toBeGreaterThan(0);
    figures.unsavedWhileFull = r0.client.unsavedFrames;
    await sleep(1000);
    expect(r0.client.connection!.savedSeq, 'Saved advanced while nothing could be stored').toBe(savedSeq);
    expect(r0.client.allSaved).toBe(false);

    // The board is still live: an edit reaches the others, and a newcomer gets everything, unsaved too.
    const marker = editors[1]!.board.createCard({ kind: 'note', title: 'written while the disk is full' });
    await waitUntil(() => r2.client.doc.getMap('cards').has(marker) && r0.client.doc.getMap('cards').has(marker), 10000, 'live edit while full');
    const liveCopy = await fetchBoardCopy(server.wsUrl, cluster.boardId, cluster.editorAuth);
    expect(docDifferences(unionOf(cluster.responders.map((r) => r.client.doc)), liveCopy, ['responders', 'server (live)'])).toEqual([]);
    expect(cluster.responders.map((r) => r.client.connections.length), 'no responder was disconnected').toEqual(connectionsBefore);
    expect(server.exit).toBeNull();

    // Everyone leaves with edits unsaved; the board must not be dropped from memory.
    for (const r of cluster.responders) r.client.disconnect();
    await sleep(2500);
    const leftWith = unionOf(cluster.responders.map((r) => r.client.doc));

    // Space comes back: the server's retries store everything, with nobody connected to re-send it.
    const freedAt = Date.now();
    disk.free();
    await waitUntil(async () => (await metric(server, 'redstring_pending_stores')) === 0, 20000, 'pending stores drained');
    figures.recoveredMs = Date.now() - freedAt;
    figures.storeFailures = (await metric(server, 'redstring_store_failures_total')) - failuresBefore;
    await server.kill9();
    server = await server.restart();
    const reloaded = await fetchBoardCopy(server.wsUrl, cluster.boardId, cluster.editorAuth);
    expect(docDifferences(leftWith, reloaded, ['responders when they left', 'reloaded'])).toEqual([]);

    // And the responders come back to a board with everything.
    for (const r of cluster.responders) r.proxy.setUpstream(server.port);
    for (const r of cluster.responders) r.client.connect();
    await waitForQuiet(cluster, 15000);
    expect(docDifferences(r1.client.doc, reloaded, ['responder', 'reloaded'])).toEqual([]);
  }, 180000);
});

/** Opens a board with a bare socket: the board if it loaded, and what the server said otherwise. */
async function tryOpen(baseWsUrl: string, boardId: string, auth: AuthRequest) {
  const socket = new RawBoardSocket(baseWsUrl, boardId);
  await socket.opened;
  socket.sendHello(auth);
  socket.send(syncStep1Frame(new Y.Doc()));
  await socket.waitFor(() => socket.frames.some((f) => f.kind === 'sync-step2'), 5000);
  const end = await socket.waitEnd(1000);
  socket.terminate();
  return { frames: socket.frames, end };
}

/** Log rows stored after the board's snapshot (read beside the running server: SQLite WAL allows it). */
function logRowsOf(dbPath: string, boardId: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM board_updates WHERE board_id = ?').get(boardId) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('row 3b: a board whose stored state cannot be loaded', () => {
  const data = tempDir('load-failure');
  let server: ServerProcess;
  const figures = { variants: 0, refusedConnections: 0 };

  beforeAll(async () => {
    // Compact early, so the boards have both a snapshot and a log to damage.
    server = await ServerProcess.start({ dataDir: data.path, env: { REDSTRING_COMPACT_AFTER_UPDATES: '20' } });
  }, 30000);

  afterAll(async () => {
    await server?.kill9();
    data.remove();
    console.log(`[faults] row 3b load failure: ${JSON.stringify(figures)}`);
  });

  for (const variant of ['the last logged update', 'the snapshot'] as const) {
    it(`${variant} is damaged: a clear error, LoadFailed, no empty board, nothing stored over it`, async () => {
      const fixture = await boardFixture(server.url, `damaged ${variant}`);
      const auth = { boardToken: fixture.board.editorToken, sessionToken: fixture.sessionToken };
      const writer = new BoardClient({ baseWsUrl: server.wsUrl, boardId: fixture.board.boardId, auth });
      const editor = new RandomEditor(writer.doc, fixture.userId, new Prng(seed + figures.variants));
      for (let i = 0; i < 60; i++) {
        editor.step();
        if (i % 10 === 0) await sleep(30);
      }
      await waitUntil(() => writer.connected && writer.allSaved, 15000, 'board written');
      // Compaction waits until the log weighs half the snapshot, so it may have folded every row at the
      // end. Then a few more edits (well under the row threshold) leave a log after the snapshot.
      await sleep(500);
      if (logRowsOf(onlyDatabase(data.path), fixture.board.boardId) === 0) {
        for (let i = 0; i < 3; i++) editor.step();
        await waitUntil(() => writer.connected && writer.allSaved, 15000, 'more edits written');
      }
      writer.destroy();
      const intact = await fetchBoardCopy(server.wsUrl, fixture.board.boardId, auth);
      await server.stop();

      // Damage the stored state (the server's schema: board_snapshots and board_updates hold the document).
      const dbPath = onlyDatabase(data.path);
      const db = new Database(dbPath);
      const boardId = fixture.board.boardId;
      const target =
        variant === 'the snapshot'
          ? { table: 'board_snapshots', where: 'board_id = ?', args: [boardId] }
          : { table: 'board_updates', where: 'board_id = ? AND seq = (SELECT max(seq) FROM board_updates WHERE board_id = ?)', args: [boardId, boardId] };
      const row = db.prepare(`SELECT bytes FROM ${target.table} WHERE ${target.where}`).get(...target.args) as { bytes: Buffer } | undefined;
      expect(row, `${target.table} has a row for the board`).toBeDefined();
      const original = row!.bytes;
      db.prepare(`UPDATE ${target.table} SET bytes = ? WHERE ${target.where}`).run(damaged(original), ...target.args);
      db.close();

      server = await server.restart();
      const countsBefore = rowCounts(dbPath);
      const bytesBefore = storedBytes(dbPath);
      const failuresBefore = server.jsonLogs().length;

      // A bare client and a stock provider with offline edits both try to open it.
      const attempt = await tryOpen(server.wsUrl, boardId, auth);
      figures.refusedConnections++;
      expect(attempt.frames.filter((f) => f.kind !== 'error').map((f) => f.kind), 'board data sent for a board that did not load').toEqual([]);
      const error = attempt.frames.find((f) => f.kind === 'error');
      expect(error, 'an Error frame explains the close').toBeDefined();
      expect(attempt.end, 'close code').toMatchObject({ kind: 'closed', code: CloseCode.LoadFailed });

      const hopeful = new BoardClient({ baseWsUrl: server.wsUrl, boardId, auth, maxBackoffMs: 200 });
      new RandomEditor(hopeful.doc, fixture.userId, new Prng(99)).step();
      await waitUntil(() => hopeful.connections.some((c) => c.closeCode !== null), 10000, 'provider refused');
      await sleep(800);
      figures.refusedConnections += hopeful.connections.length;
      expect(hopeful.connections.every((c) => c.welcome === null && c.sent.length === 0), 'provider was never let in').toBe(true);
      expect(hopeful.connections.filter((c) => c.closeCode !== null).map((c) => c.closeCode)).toContain(CloseCode.LoadFailed);
      hopeful.destroy();

      expect(rowCounts(dbPath), 'rows written after the failed load').toEqual(countsBefore);
      expect(storedBytes(dbPath), 'bytes written after the failed load').toBe(bytesBefore);
      const logged = server.jsonLogs().slice(failuresBefore).filter((l) => l.level === 'error' || l.level === 'warn');
      expect(logged.length, 'the failed load is logged').toBeGreaterThan(0);

      // Repair the storage: the board loads again, whole.
      const repair = new Database(dbPath);
      repair.prepare(`UPDATE ${target.table} SET bytes = ? WHERE ${target.where}`).run(original, ...target.args);
      repair.close();
      const repaired = await fetchBoardCopy(server.wsUrl, boardId, auth);
      expect(docDifferences(intact, repaired, ['before damage', 'after repair'])).toEqual([]);
      figures.variants++;
    }, 60000);
  }
});

/** Bytes that Yjs refuses to apply, in place of a stored update or snapshot. */
function damaged(original: Buffer): Buffer {
  // Keep the first bytes, scramble the rest: realistic torn or rotten bytes.
  const prng = new Prng(original.length);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const out = Buffer.from(original);
    for (let i = Math.min(4, out.length - 1); i < out.length; i++) out[i] = prng.int(0, 255);
    if (!applies(out)) return out;
  }
  // A struct count far beyond what the bytes hold: never applies.
  return Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
}

function applies(update: Uint8Array): boolean {
  try {
    Y.applyUpdate(new Y.Doc(), update);
    return true;
  } catch {
    return false;
  }
}
