// Hostile input closes only the connection it came on: the server and everyone else carry on, and
// nothing invalid reaches storage.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, CloseCode, HttpPaths, MessageType } from '@redstring/model';
import { DATABASE_FILE } from '../src/index';
import { createSession, userWithBoard } from './helpers/api';
import { connectBoard, waitFor } from './helpers/board-client';
import { FORGED_PENDING_UPDATE, UPDATE_THAT_THROWS } from './fixtures/apply-throws';
import { hostileFrames } from './helpers/hostile-frames';
import { RawSocket, syncUpdateFrame } from './helpers/raw-socket';
import { startChildServer } from './helpers/child-server';
import { startTestServer, tempDataDir } from './helpers/test-server';

const FRAMES = 10_000;

describe('hostile input', () => {
  it('10,000 random and hostile frames from one connection: server up, honest client unaffected, nothing invalid stored', async () => {
    // The rate limit has its own test; here every frame should reach the parser.
    const server = await startTestServer({ limits: { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 } });
    const { session, board } = await userWithBoard(server.url);
    const honest = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await honest.synced();
    const honestDoc = new BoardDoc(honest.doc, { actor: { userId: session.user.userId, name: 'Ana' } });
    let editing = true;
    let edits = 0;
    const editLoop = (async () => {
      while (editing) {
        honestDoc.createCard({ kind: 'evidence', title: `honest ${edits++}` });
        // A person typing quickly; every edit is a durable commit.
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const attacker = await createSession(server.url, 'Mallory');
    const open = async () => {
      const socket = new RawSocket(server.wsUrl, board.boardId);
      await socket.opened;
      socket.hello(board.editorToken, attacker.sessionToken);
      await socket.waitForType(MessageType.Sync);
      return socket;
    };
    const next = hostileFrames(20240611);
    const closeCodes = new Map<number, number>();
    let socket = await open();
    for (let i = 0; i < FRAMES; i++) {
      const { data } = next();
      const before = socket.frames.length;
      socket.ws.send(data);
      // A probe the server always answers: either it answers, or the hostile frame closed us.
      socket.ws.send(new Uint8Array([MessageType.QueryAwareness]));
      await socket.answerOrClose(before);
      if (socket.close !== null || !socket.isOpen) {
        const close = await socket.waitForClose();
        closeCodes.set(close.code, (closeCodes.get(close.code) ?? 0) + 1);
        socket = await open();
      }
    }
    socket.ws.close();
    editing = false;
    await editLoop;
    await honest.allSaved();

    // Hostile frames were closed as protocol errors; the honest client was never disconnected.
    expect(closeCodes.get(CloseCode.ProtocolError) ?? 0).toBeGreaterThan(FRAMES / 4);
    expect([...closeCodes.keys()].every((code) => code === CloseCode.ProtocolError)).toBe(true);
    expect(honest.events.closes).toEqual([]);
    expect((await fetch(server.url + HttpPaths.health)).status).toBe(200);

    // Every stored row decodes, and the stored board is exactly what the honest client sees.
    const db = new Database(join(server.dataDir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare('SELECT bytes FROM board_updates WHERE board_id = ? ORDER BY seq').all(board.boardId) as { bytes: Buffer }[];
    const snap = db.prepare('SELECT bytes FROM board_snapshots WHERE board_id = ?').get(board.boardId) as { bytes: Buffer };
    db.close();
    const stored = new Y.Doc();
    for (const bytes of [snap.bytes, ...rows.map((r) => r.bytes)]) {
      expect(() => Y.decodeUpdate(bytes)).not.toThrow();
      Y.applyUpdate(stored, bytes);
    }
    const read = (doc: Y.Doc) => new BoardDoc(doc, { actor: { userId: 'reader', name: 'Reader' } }).read();
    const honestCards = read(honest.doc).board.cards.filter((c) => c.title.startsWith('honest '));
    expect(honestCards).toHaveLength(edits);
    expect(read(stored).board.cards.filter((c) => c.title.startsWith('honest '))).toEqual(honestCards);
    honest.destroy();
  }, 150_000);

  it('rebuilds the board when an update decodes but throws half-way through applying; honest clients stay', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url);
    const honest = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await honest.synced();
    const honestDoc = new BoardDoc(honest.doc, { actor: { userId: session.user.userId, name: 'Ana' } });
    honestDoc.createCard({ kind: 'hypothesis', title: 'before the attack' });
    await honest.allSaved();

    const attacker = await createSession(server.url, 'Mallory');
    const socket = new RawSocket(server.wsUrl, board.boardId);
    await socket.opened;
    socket.hello(board.editorToken, attacker.sessionToken);
    socket.send(syncUpdateFrame(Buffer.from(FORGED_PENDING_UPDATE, 'hex')));
    socket.send(syncUpdateFrame(Buffer.from(UPDATE_THAT_THROWS, 'hex')));
    // Sent while the board is being rebuilt: deferred, then applied and confirmed.
    honestDoc.createCard({ kind: 'evidence', title: 'during the rebuild' });
    expect((await socket.waitForClose()).code).toBe(CloseCode.ProtocolError);
    await honest.allSaved();
    expect(server.metrics.rebuilds).toBe(1);
    expect(honest.events.closes).toEqual([]);

    // The board still syncs both ways, and a fresh client sees what the honest client sees.
    const other = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await other.synced();
    new BoardDoc(other.doc, { actor: { userId: session.user.userId, name: 'Ana' } }).createCard({ kind: 'note', title: 'after' });
    const titles = (doc: Y.Doc) =>
      new BoardDoc(doc, { actor: { userId: 'reader', name: 'Reader' } }).read().board.cards.map((c) => c.title).sort();
    await waitFor(() => titles(honest.doc).length === 3, 5000, 'the new card reaches the honest client');
    expect(titles(other.doc)).toEqual(titles(honest.doc));
    expect(titles(honest.doc)).toEqual(['after', 'before the attack', 'during the rebuild']);
    honest.destroy();
    other.destroy();
  });

  it('closes a frame over the size limit with TooLarge and a flood with RateLimited', async () => {
    const server = await startTestServer({ limits: { maxPayloadBytes: 64 * 1024, messagesPerSecond: 50, messageBurst: 100 } });
    const { session, board } = await userWithBoard(server.url);
    const open = async () => {
      const socket = new RawSocket(server.wsUrl, board.boardId);
      await socket.opened;
      socket.hello(board.editorToken, session.sessionToken);
      await socket.waitForType(MessageType.Sync);
      return socket;
    };
    const big = await open();
    big.send(new Uint8Array(64 * 1024 + 1));
    expect((await big.waitForClose()).code).toBe(CloseCode.TooLarge);
    expect(big.errors()[0]?.code).toBe(CloseCode.TooLarge);

    const flood = await open();
    for (let i = 0; i < 500; i++) flood.send(new Uint8Array([MessageType.QueryAwareness]));
    expect((await flood.waitForClose()).code).toBe(CloseCode.RateLimited);
    expect((await fetch(server.url + HttpPaths.health)).status).toBe(200);
  });
  it('does not take the burst after a 3 s server stall for a flood: a client at its normal pace stays and is saved', async () => {
    // Production-like limits scaled down: 50 messages/s, burst 100. The client sends 40 edits/s; while
    // the server process is stopped, 120 of them queue in TCP and arrive at once when it resumes.
    const server = await startChildServer({
      REDSTRING_DATA_DIR: tempDataDir(),
      REDSTRING_MESSAGES_PER_SECOND: '50',
      REDSTRING_MESSAGE_BURST: '100',
    });
    const { session, board } = await userWithBoard(server.url);
    const socket = new RawSocket(server.wsUrl, board.boardId);
    await socket.opened;
    socket.hello(board.editorToken, session.sessionToken);
    await socket.waitForType(MessageType.Sync);
    const doc = new Y.Doc();
    let sent = 0;
    doc.on('update', (update: Uint8Array) => {
      socket.send(syncUpdateFrame(update));
      sent++;
    });
    const sendFor = async (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end) {
        doc.getMap('pace').set('n', sent);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await sendFor(1000);
    server.process.kill('SIGSTOP');
    try {
      await sendFor(3000);
    } finally {
      server.process.kill('SIGCONT');
    }
    await sendFor(1000);
    await socket.until(() => (socket.savedSeq() >= sent ? true : undefined), 10_000, `Saved(${sent})`);
    expect(socket.close).toBeNull();
    expect(socket.errors()).toEqual([]);
    socket.ws.close();
  });
});
