// A board with several responders connected through their own fault proxies: the setup shared by the
// convergence, kill -9, storage and network rows.
import * as Y from 'yjs';
import type { AuthRequest } from '@redstring/model';
import { BoardClient } from './board-client';
import { FaultProxy } from './fault-proxy';
import { boardFixture, createSession } from './http-api';
import type { Prng } from './prng';
import type { ServerProcess } from './server-process';
import { waitUntil } from './wait';
import { docDifferences } from './doc-compare';

export interface Responder {
  userId: string;
  client: BoardClient;
  proxy: FaultProxy;
}

export interface Cluster {
  boardId: string;
  editorAuth: AuthRequest;
  viewerAuth: AuthRequest;
  responders: Responder[];
}

/** Creates a board and `count` responders, each behind its own proxy to `server`. */
export async function startCluster(server: ServerProcess, count: number, prng: Prng, title: string): Promise<Cluster> {
  const owner = await boardFixture(server.url, title);
  const boardId = owner.board.boardId;
  const responders: Responder[] = [];
  const clientIds = new Set<number>();
  for (let i = 0; i < count; i++) {
    const session = i === 0 ? { sessionToken: owner.sessionToken, user: { userId: owner.userId } } : await createSession(server.url, `Responder ${i}`);
    const proxy = new FaultProxy(server.port, prng.fork(100 + i));
    await proxy.listen();
    let clientId: number;
    do clientId = prng.int(1, 2 ** 31 - 1);
    while (clientIds.has(clientId));
    clientIds.add(clientId);
    const client = new BoardClient({
      baseWsUrl: proxy.url,
      boardId,
      clientId,
      auth: { boardToken: owner.board.editorToken, sessionToken: session.sessionToken },
      maxBackoffMs: 300,
    });
    responders.push({ userId: session.user.userId, client, proxy });
  }
  return {
    boardId,
    editorAuth: { boardToken: owner.board.editorToken, sessionToken: owner.sessionToken },
    viewerAuth: { boardToken: owner.board.viewerToken, sessionToken: owner.sessionToken },
    responders,
  };
}

/** Heals every fault and reconnects everyone. */
export function healAll(cluster: Cluster): void {
  for (const r of cluster.responders) {
    r.proxy.setLatency({ baseMs: 0, jitterMs: 0 });
    r.proxy.setBlackout(false);
    r.proxy.setRefusing(false);
    r.client.connect();
  }
}

/** Differences between the responders' copies (empty when they all agree). */
export function responderDifferences(cluster: Cluster): string[] {
  const [first, ...rest] = cluster.responders;
  if (!first) return [];
  return rest.flatMap((r, i) => docDifferences(first.client.doc, r.client.doc, ['responder 0', `responder ${i + 1}`]));
}

/** Same state vector and delete set on every responder (cheap enough to poll, unlike comparing content). */
function snapshotsAgree(cluster: Cluster): boolean {
  const [first, ...rest] = cluster.responders.map((r) => Y.snapshot(r.client.doc));
  return rest.every((s) => Y.equalSnapshots(first!, s));
}

/** Waits until every responder is connected, has everything it changed confirmed, and all copies agree. */
export async function waitForQuiet(cluster: Cluster, timeoutMs: number): Promise<void> {
  await waitUntil(
    () => cluster.responders.every((r) => r.client.connected && r.client.allSaved) && snapshotsAgree(cluster),
    timeoutMs,
    () =>
      `all responders saved and identical; state: ${JSON.stringify(
        cluster.responders.map((r, i) => ({
          i,
          connected: r.client.connected,
          allSaved: r.client.allSaved,
          unsaved: r.client.unsavedFrames,
          closeCode: r.client.connection?.closeCode,
          errors: r.client.connection?.errors,
        })),
      )}; differences: ${responderDifferences(cluster).slice(0, 3).join(' | ')}`,
  );
  // Equal snapshots mean equal structure; the content must then agree too (this is what users see).
  const differences = responderDifferences(cluster);
  if (differences.length > 0) throw new Error(`responders have equal snapshots but different content: ${differences.slice(0, 3).join(' | ')}`);
}

export async function closeCluster(cluster: Cluster): Promise<void> {
  for (const r of cluster.responders) {
    r.client.destroy();
    await r.proxy.close();
  }
}
