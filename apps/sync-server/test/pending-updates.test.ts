// Updates whose dependencies have not arrived yet ("pending" in Yjs) are routine around reconnects: the
// stock provider sends a fresh local edit as soon as its socket opens, before its sync step 2 carries the
// edits it depends on. While such an update waits, other clients keep resyncing, and every sync step 2
// carries its sender's whole delete set. The server must store only what is new, keep what waits in a
// form that survives kill -9 once confirmed, and not let resyncs grow the stored log.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType } from '@redstring/model';
import { DATABASE_FILE } from '../src/index';
import { userWithBoard } from './helpers/api';
import { connectBoard, waitFor } from './helpers/board-client';
import { startChildServer } from './helpers/child-server';
import { RawSocket, syncUpdateFrame } from './helpers/raw-socket';
import { startTestServer, tempDataDir } from './helpers/test-server';

/** Bytes of every stored document blob (snapshots, the update log, anything else holding updates). */
function storedDocumentBytes(dataDir: string): number {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
      .map((t) => t.name)
      .filter((name) => /snapshot|update/i.test(name));
    return tables.reduce(
      (total, table) => total + (db.prepare(`SELECT coalesce(sum(length(bytes)), 0) AS n FROM "${table}"`).get() as { n: number }).n,
      0,
    );
  } finally {
    db.close();
  }
}

function syncStep2Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep2(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Two updates of one client; the second depends on the first (same client, next clock). */
function dependentPair(): { first: Uint8Array; second: Uint8Array } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getMap('late').set('first', 'sent last');
  doc.getMap('late').set('second', 'sent first');
  return { first: updates[0]!, second: updates[1]! };
}

async function readLateMap(wsUrl: string, boardId: string, boardToken: string, sessionToken: string): Promise<unknown> {
  const reader = connectBoard({ wsUrl, boardId, boardToken, sessionToken });
  await reader.synced(15_000);
  const value = reader.doc.getMap('late').toJSON();
  reader.destroy();
  return value;
}

describe('updates waiting for their dependencies', () => {
  it('resyncs while an update waits store nothing new, and the waiting update lands once its dependency arrives', async () => {
    const server = await startTestServer({ compactAfterUpdates: 1_000_000 });
    const { session, board } = await userWithBoard(server.url);
    const connect = () =>
      connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });

    // A responder whose document has a long delete set: typed text, half of it deleted again.
    const typist = connect();
    await typist.synced();
    const text = typist.doc.getText('notes');
    text.insert(0, 'x'.repeat(600));
    typist.doc.transact(() => {
      for (let i = 599; i >= 0; i -= 2) text.delete(i, 1);
    });
    await typist.allSaved();
    const deleteSetBytes = Y.encodeStateAsUpdate(typist.doc, Y.encodeStateVector(typist.doc)).byteLength;
    expect(deleteSetBytes).toBeGreaterThan(300);

    // Another responder's fresh edit arrives before the edit it depends on.
    const { first, second } = dependentPair();
    const early = new RawSocket(server.wsUrl, board.boardId);
    await early.opened;
    early.hello(board.editorToken, session.sessionToken);
    await early.waitForType(MessageType.Welcome);
    early.send(syncUpdateFrame(second));
    // Confirmed, although nothing of it could be applied yet: it is kept durably as it waits.
    await early.until(() => (early.savedSeq() >= 1 ? true : undefined), 5000, 'Saved 1');
    const before = storedDocumentBytes(server.dataDir);

    // Five resyncs of the typist, each with a sync step 2 carrying its whole delete set and nothing new.
    for (let i = 0; i < 5; i++) {
      typist.provider.disconnect();
      typist.provider.connect();
      await typist.synced();
      await typist.allSaved();
    }
    const resyncer = new RawSocket(server.wsUrl, board.boardId);
    await resyncer.opened;
    resyncer.hello(board.editorToken, session.sessionToken);
    await resyncer.waitForType(MessageType.Welcome);
    for (let i = 0; i < 5; i++) resyncer.send(syncStep2Frame(typist.doc));
    await resyncer.until(() => (resyncer.savedSeq() >= 5 ? true : undefined), 5000, 'Saved 5');
    const growth = storedDocumentBytes(server.dataDir) - before;
    // Before the fix each of the ten resyncs appended the whole delete set again (≈ 10 × deleteSetBytes).
    expect(growth, `stored bytes grew by ${growth} (delete set: ${deleteSetBytes} bytes)`).toBeLessThan(deleteSetBytes / 4);

    // The dependency arrives: both edits are part of the board, for everyone.
    early.send(syncUpdateFrame(first));
    await early.until(() => (early.savedSeq() >= 2 ? true : undefined), 5000, 'Saved 2');
    expect(await readLateMap(server.wsUrl, board.boardId, board.editorToken, session.sessionToken)).toEqual({
      first: 'sent last',
      second: 'sent first',
    });
    early.ws.close();
    resyncer.ws.close();
    typist.destroy();

    // And from storage alone, once the board has left memory.
    await waitFor(() => server.hub.loadedBoardCount === 0, 5000, 'board unloaded');
    expect(await readLateMap(server.wsUrl, board.boardId, board.editorToken, session.sessionToken)).toEqual({
      first: 'sent last',
      second: 'sent first',
    });
  });

  it('an update confirmed while it waits for its dependency survives kill -9', async () => {
    const dataDir = tempDataDir();
    const first = await startChildServer({ REDSTRING_DATA_DIR: dataDir });
    const { session, board } = await userWithBoard(first.url);
    const pair = dependentPair();
    const early = new RawSocket(first.wsUrl, board.boardId);
    await early.opened;
    early.hello(board.editorToken, session.sessionToken);
    await early.waitForType(MessageType.Welcome);
    early.send(syncUpdateFrame(pair.second));
    await early.until(() => (early.savedSeq() >= 1 ? true : undefined), 5000, 'Saved 1');
    first.process.kill('SIGKILL');
    await first.exited;

    const second = await startChildServer({ REDSTRING_DATA_DIR: dataDir });
    const late = new RawSocket(second.wsUrl, board.boardId);
    await late.opened;
    late.hello(board.editorToken, session.sessionToken);
    await late.waitForType(MessageType.Welcome);
    late.send(syncUpdateFrame(pair.first));
    await late.until(() => (late.savedSeq() >= 1 ? true : undefined), 5000, 'Saved 1');
    late.ws.close();
    expect(await readLateMap(second.wsUrl, board.boardId, board.editorToken, session.sessionToken)).toEqual({
      first: 'sent last',
      second: 'sent first',
    });
  });
});
