// Row 2: kill -9 while ten responders edit. Each trial SIGKILLs the server at a random moment (or right
// after it confirmed a save), checks the database with PRAGMA integrity_check, restarts it on the same
// data directory, and — before any responder may reconnect — checks that every update ever confirmed
// as saved is there. Then the responders reconnect, re-send what was not confirmed, and it must arrive.
//
// Rerun: pnpm exec vitest run --project test faults/kill9   (soak: REDSTRING_SOAK=1, 500 trials)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { closeCluster, healAll, startCluster, waitForQuiet, type Cluster } from './lib/cluster';
import { ContainmentChecker, docDifferences, unionOf } from './lib/doc-compare';
import { RandomEditor, steadySizeWeights } from './lib/board-ops';
import { Prng, sleep, soak } from './lib/prng';
import { fetchBoardCopy } from './lib/raw-socket';
import { ServerProcess, tempDir } from './lib/server-process';
import { integrityCheck, onlyDatabase } from './lib/sqlite-files';
import { waitUntil } from './lib/wait';

const trials = Number(process.env.FAULT_TRIALS ?? (soak ? 500 : 50));
const seed = Number(process.env.FAULT_SEED ?? 2002);
const responderCount = 10;

/** Edits continuously from random responders until stopped. */
function startEditing(editors: RandomEditor[], prng: Prng, maxPauseMs: number): { stop: () => Promise<number> } {
  let running = true;
  let ops = 0;
  const loop = (async () => {
    while (running) {
      editors[prng.int(0, editors.length - 1)]!.step();
      ops++;
      await sleep(prng.int(0, maxPauseMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return ops;
    },
  };
}

function totalSaved(cluster: Cluster): number {
  return cluster.responders.reduce((n, r) => n + (r.client.connection?.savedSeq ?? 0), 0);
}

describe('row 2: kill -9 while editing', () => {
  const data = tempDir('kill9');
  let server: ServerProcess;
  let cluster: Cluster;
  const prng = new Prng(seed);
  const figures = {
    trials: 0,
    killsRightAfterSaved: 0,
    updatesConfirmed: 0,
    updatesLost: 0,
    unconfirmedAtKill: 0,
    editsWhileDown: 0,
    integrity: new Set<string>(),
    integrityVia: new Set<string>(),
  };
  /** Everything confirmed so far, so a later crash that loses an earlier save is caught too. */
  const confirmedSoFar: Uint8Array[] = [];

  beforeAll(async () => {
    server = await ServerProcess.start({ dataDir: data.path });
    cluster = await startCluster(server, responderCount, prng, 'kill -9 while editing');
  }, 30000);

  afterAll(async () => {
    if (cluster) await closeCluster(cluster);
    await server?.kill9();
    data.remove();
    console.log(
      `[faults] row 2 kill -9${soak ? ' (soak)' : ''}: ${JSON.stringify({ ...figures, integrity: [...figures.integrity], integrityVia: [...figures.integrityVia] })}`,
    );
  });

  it(`${trials} trials: nothing confirmed is lost, unconfirmed edits are re-sent and arrive`, async () => {
    // Deleting about as much as is written keeps the board's size steady over hundreds of trials.
    const editors = cluster.responders.map((r, i) => new RandomEditor(r.client.doc, r.userId, prng.fork(i), steadySizeWeights));
    for (let trial = 1; trial <= trials; trial++) {
      const context = `trial ${trial} (FAULT_SEED=${seed})`;
      const phases: Record<string, number> = {};
      let mark = Date.now();
      const phase = (name: string) => {
        phases[name] = Date.now() - mark;
        mark = Date.now();
      };
      await waitUntil(() => cluster.responders.every((r) => r.client.connected), 15000, `${context}: responders connected`);

      // Edit, then kill at a random moment — sometimes the instant after a save was confirmed.
      const editing = startEditing(editors, prng.fork(1000 + trial), 3);
      const afterSaved = prng.chance(0.25);
      if (afterSaved) {
        await sleep(prng.int(50, 400));
        const before = totalSaved(cluster);
        await waitUntil(() => totalSaved(cluster) > before, 10000, `${context}: a save confirmation`);
        figures.killsRightAfterSaved++;
      } else {
        await sleep(prng.int(80, 900));
      }
      for (const r of cluster.responders) r.proxy.setRefusing(true);
      await server.kill9();
      const opsBeforeKill = await editing.stop();
      phase('edit+kill');

      const newlyConfirmed = cluster.responders.flatMap((r) => r.client.takeNewlyConfirmed());
      figures.unconfirmedAtKill += cluster.responders.reduce((n, r) => n + r.client.unsavedFrames, 0);
      // Responders keep working while the server is down; those edits must arrive later.
      const offline = startEditing(editors, prng.fork(2000 + trial), 20);

      const integrity = integrityCheck(onlyDatabase(data.path));
      figures.integrity.add(integrity.result);
      figures.integrityVia.add(integrity.via);
      expect(integrity.result, `${context}: integrity_check`).toBe('ok');

      phase('integrity');
      server = await server.restart();
      phase('restart');
      const reloaded = await fetchBoardCopy(server.wsUrl, cluster.boardId, cluster.editorAuth);
      const checker = new ContainmentChecker(reloaded);
      const lost = checker.missing(newlyConfirmed);
      figures.updatesConfirmed += newlyConfirmed.length;
      figures.updatesLost += lost.length;
      expect(lost.length, `${context}: confirmed updates missing after restart (ops before kill: ${opsBeforeKill})`).toBe(0);
      const lostEarlier = checker.missing(confirmedSoFar);
      figures.updatesLost += lostEarlier.length;
      expect(lostEarlier.length, `${context}: updates confirmed in earlier trials missing`).toBe(0);
      confirmedSoFar.push(...newlyConfirmed);

      phase('verify');
      // Now let the responders back in: what they had not had confirmed must arrive.
      figures.editsWhileDown += await offline.stop();
      for (const r of cluster.responders) r.proxy.setUpstream(server.port);
      healAll(cluster);
      await waitForQuiet(cluster, 20000);
      phase('reconnect');
      const serverCopy = await fetchBoardCopy(server.wsUrl, cluster.boardId, cluster.editorAuth);
      const everything = unionOf(cluster.responders.map((r) => r.client.doc));
      expect(docDifferences(everything, serverCopy, ['responders', 'server']), `${context}: after reconnect`).toEqual([]);
      expect(cluster.responders.flatMap((r) => r.client.anomalies()), `${context}: Saved anomalies`).toEqual([]);
      phase('compare');
      figures.trials++;
      if (process.env.FAULT_VERBOSE) console.log(`trial ${trial}: ${JSON.stringify(phases)} doc=${Y.encodeStateAsUpdate(serverCopy).length}B`);
    }
    expect(figures.trials).toBe(trials);
  }, (soak ? 3600 : 420) * 1000);
});
