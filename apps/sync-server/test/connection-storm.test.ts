// Connection storms: many sockets opening at once must not cost a commit each, and a busy server must not
// refuse a client whose Hello arrived in time just because its timer fired before the frame was read.
import { describe, expect, it } from 'vitest';
import { HttpPaths, MessageType, SocketEvents, type SessionReply } from '@redstring/model';
import type { MemberRecord } from '../src/index';
import { createSession, userWithBoard } from './helpers/api';
import { faultyStorage } from './helpers/faulty-storage';
import { RawSocket } from './helpers/raw-socket';
import { connectSocket } from './helpers/socket-client';
import { startTestServer, tempDataDir } from './helpers/test-server';

/** Opens `count` board sockets at once and waits until each was welcomed. */
async function storm(wsUrl: string, boardId: string, boardToken: string, sessionToken: string, count: number): Promise<void> {
  const sockets = Array.from({ length: count }, () => new RawSocket(wsUrl, boardId));
  await Promise.all(
    sockets.map(async (socket) => {
      await socket.opened;
      socket.hello(boardToken, sessionToken);
      await socket.waitForType(MessageType.Welcome);
    }),
  );
  for (const socket of sockets) socket.ws.close();
}

async function waitForMember(read: () => Promise<MemberRecord | null>, holds: (m: MemberRecord) => boolean): Promise<MemberRecord> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const member = await read();
    if (member && holds(member)) return member;
    if (Date.now() > deadline) throw new Error(`board member row never matched: ${JSON.stringify(member)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function renameSession(baseUrl: string, sessionToken: string, name: string): Promise<SessionReply> {
  const res = await fetch(baseUrl + HttpPaths.session, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, color: '#123456', sessionToken }),
  });
  return (await res.json()) as SessionReply;
}

describe('connection storms', () => {
  it('writes board membership once per user and board, not once per connection', async () => {
    const dataDir = tempDataDir();
    const faults = await faultyStorage(dataDir);
    let clockOffset = 0;
    const server = await startTestServer({ dataDir }, { storage: faults.storage, clock: () => Date.now() + clockOffset });
    const memberWrites = () => faults.calls.get('touchMember') ?? 0;
    const { session: ana, board } = await userWithBoard(server.url, 'Ana');
    expect(memberWrites()).toBe(1); // creating the board makes Ana its editor

    // Ana reopens the board in 30 tabs at once and joins it over socket.io from 10 more: nothing to write.
    await storm(server.wsUrl, board.boardId, board.editorToken, ana.sessionToken, 30);
    const sockets = await Promise.all(Array.from({ length: 10 }, () => connectSocket(server.url, ana.sessionToken)));
    await Promise.all(sockets.map((s) => s.ok(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: board.editorToken })));
    expect(memberWrites()).toBe(1);

    // Bo: his first visit as a viewer is stored once; becoming an editor is stored at once; visiting
    // with the viewer link again changes nothing (access only grows).
    const bo = await createSession(server.url, 'Bo');
    await storm(server.wsUrl, board.boardId, board.viewerToken, bo.sessionToken, 10);
    expect(memberWrites()).toBe(2);
    // The board socket does not wait for this write (the socket.io join below does).
    await waitForMember(() => server.storage.getMember(bo.user.userId, board.boardId), (m) => m.access === 'viewer');
    const boSocket = await connectSocket(server.url, bo.sessionToken);
    await boSocket.ok(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: board.editorToken });
    expect(memberWrites()).toBe(3);
    expect((await server.storage.getMember(bo.user.userId, board.boardId))?.access).toBe('editor');
    await storm(server.wsUrl, board.boardId, board.viewerToken, bo.sessionToken, 5);
    expect(memberWrites()).toBe(3);

    // A new display name is stored on the next visit; so is the visit time, once the interval has passed.
    const renamed = await renameSession(server.url, ana.sessionToken, 'Ana B.');
    await storm(server.wsUrl, board.boardId, board.editorToken, renamed.sessionToken, 5);
    expect(memberWrites()).toBe(4);
    const renamedRow = await waitForMember(() => server.storage.getMember(ana.user.userId, board.boardId), (m) => m.userName === 'Ana B.');
    clockOffset = 61_000;
    await storm(server.wsUrl, board.boardId, board.editorToken, renamed.sessionToken, 5);
    expect(memberWrites()).toBe(5);
    await waitForMember(
      () => server.storage.getMember(ana.user.userId, board.boardId),
      (m) => m.lastSeenAt >= renamedRow.lastSeenAt + 60_000,
    );
  });

  it('honours a Hello that arrived before the auth timeout even when the server was too busy to read it', async () => {
    const server = await startTestServer({ limits: { authTimeoutMs: 200 } });
    const { session, board } = await userWithBoard(server.url);
    const socket = new RawSocket(server.wsUrl, board.boardId);
    await socket.opened;
    socket.hello(board.editorToken, session.sessionToken);
    // The Hello is on the wire; now the process (server included) is blocked past the timeout. When it
    // resumes, the expired timer runs before the frame is read.
    const blockedUntil = Date.now() + 400;
    while (Date.now() < blockedUntil) {
      // busy: an overloaded event loop
    }
    await socket.waitForType(MessageType.Welcome);
    expect(socket.close).toBeNull();
    expect(socket.types()[0]).toBe(MessageType.Welcome);
    socket.ws.close();

    // A socket that sends nothing is still refused once the timeout has passed.
    const silent = new RawSocket(server.wsUrl, board.boardId);
    await silent.opened;
    expect((await silent.waitForClose()).code).toBe(4401);
  });
});
