// Row 4: network faults through the suite's own TCP proxy: latency with jitter, cut connections, and a
// blackout (30 s in soak, shorter in CI) in which traffic is held but connections stay open. Afterwards the
// responders converge with the server, and the stored size has not ballooned from resyncs: it grew by
// less than 1% beyond the bytes of the edits actually made during the faults.
//
// Rerun: pnpm exec vitest run --project test faults/network   (soak: REDSTRING_SOAK=1)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCluster, healAll, startCluster, waitForQuiet, type Cluster } from './lib/cluster';
import { docDifferences } from './lib/doc-compare';
import { RandomEditor } from './lib/board-ops';
import { Prng, sleep, soak } from './lib/prng';
import { fetchBoardCopy } from './lib/raw-socket';
import { ServerProcess, tempDir } from './lib/server-process';
import { listTables, onlyDatabase, rowCounts, storedBytes } from './lib/sqlite-files';

const seed = Number(process.env.FAULT_SEED ?? 4004);
const faultPhaseMs = soak ? 120_000 : 14_000;
const blackoutMs = soak ? 30_000 : 5_000;
const responders = 5;

/** The tables that hold board documents, if the server's schema has them; otherwise everything. */
function documentTables(dbPath: string): string[] | undefined {
  const tables = listTables(dbPath).filter((t) => /snapshot|update/i.test(t));
  return tables.length > 0 ? tables : undefined;
}

describe('row 4: network faults', () => {
  const data = tempDir('network');
  let server: ServerProcess;
  let cluster: Cluster;
  const prng = new Prng(seed);
  const figures = {
    latencyChanges: 0,
    cuts: 0,
    blackoutMs,
    reconnects: 0,
    storedBefore: 0,
    storedAfter: 0,
    editBytesDuringFaults: 0,
    growthBeyondEdits: 0,
    growthPercent: 0,
    logRowsBefore: 0,
    logRowsAfter: 0,
  };

  beforeAll(async () => {
    // Compaction off, so growth from redundant resync writes cannot hide behind a fold.
    server = await ServerProcess.start({ dataDir: data.path, env: { REDSTRING_COMPACT_AFTER_UPDATES: '1000000000' } });
    cluster = await startCluster(server, responders, prng, 'network faults');
  }, 30000);

  afterAll(async () => {
    if (cluster) await closeCluster(cluster);
    await server?.kill9();
    data.remove();
    console.log(`[faults] row 4 network${soak ? ' (soak)' : ''}: ${JSON.stringify(figures)}`);
  });

  it('converges after latency, cuts and a blackout, without stored-size growth from resyncs', async () => {
    const editors = cluster.responders.map((r, i) => new RandomEditor(r.client.doc, r.userId, prng.fork(i)));
    // A board with some history, so 1% is a meaningful amount.
    for (let i = 0; i < 1500; i++) {
      editors[prng.int(0, editors.length - 1)]!.step();
      if (i % 50 === 0) await sleep(5);
    }
    await waitForQuiet(cluster, 20000);
    const dbPath = onlyDatabase(data.path);
    const tables = documentTables(dbPath);
    figures.storedBefore = storedBytes(dbPath, tables);
    const rowsBefore = rowCounts(dbPath);
    figures.logRowsBefore = Object.entries(rowsBefore).filter(([t]) => tables?.includes(t) ?? true).reduce((n, [, c]) => n + c, 0);
    const localBytesBefore = cluster.responders.map((r) => r.client.localUpdates.reduce((n, u) => n + u.length, 0));
    const connectionsBefore = cluster.responders.reduce((n, r) => n + r.client.connections.length, 0);

    // Faults, with light editing throughout.
    const start = Date.now();
    const blackoutAt = start + prng.int(1000, Math.max(1000, faultPhaseMs - blackoutMs - 2000));
    let blackoutDone = false;
    while (Date.now() - start < faultPhaseMs) {
      const now = Date.now();
      if (!blackoutDone && now >= blackoutAt) {
        for (const r of cluster.responders) r.proxy.setBlackout(true);
        // Edits during the blackout reach nobody until it ends.
        const until = now + blackoutMs;
        while (Date.now() < until) {
          editors[prng.int(0, editors.length - 1)]!.step();
          await sleep(prng.int(100, 400));
        }
        for (const r of cluster.responders) r.proxy.setBlackout(false);
        blackoutDone = true;
        continue;
      }
      const responder = prng.pick(cluster.responders);
      switch (prng.weighted({ edit: 60, latency: 20, cutOne: 10, cutAll: 2, pause: 8 })) {
        case 'edit':
          editors[cluster.responders.indexOf(responder)]!.step();
          break;
        case 'latency':
          responder.proxy.setLatency({ baseMs: prng.int(0, 400), jitterMs: prng.int(0, 200) });
          figures.latencyChanges++;
          break;
        case 'cutOne':
          if (responder.proxy.cutOne()) figures.cuts++;
          break;
        case 'cutAll':
          for (const r of cluster.responders) figures.cuts += r.proxy.cutAll();
          break;
        case 'pause':
          break;
      }
      await sleep(prng.int(20, 120));
    }
    expect(blackoutDone).toBe(true);

    healAll(cluster);
    await waitForQuiet(cluster, soak ? 60000 : 30000);
    const serverCopy = await fetchBoardCopy(server.wsUrl, cluster.boardId, cluster.editorAuth);
    expect(docDifferences(cluster.responders[0]!.client.doc, serverCopy, ['responder', 'server'])).toEqual([]);

    figures.reconnects = cluster.responders.reduce((n, r) => n + r.client.connections.length, 0) - connectionsBefore;
    figures.editBytesDuringFaults = cluster.responders.reduce(
      (n, r, i) => n + r.client.localUpdates.reduce((m, u) => m + u.length, 0) - localBytesBefore[i]!,
      0,
    );
    figures.storedAfter = storedBytes(dbPath, tables);
    figures.logRowsAfter = Object.entries(rowCounts(dbPath)).filter(([t]) => tables?.includes(t) ?? true).reduce((n, [, c]) => n + c, 0);
    figures.growthBeyondEdits = figures.storedAfter - figures.storedBefore - figures.editBytesDuringFaults;
    figures.growthPercent = Math.round((10000 * figures.growthBeyondEdits) / figures.storedBefore) / 100;
    expect(figures.reconnects, 'the faults did force reconnects').toBeGreaterThan(0);
    expect(figures.growthBeyondEdits, `stored size grew beyond the edits: ${JSON.stringify(figures)}`).toBeLessThan(0.01 * figures.storedBefore);

    await server.kill9();
    server = await server.restart();
    const reloaded = await fetchBoardCopy(server.wsUrl, cluster.boardId, cluster.editorAuth);
    expect(docDifferences(serverCopy, reloaded, ['before restart', 'reloaded'])).toEqual([]);
  }, (soak ? 600 : 120) * 1000);
});
