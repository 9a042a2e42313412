// Row 1: convergence through the real server and its SQLite storage. Each seed draws 3–10 responders,
// a schedule of board operations, disconnects, reconnects, cut connections and delays; at the end every
// responder, the server's copy, and the copy reloaded from disk after a restart must be identical.
//
// Replay one seed: FAULT_SEED=1234 pnpm exec vitest run --project test faults/convergence
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convergenceRegressionSeeds } from './convergence-regressions';
import { closeCluster, healAll, startCluster, waitForQuiet, type Cluster } from './lib/cluster';
import { docDifferences } from './lib/doc-compare';
import { RandomEditor } from './lib/board-ops';
import { Prng, seedsToRun, sleep, soak } from './lib/prng';
import { fetchBoardCopy } from './lib/raw-socket';
import { ServerProcess, tempDir } from './lib/server-process';

const seeds = seedsToRun(50, 1000, convergenceRegressionSeeds.map((r) => r.seed));
const seedsPerServer = 10;
const batches: number[][] = [];
for (let i = 0; i < seeds.length; i += seedsPerServer) batches.push(seeds.slice(i, i + seedsPerServer));

type Action = 'edit' | 'disconnect' | 'reconnect' | 'cut' | 'latency' | 'pause';
const actionWeights: Record<Action, number> = { edit: 70, disconnect: 3, reconnect: 6, cut: 3, latency: 5, pause: 13 };

const replayHint = (seed: number) => `replay: FAULT_SEED=${seed} pnpm exec vitest run --project test faults/convergence`;

/** Runs one seed's schedule; returns the cluster with every responder healed and quiet. */
async function runSeed(server: ServerProcess, seed: number): Promise<{ cluster: Cluster; stats: Record<Action, number> }> {
  const prng = new Prng(seed);
  const cluster = await startCluster(server, prng.int(3, 10), prng, `convergence seed ${seed}`);
  const editors = cluster.responders.map((r, i) => new RandomEditor(r.client.doc, r.userId, prng.fork(i)));
  const stats: Record<Action, number> = { edit: 0, disconnect: 0, reconnect: 0, cut: 0, latency: 0, pause: 0 };
  const steps = prng.int(100, 300);
  for (let step = 0; step < steps; step++) {
    const action = prng.weighted(actionWeights);
    const who = prng.int(0, cluster.responders.length - 1);
    const responder = cluster.responders[who]!;
    stats[action]++;
    switch (action) {
      case 'edit':
        editors[who]!.step();
        break;
      case 'disconnect':
        responder.client.disconnect();
        break;
      case 'reconnect':
        responder.client.connect();
        break;
      case 'cut':
        responder.proxy.cutAll();
        break;
      case 'latency':
        responder.proxy.setLatency({ baseMs: prng.int(0, 60), jitterMs: prng.int(0, 40) });
        break;
      case 'pause':
        await sleep(prng.int(2, 25));
        break;
    }
  }
  healAll(cluster);
  await waitForQuiet(cluster, 20000);
  return { cluster, stats };
}

const totals = { seeds: 0, responders: 0, edits: 0, disconnects: 0, cuts: 0, reloadedBoards: 0 };

describe.each(batches.map((b, i) => ({ batch: i + 1, seeds: b })))('row 1: convergence, server $batch', ({ seeds: batchSeeds }) => {
  const data = tempDir('convergence');
  let server: ServerProcess;
  /** Final copy of each seed's board, to compare with what a restarted server reloads from disk. */
  const finals: { seed: number; boardId: string; auth: Cluster['editorAuth']; doc: Y.Doc }[] = [];

  beforeAll(async () => {
    server = await ServerProcess.start({ dataDir: data.path });
  }, 30000);

  afterAll(async () => {
    await server?.kill9();
    data.remove();
  });

  for (const seed of batchSeeds) {
    it(`seed ${seed}: responders, the server's copy and each other agree`, async () => {
      const { cluster, stats } = await runSeed(server, seed).catch((error: unknown) => {
        throw new Error(`seed ${seed} did not converge: ${String(error)}\n${replayHint(seed)}`);
      });
      try {
        const serverCopy = await fetchBoardCopy(server.wsUrl, cluster.boardId, cluster.editorAuth);
        const differences = docDifferences(cluster.responders[0]!.client.doc, serverCopy, ['responder 0', 'server']);
        expect(differences, `seed ${seed}: server copy differs. ${replayHint(seed)}`).toEqual([]);
        expect(cluster.responders.flatMap((r) => r.client.anomalies()), `seed ${seed}: Saved protocol anomalies`).toEqual([]);
        finals.push({ seed, boardId: cluster.boardId, auth: cluster.editorAuth, doc: serverCopy });
        totals.seeds++;
        totals.responders += cluster.responders.length;
        totals.edits += stats.edit;
        totals.disconnects += stats.disconnect;
        totals.cuts += stats.cut;
      } finally {
        await closeCluster(cluster);
      }
    }, 60000);
  }

  it('after kill -9 and restart, every board reloaded from disk is identical', async () => {
    await server.kill9();
    server = await server.restart();
    for (const final of finals) {
      const reloaded = await fetchBoardCopy(server.wsUrl, final.boardId, final.auth);
      expect(docDifferences(final.doc, reloaded, ['before restart', 'reloaded']), `seed ${final.seed}: ${replayHint(final.seed)}`).toEqual([]);
      totals.reloadedBoards++;
    }
    expect(finals.length).toBe(batchSeeds.length);
  }, 60000);
});

afterAll(() => {
  console.log(`[faults] row 1 convergence${soak ? ' (soak)' : ''}: ${JSON.stringify(totals)}`);
});
