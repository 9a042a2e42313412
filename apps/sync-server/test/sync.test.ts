// Board documents over the y-websocket protocol: real server, real Node y-websocket clients, real SQLite.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, CloseCode, MessageType } from '@redstring/model';
import { DATABASE_FILE, SqliteStorage } from '../src/index';
import { userWithBoard, createSession } from './helpers/api';
import { connectBoard, waitFor, type TestBoardClient } from './helpers/board-client';
import { faultyStorage } from './helpers/faulty-storage';
import { RawSocket, syncStep1Frame, syncUpdateFrame } from './helpers/raw-socket';
import { startTestServer, tempDataDir } from './helpers/test-server';

function boardOf(client: TestBoardClient, name: string): BoardDoc {
  return new BoardDoc(client.doc, { actor: { userId: `user-${name}`, name } });
}

function snapshot(client: TestBoardClient) {
  const { board } = new BoardDoc(client.doc, { actor: { userId: 'reader', name: 'Reader' } }).read();
  return JSON.stringify(board);
}

describe('board sync', () => {
  it('two, then ten clients editing at once converge, and a late joiner receives the whole board', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url, 'Ana');
    const connect = (sessionToken: string) =>
      connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken });

    const a = connect(session.sessionToken);
    const bSession = await createSession(server.url, 'Bo');
    const b = connect(bSession.sessionToken);
    await Promise.all([a.synced(), b.synced()]);
    expect(a.events.welcome?.access).toBe('editor');
    expect(new BoardDoc(a.doc, { actor: { userId: 'x', name: 'X' } }).read().board.meta.title).toBe('Checkout latency spike');

    const shared = boardOf(a, 'Ana').createCard({ kind: 'hypothesis', title: 'H1 payment provider degraded' });
    await waitFor(() => boardOf(b, 'Bo').titleText(shared) !== undefined, 5000, 'card reaches B');
    // Both type into the same title at the same time.
    boardOf(a, 'Ana').titleText(shared)?.insert(0, 'A:');
    boardOf(b, 'Bo').titleText(shared)?.insert(0, 'B:');
    boardOf(b, 'Bo').createCard({ kind: 'evidence', title: 'provider status green' });
    await waitFor(() => snapshot(a) === snapshot(b), 5000, 'two clients converge');
    expect(JSON.parse(snapshot(a)).cards).toHaveLength(2);

    const others: TestBoardClient[] = [];
    for (let i = 0; i < 8; i++) others.push(connect((await createSession(server.url, `R${i}`)).sessionToken));
    const ten = [a, b, ...others];
    await Promise.all(ten.map((c) => c.synced()));
    ten.forEach((client, i) => {
      const doc = boardOf(client, `R${i}`);
      for (let n = 0; n < 5; n++) doc.createCard({ kind: 'note', title: `note ${i}-${n}` });
      doc.bodyText(shared)?.insert(0, `[${i}]`);
    });
    await waitFor(() => ten.every((c) => snapshot(c) === snapshot(a)), 10_000, 'ten clients converge');
    const converged = JSON.parse(snapshot(a));
    expect(converged.cards).toHaveLength(2 + 50);
    await Promise.all(ten.map((c) => c.allSaved()));

    const late = connect((await createSession(server.url, 'Chen')).sessionToken);
    await late.synced();
    expect(snapshot(late)).toBe(snapshot(a));
    for (const c of [...ten, late]) c.destroy();
  });
  it('a burst of fresh joiners of a large board all get the whole board, and one joining after an edit gets the edit', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url, 'Ana');
    const connect = async (name: string) =>
      connectBoard({
        wsUrl: server.wsUrl,
        boardId: board.boardId,
        boardToken: board.editorToken,
        sessionToken: name === 'Ana' ? session.sessionToken : (await createSession(server.url, name)).sessionToken,
      });
    const author = await connect('Ana');
    await author.synced();
    // Large enough that the server shares one encoding between fresh joiners.
    const doc = boardOf(author, 'Ana');
    for (let i = 0; i < 300; i++) doc.createCard({ kind: 'evidence', title: `log line ${i}: upstream timeout on checkout-api` });
    await author.allSaved();

    const burst = await Promise.all(['Bo', 'Chen', 'Dara'].map(connect));
    await Promise.all(burst.map((c) => c.synced()));
    for (const joiner of burst) expect(snapshot(joiner)).toBe(snapshot(author));

    const edited = doc.createCard({ kind: 'hypothesis', title: 'H2 connection pool exhausted' });
    await author.allSaved();
    const late = await connect('Eli');
    await late.synced();
    expect(boardOf(late, 'Eli').titleText(edited)?.toString()).toBe('H2 connection pool exhausted');
    expect(snapshot(late)).toBe(snapshot(author));
    for (const c of [author, ...burst, late]) c.destroy();
  });
});

describe('durability and lifecycle', () => {
  it('confirms each update with Saved only after it is in SQLite, and frames sent before Welcome are kept', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url);
    // Hello, sync step 1 and two updates in one burst, before the server has even checked the token.
    const socket = new RawSocket(server.wsUrl, board.boardId);
    await socket.opened;
    const local = new Y.Doc();
    const updates: Uint8Array[] = [];
    local.on('update', (u: Uint8Array) => updates.push(u));
    local.getMap('scratch').set('first', 1);
    local.getMap('scratch').set('second', 2);
    socket.hello(board.editorToken, session.sessionToken);
    socket.send(syncStep1Frame(local));
    for (const u of updates) socket.send(syncUpdateFrame(u));
    await waitFor(() => socket.savedSeq() === 2, 5000, 'Saved 2');
    expect(socket.types().slice(0, 2)).toEqual([MessageType.Welcome, MessageType.Sync]);

    // Saved(2) means both are on disk: read them back through a second connection to the file.
    const db = new Database(join(server.dataDir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare('SELECT bytes FROM board_updates WHERE board_id = ?').all(board.boardId) as { bytes: Buffer }[];
    db.close();
    const stored = new Y.Doc();
    for (const row of rows) Y.applyUpdate(stored, row.bytes);
    expect(stored.getMap('scratch').toJSON()).toEqual({ first: 1, second: 2 });
    socket.ws.close();
  });

  it('drops a viewer’s edits without closing the viewer, who still receives the board', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url);
    const connect = (boardToken: string, sessionToken: string) =>
      connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken, sessionToken });
    const editor = connect(board.editorToken, session.sessionToken);
    const viewer = connect(board.viewerToken, (await createSession(server.url, 'Vic')).sessionToken);
    await Promise.all([editor.synced(), viewer.synced()]);
    expect(viewer.events.welcome?.access).toBe('viewer');

    boardOf(viewer, 'Vic').createCard({ kind: 'note', title: 'written by a viewer' });
    const editorCard = boardOf(editor, 'Ana').createCard({ kind: 'note', title: 'written by an editor' });
    await waitFor(() => boardOf(viewer, 'Vic').titleText(editorCard) !== undefined, 5000, 'viewer receives edits');
    await editor.allSaved();
    // The viewer's update never reached the editor, the server's doc, or storage.
    const titles = (c: TestBoardClient) => JSON.parse(snapshot(c)).cards.map((card: { title: string }) => card.title);
    expect(titles(editor)).toEqual(['written by an editor']);
    expect(viewer.events.closes).toEqual([]);
    expect(viewer.events.saved).toBe(0);
    expect(server.metrics.updatesDroppedFromViewers).toBeGreaterThan(0);
    const fresh = connect(board.editorToken, session.sessionToken);
    await fresh.synced();
    expect(titles(fresh)).toEqual(['written by an editor']);
    for (const c of [editor, viewer, fresh]) c.destroy();
  });

  it('unloads a board once its last client left and its edits are stored, and reloads it intact', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url);
    const client = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    for (let i = 0; i < 20; i++) boardOf(client, 'Ana').createCard({ kind: 'evidence', title: `evidence ${i}` });
    await client.allSaved();
    const before = snapshot(client);
    expect(server.hub.isLoaded(board.boardId)).toBe(true);
    client.destroy();
    await waitFor(() => server.hub.loadedBoardCount === 0, 5000, 'board unloaded');

    const again = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await again.synced();
    expect(snapshot(again)).toBe(before);
    again.destroy();
  });

  it('folds a long update log into a snapshot, atomically, without losing anything', async () => {
    const server = await startTestServer({ compactAfterUpdates: 25 });
    const { session, board } = await userWithBoard(server.url);
    const client = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    const doc = boardOf(client, 'Ana');
    const card = doc.createCard({ kind: 'note', title: 'typed one key at a time' });
    for (let i = 0; i < 120; i++) {
      doc.bodyText(card)?.insert(i, String.fromCharCode(97 + (i % 26)));
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await client.allSaved();
    await waitFor(() => server.metrics.compactions > 0, 5000, 'a compaction');
    const db = new Database(join(server.dataDir, DATABASE_FILE), { readonly: true });
    const logRows = (db.prepare('SELECT count(*) AS n FROM board_updates WHERE board_id = ?').get(board.boardId) as { n: number }).n;
    const snapshotSeq = (db.prepare('SELECT upto_seq FROM board_snapshots WHERE board_id = ?').get(board.boardId) as { upto_seq: number }).upto_seq;
    db.close();
    expect(snapshotSeq).toBeGreaterThan(25);
    expect(logRows).toBeLessThan(120);
    const expected = snapshot(client);
    client.destroy();
    await waitFor(() => server.hub.loadedBoardCount === 0, 5000, 'board unloaded');
    const reloaded = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await reloaded.synced();
    expect(snapshot(reloaded)).toBe(expected);
    reloaded.destroy();
  });
});

describe('storage failures', () => {
  it('closes with LoadFailed and an Error frame when the board cannot be read, and serves no empty board', async () => {
    const dataDir = tempDataDir();
    const faults = await faultyStorage(dataDir);
    const server = await startTestServer({ dataDir }, { storage: faults.storage });
    const { session, board } = await userWithBoard(server.url);
    faults.failing.add('loadBoardState');
    const socket = new RawSocket(server.wsUrl, board.boardId);
    await socket.opened;
    socket.hello(board.editorToken, session.sessionToken);
    socket.send(syncStep1Frame(new Y.Doc()));
    expect((await socket.waitForClose()).code).toBe(CloseCode.LoadFailed);
    expect(socket.types()).toEqual([MessageType.Error]);
    expect(socket.errors()[0]?.message).toMatch(/could not be loaded/);
    expect(server.hub.loadedBoardCount).toBe(0);
    expect(server.logs.some((l) => l.step === 'loadBoardState')).toBe(true);

    // Once storage answers again, the same board loads normally.
    faults.failing.delete('loadBoardState');
    const client = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    expect(JSON.parse(snapshot(client)).meta.title).toBe('Checkout latency spike');
    client.destroy();
  });

  it('keeps unsaved edits in memory while storing fails, sends no Saved, and confirms once it works', async () => {
    const dataDir = tempDataDir();
    const faults = await faultyStorage(dataDir);
    const server = await startTestServer({ dataDir }, { storage: faults.storage });
    const { session, board } = await userWithBoard(server.url);
    const client = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    await client.allSaved();
    const savedBefore = client.events.saved;

    faults.failing.add('appendUpdates');
    boardOf(client, 'Ana').createCard({ kind: 'evidence', title: 'p99 checkout latency 4 s' });
    await waitFor(() => (faults.calls.get('appendUpdates') ?? 0) >= 3, 5000, 'retries');
    expect(client.events.saved).toBe(savedBefore);
    expect(server.logs.some((l) => l.step === 'appendUpdates' && l.level === 'error')).toBe(true);

    // The client leaves while its edit is unsaved: the board must stay in memory.
    client.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(server.hub.isLoaded(board.boardId)).toBe(true);

    faults.failing.delete('appendUpdates');
    await waitFor(() => server.hub.loadedBoardCount === 0, 10_000, 'stored, then unloaded');
    const again = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await again.synced();
    expect(JSON.parse(snapshot(again)).cards.map((c: { title: string }) => c.title)).toEqual(['p99 checkout latency 4 s']);
    again.destroy();
  });
  it('survives the SQLite writer thread dying mid-commit: no Saved for the cut-off commit, restart, then stored', async () => {
    const server = await startTestServer();
    const storage = server.storage as SqliteStorage;
    const { session, board } = await userWithBoard(server.url);
    const client = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    await client.allSaved();
    const savedBefore = client.events.saved;

    // Another connection holds the write lock, so the writer thread's next commit waits inside SQLite.
    const blocker = new Database(join(server.dataDir, DATABASE_FILE));
    blocker.exec('BEGIN IMMEDIATE');
    boardOf(client, 'Ana').createCard({ kind: 'evidence', title: 'written while the writer died' });
    await waitFor(() => server.hub.persister.pending > 0, 5000, 'the edit is waiting for its commit');
    await new Promise((r) => setTimeout(r, 100));
    // The thread dies as soon as its commit call returns: the transaction is never committed or answered.
    const dying = storage.writer.thread!.terminate();
    await new Promise((r) => setTimeout(r, 200));
    blocker.exec('ROLLBACK');
    blocker.close();
    await dying;

    expect(client.events.saved).toBe(savedBefore);
    expect(server.hub.isLoaded(board.boardId)).toBe(true);
    expect(server.logs.some((l) => l.step === 'storageWriter' && l.level === 'error')).toBe(true);
    expect(server.metrics.storageWriterCrashes).toBe(1);

    // A new thread starts; the kept update is retried and confirmed, and it really is on disk.
    await client.allSaved(10_000);
    expect(client.events.saved).toBeGreaterThan(savedBefore);
    expect(server.logs.some((l) => l.msg === 'the storage writer thread is running again')).toBe(true);
    const stored = await storage.loadBoardState(board.boardId);
    const replayed = new Y.Doc();
    for (const update of [stored!.snapshot!, ...stored!.updates]) Y.applyUpdate(replayed, update);
    const titles = new BoardDoc(replayed, { actor: { userId: 'reader', name: 'Reader' } }).read().board.cards.map((c) => c.title);
    expect(titles).toEqual(['written while the writer died']);
    client.destroy();
  });
});
