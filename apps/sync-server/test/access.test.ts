// Access to board sockets: every wrong credential is rejected before any board data is sent.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, MessageType, SessionTokenHeader, HttpPaths } from '@redstring/model';
import { createBoard, createSession, userWithBoard } from './helpers/api';
import { connectBoard, waitFor } from './helpers/board-client';
import { RawSocket, syncStep1Frame } from './helpers/raw-socket';
import { startTestServer } from './helpers/test-server';

const BOARD_DATA_TYPES: number[] = [MessageType.Sync, MessageType.Awareness, MessageType.Welcome];

async function rejectedHandshake(
  wsUrl: string,
  boardId: string,
  credentials: { boardToken: string; sessionToken: string },
  origin?: string,
) {
  const socket = new RawSocket(wsUrl, boardId, origin ? { origin } : {});
  await socket.opened.catch(() => {});
  socket.hello(credentials.boardToken, credentials.sessionToken);
  // What a real client sends right after Hello: if anything leaked, the server would answer these.
  socket.send(syncStep1Frame(new Y.Doc()));
  const close = await socket.waitForClose();
  return { close, types: socket.types(), errors: socket.errors() };
}

describe('board socket access', () => {
  it('serves an editor: Welcome first, then sync step 1', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url);
    const socket = new RawSocket(server.wsUrl, board.boardId);
    await socket.opened;
    socket.hello(board.editorToken, session.sessionToken);
    await socket.waitForType(MessageType.Sync);
    expect(socket.types().slice(0, 2)).toEqual([MessageType.Welcome, MessageType.Sync]);
    expect(server.hub.connectedUsers(board.boardId)).toEqual([{ userId: session.user.userId, name: 'Ana', access: 'editor' }]);
    socket.ws.close();
  });

  it('rejects a wrong token, another board’s token, a bad session and a wrong Origin before any board data', async () => {
    const server = await startTestServer({ allowedOrigins: ['https://redstring.example'] });
    const { session, board } = await userWithBoard(server.url);
    const other = await createBoard(server.url, session.sessionToken, 'Another board');

    const wrongToken = await rejectedHandshake(server.wsUrl, board.boardId, {
      boardToken: 'x'.repeat(43),
      sessionToken: session.sessionToken,
    });
    expect(wrongToken.close.code).toBe(CloseCode.Unauthorized);
    expect(wrongToken.errors[0]?.code).toBe(CloseCode.Unauthorized);

    const otherBoardsToken = await rejectedHandshake(server.wsUrl, board.boardId, {
      boardToken: other.editorToken,
      sessionToken: session.sessionToken,
    });
    expect(otherBoardsToken.close.code).toBe(CloseCode.Forbidden);

    const forged = session.sessionToken.slice(0, -4) + (session.sessionToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const badSession = await rejectedHandshake(server.wsUrl, board.boardId, { boardToken: board.editorToken, sessionToken: forged });
    expect(badSession.close.code).toBe(CloseCode.Unauthorized);

    const wrongOrigin = await rejectedHandshake(
      server.wsUrl,
      board.boardId,
      { boardToken: board.editorToken, sessionToken: session.sessionToken },
      'https://evil.example',
    );
    expect(wrongOrigin.close.code).toBe(CloseCode.Forbidden);
    expect(wrongOrigin.errors[0]?.message).toMatch(/origin/);

    for (const attempt of [wrongToken, otherBoardsToken, badSession, wrongOrigin]) {
      expect(attempt.types.filter((t) => BOARD_DATA_TYPES.includes(t))).toEqual([]);
    }

    // Allowed: the configured origin, and the server's own origin.
    for (const origin of ['https://redstring.example', server.url]) {
      const client = connectBoard({
        wsUrl: server.wsUrl,
        boardId: board.boardId,
        boardToken: board.editorToken,
        sessionToken: session.sessionToken,
        origin,
      });
      await client.synced();
      client.destroy();
    }
  });

  it('closes a socket whose first frame is not Hello, one that never says Hello, and unknown boards', async () => {
    const server = await startTestServer({ limits: { authTimeoutMs: 300 } });
    const { session, board } = await userWithBoard(server.url);

    const noHello = new RawSocket(server.wsUrl, board.boardId);
    await noHello.opened;
    noHello.send(syncStep1Frame(new Y.Doc()));
    expect((await noHello.waitForClose()).code).toBe(CloseCode.Unauthorized);
    expect(noHello.types()).toEqual([MessageType.Error]);

    const silent = new RawSocket(server.wsUrl, board.boardId);
    await silent.opened;
    const started = Date.now();
    expect((await silent.waitForClose()).code).toBe(CloseCode.Unauthorized);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);

    // A valid token for one board, used on a board id that does not exist.
    const unknown = new RawSocket(server.wsUrl, 'no-such-board');
    await unknown.opened;
    unknown.hello(board.editorToken, session.sessionToken);
    expect((await unknown.waitForClose()).code).toBe(CloseCode.NotFound);

    // Paths that are not board sockets are refused at the HTTP upgrade.
    const wrongPath = new RawSocket(server.wsUrl, board.boardId, { path: '/ws/elsewhere' });
    await expect(wrongPath.opened).rejects.toThrow(/404/);
  });

  it('never writes a token into its logs', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url);
    const client = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    const wrong = await rejectedHandshake(server.wsUrl, board.boardId, { boardToken: board.viewerToken + 'x', sessionToken: session.sessionToken });
    expect(wrong.close.code).toBe(CloseCode.Unauthorized);
    client.destroy();
    await waitFor(() => server.hub.loadedBoardCount === 0, 5000, 'unload');
    const text = JSON.stringify(server.logs);
    expect(server.logs.length).toBeGreaterThan(5);
    for (const secret of [board.editorToken, board.viewerToken, session.sessionToken]) expect(text).not.toContain(secret);
  });

  it('signs sessions: renewal keeps the user id, forged tokens are refused by the API', async () => {
    const server = await startTestServer();
    const first = await createSession(server.url, 'Ana');
    const renewed = await fetch(server.url + HttpPaths.session, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ana B.', color: '#123456', sessionToken: first.sessionToken }),
    }).then((r) => r.json() as Promise<{ user: { userId: string; name: string } }>);
    expect(renewed.user).toMatchObject({ userId: first.user.userId, name: 'Ana B.' });

    const [version, body, signature] = first.sessionToken.split('.');
    const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${version}.${Buffer.from(JSON.stringify({ ...payload, u: 'someone-else' })).toString('base64url')}.${signature}`;
    const res = await fetch(server.url + HttpPaths.boards, { headers: { [SessionTokenHeader]: tampered } });
    expect(res.status).toBe(401);
  });
});
