// Row 6: the authorization matrix. Every way in without the right credentials — no token, forged,
// tampered, expired, another board's token, a wrong Origin, odd board ids — is rejected before any board
// data is sent, and leaves the database exactly as it was. A viewer gets the board, but its edits are
// never applied, broadcast or stored.
//
// Rerun: pnpm exec vitest run --project test faults/authorization
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import {
  BoardTokenHeader,
  CloseCode,
  HttpPaths,
  SessionTokenHeader,
  SocketEvents,
  type AuthRequest,
  type Reply,
} from '@redstring/model';
import { RandomEditor } from './lib/board-ops';
import { BoardClient } from './lib/board-client';
import { ContainmentChecker } from './lib/doc-compare';
import { boardFixture, createSession, type BoardFixture } from './lib/http-api';
import { Prng, sleep } from './lib/prng';
import { RawBoardSocket, fetchBoardCopy, type SocketEnd } from './lib/raw-socket';
import { ServerProcess, tempDir } from './lib/server-process';
import { signSession, tamperedSession, testSessionSecret } from './lib/session-forge';
import { onlyDatabase, rowCounts, storedBytes } from './lib/sqlite-files';
import { syncStep1Frame, updateFrame } from './lib/wire';
import { waitUntil } from './lib/wait';

const authTimeoutMs = 600;
const allowedOrigin = 'https://redstring.example';

interface SocketCase {
  name: string;
  /** Board id in the URL (encoded by the client), or a raw path sent as is. */
  boardId?: string;
  rawPath?: string;
  origin?: string;
  /** Hello to send; null sends none; a Uint8Array is sent verbatim. */
  hello: AuthRequest | null | (() => AuthRequest | null);
  /** Acceptable outcomes. */
  expected: { closeCodes?: number[]; httpStatuses?: number[] };
}

function describeEnd(end: SocketEnd | null): string {
  return JSON.stringify(end);
}

describe('row 6: authorization matrix', () => {
  const data = tempDir('authz');
  let server: ServerProcess;
  let a: BoardFixture;
  let b: BoardFixture;
  let bo: { sessionToken: string; userId: string };
  let dbPath: string;
  const figures = { socketCases: 0, httpCases: 0, socketIoCases: 0, boardDataLeaks: 0, rowsWritten: 0, outcomes: {} as Record<string, string> };

  beforeAll(async () => {
    server = await ServerProcess.start({
      dataDir: data.path,
      env: {
        REDSTRING_SESSION_SECRET: testSessionSecret,
        REDSTRING_AUTH_TIMEOUT_MS: String(authTimeoutMs),
        REDSTRING_ALLOWED_ORIGINS: allowedOrigin,
      },
    });
    a = await boardFixture(server.url, 'Board A: checkout latency', 'Ana');
    b = await boardFixture(server.url, 'Board B: DNS flaps', 'Ana');
    const session = await createSession(server.url, 'Bo');
    bo = { sessionToken: session.sessionToken, userId: session.user.userId };
    // Give board A some content, so a leak would have something to leak.
    const client = new BoardClient({ baseWsUrl: server.wsUrl, boardId: a.board.boardId, auth: editorA() });
    const editor = new RandomEditor(client.doc, a.userId, new Prng(6));
    for (let i = 0; i < 30; i++) editor.step();
    await waitUntil(() => client.connected && client.allSaved, 10000, 'board A seeded');
    client.destroy();
    dbPath = onlyDatabase(data.path);
  }, 30000);

  afterAll(async () => {
    await server?.kill9();
    data.remove();
    console.log(`[faults] row 6 authorization: ${JSON.stringify(figures)}`);
  });

  /** Row counts of the document tables and the bytes they hold. */
  const documentRows = () => {
    const counts = rowCounts(dbPath);
    return { snapshots: counts.board_snapshots, updates: counts.board_updates, bytes: storedBytes(dbPath) };
  };
  const editorA = (): AuthRequest => ({ boardToken: a.board.editorToken, sessionToken: a.sessionToken });
  const expired = () =>
    signSession(testSessionSecret, { u: bo.userId, n: 'Bo', c: '#2e86de', iat: Date.now() - 91 * 24 * 3600 * 1000 });

  const unauthorized = { closeCodes: [CloseCode.Unauthorized] };
  const forbidden = { closeCodes: [CloseCode.Forbidden], httpStatuses: [403] };
  // An id that is not a board may be refused as not found, as forbidden for this token, or at the upgrade.
  const notThisBoard = { closeCodes: [CloseCode.NotFound, CloseCode.Forbidden, CloseCode.ProtocolError], httpStatuses: [400, 403, 404] };

  const cases: SocketCase[] = [
    { name: 'silence: no Hello at all (auth timeout)', boardId: 'A', hello: null, expected: unauthorized },
    { name: 'sync frames without a Hello', boardId: 'A', hello: () => null, expected: unauthorized },
    { name: 'empty tokens', boardId: 'A', hello: { boardToken: '', sessionToken: '' }, expected: unauthorized },
    { name: 'board token but no session token', boardId: 'A', hello: () => ({ boardToken: a.board.editorToken, sessionToken: '' }), expected: unauthorized },
    { name: 'session token but no board token', boardId: 'A', hello: () => ({ boardToken: '', sessionToken: a.sessionToken }), expected: unauthorized },
    { name: 'forged session token', boardId: 'A', hello: () => ({ boardToken: a.board.editorToken, sessionToken: 'v1.eyJ1IjoieCJ9.AAAA' }), expected: unauthorized },
    {
      name: 'session token signed with another secret',
      boardId: 'A',
      hello: () => ({
        boardToken: a.board.editorToken,
        sessionToken: signSession('another-secret-another-secret-another-secret', { u: bo.userId, n: 'Bo', c: '#2e86de', iat: Date.now() }),
      }),
      expected: unauthorized,
    },
    { name: 'tampered session token (user id swapped)', boardId: 'A', hello: () => ({ boardToken: a.board.editorToken, sessionToken: tamperedSession(bo.sessionToken, a.userId) }), expected: unauthorized },
    { name: 'expired session token', boardId: 'A', hello: () => ({ boardToken: a.board.editorToken, sessionToken: expired() }), expected: unauthorized },
    { name: 'unknown board token', boardId: 'A', hello: () => ({ boardToken: 'x'.repeat(43), sessionToken: bo.sessionToken }), expected: { closeCodes: [CloseCode.Unauthorized, CloseCode.Forbidden] } },
    { name: "board B's editor token on board A", boardId: 'A', hello: () => ({ boardToken: b.board.editorToken, sessionToken: bo.sessionToken }), expected: forbidden },
    { name: "board B's viewer token on board A", boardId: 'A', hello: () => ({ boardToken: b.board.viewerToken, sessionToken: bo.sessionToken }), expected: forbidden },
    { name: "board A's editor token on board B", boardId: 'B', hello: editorA, expected: forbidden },
    { name: 'wrong Origin', boardId: 'A', origin: 'https://evil.example', hello: editorA, expected: forbidden },
    { name: 'Origin "null"', boardId: 'A', origin: 'null', hello: editorA, expected: forbidden },
    { name: 'look-alike Origin', boardId: 'A', origin: 'https://redstring.example.evil.example', hello: editorA, expected: forbidden },
    { name: 'board id: path traversal (encoded)', boardId: '../../etc/passwd', hello: editorA, expected: notThisBoard },
    { name: 'board id: path traversal (raw %2e%2e)', rawPath: '/ws/board/%2e%2e%2f%2e%2e%2fsession-secret', hello: editorA, expected: notThisBoard },
    { name: 'board id: very long', boardId: 'a'.repeat(8000), hello: editorA, expected: notThisBoard },
    { name: 'board id: unicode', boardId: 'доска-🔥-板', hello: editorA, expected: notThisBoard },
    { name: 'board id: NUL and control characters', boardId: 'a\u0000b\u0007c', hello: editorA, expected: notThisBoard },
    { name: 'board id: SQL', boardId: "x' OR '1'='1", hello: editorA, expected: notThisBoard },
    { name: 'board id: empty', rawPath: '/ws/board/', hello: editorA, expected: notThisBoard },
    { name: 'board id: prefix of a real id', boardId: 'PREFIX', hello: editorA, expected: notThisBoard },
  ];

  for (const testCase of cases) {
    it(`rejects ${testCase.name} before any board data, storing nothing`, async () => {
      const before = rowCounts(dbPath);
      const boardId =
        testCase.boardId === 'A' ? a.board.boardId : testCase.boardId === 'B' ? b.board.boardId : testCase.boardId === 'PREFIX' ? a.board.boardId.slice(0, -1) : testCase.boardId ?? '';
      const socket = new RawBoardSocket(server.wsUrl, boardId, {
        ...(testCase.rawPath === undefined ? {} : { rawPath: testCase.rawPath }),
        ...(testCase.origin === undefined ? {} : { origin: testCase.origin }),
      });
      const hello = typeof testCase.hello === 'function' ? testCase.hello() : testCase.hello;
      if ((await socket.opened) && testCase.hello !== null) {
        if (hello) socket.sendHello(hello);
        // A client that goes on as if it were let in: sync step 1 and an edit.
        socket.send(syncStep1Frame(new Y.Doc()));
        const intruder = new Y.Doc();
        intruder.getMap('meta').set('title', 'pwned');
        socket.send(updateFrame(Y.encodeStateAsUpdate(intruder)));
      }
      const end = await socket.waitEnd(authTimeoutMs + 5000);
      figures.socketCases++;
      figures.outcomes[testCase.name] = end === null ? 'open' : end.kind === 'http' ? `HTTP ${end.status}` : end.kind === 'closed' ? `close ${end.code}` : end.message;
      const leaked = socket.frames.filter((f) => f.kind !== 'error');
      figures.boardDataLeaks += leaked.length;
      expect(leaked.map((f) => f.kind), `${testCase.name}: frames before rejection (${describeEnd(end)})`).toEqual([]);
      expect(end, `${testCase.name}: the connection must be refused`).not.toBeNull();
      if (end!.kind === 'http') expect(testCase.expected.httpStatuses ?? [], `${testCase.name}: HTTP status ${end!.status}`).toContain(end!.status);
      else if (end!.kind === 'closed') expect(testCase.expected.closeCodes ?? [], `${testCase.name}: close ${describeEnd(end)}`).toContain(end!.code);
      else throw new Error(`${testCase.name}: connection failed without a close code: ${describeEnd(end)}`);
      const after = rowCounts(dbPath);
      if (JSON.stringify(after) !== JSON.stringify(before)) figures.rowsWritten++;
      expect(after, `${testCase.name}: rows changed`).toEqual(before);
    }, 15000);
  }

  it("a viewer receives the board, but its edits are not applied, broadcast or stored", async () => {
    const watcher = new BoardClient({ baseWsUrl: server.wsUrl, boardId: a.board.boardId, auth: editorA() });
    await waitUntil(() => watcher.connected && watcher.allSaved, 10000, 'editor connected');
    const viewer = new RawBoardSocket(server.wsUrl, a.board.boardId);
    expect(await viewer.opened).toBe(true);
    viewer.sendHello({ boardToken: a.board.viewerToken, sessionToken: bo.sessionToken });
    viewer.send(syncStep1Frame(new Y.Doc()));
    expect(await viewer.waitFor(() => viewer.frames.some((f) => f.kind === 'sync-step2'), 10000), 'viewer gets the board').toBe(true);
    const welcome = viewer.frames.find((f) => f.kind === 'welcome');
    expect(welcome && welcome.kind === 'welcome' ? (welcome.reply as { access?: string }).access : undefined).toBe('viewer');
    // Opening the board records the viewer as a member; from here on the board's document must not change.
    await sleep(200);
    const before = documentRows();

    const edit = new Y.Doc();
    edit.getMap('meta').set('title', 'changed by a viewer');
    edit.getMap('cards').set('viewer-card', 'not allowed');
    const update = Y.encodeStateAsUpdate(edit);
    for (let i = 0; i < 20; i++) viewer.send(updateFrame(update));
    // The viewer stays connected or is closed; either way nothing of its edit may land anywhere.
    await viewer.waitEnd(1500);
    expect(new ContainmentChecker(watcher.doc).contains(update), 'broadcast to an editor').toBe(false);
    expect(watcher.doc.getMap('meta').get('title')).not.toBe('changed by a viewer');
    viewer.terminate();
    watcher.destroy();
    expect(documentRows(), 'document rows or bytes written for a viewer edit').toEqual(before);

    await server.kill9();
    server = await server.restart();
    const reloaded = await fetchBoardCopy(server.wsUrl, a.board.boardId, editorA());
    expect(new ContainmentChecker(reloaded).contains(update), 'stored').toBe(false);
    expect(reloaded.getMap('cards').get('viewer-card')).toBeUndefined();
  }, 30000);

  it('the HTTP API refuses the same credentials and leaks no board data', async () => {
    const get = async (path: string, headers: Record<string, string>) => {
      const response = await fetch(server.url + path, { headers });
      return { status: response.status, body: await response.text() };
    };
    const boardPath = HttpPaths.board(a.board.boardId);
    const exportPath = `${HttpPaths.boardExport(a.board.boardId)}?format=json`;
    const httpCases: { name: string; path: string; headers: Record<string, string>; statuses: number[] }[] = [
      { name: 'board without token', path: boardPath, headers: {}, statuses: [401, 403] },
      { name: 'board with forged token', path: boardPath, headers: { [BoardTokenHeader]: 'x'.repeat(43) }, statuses: [401, 403] },
      { name: "board with board B's token", path: boardPath, headers: { [BoardTokenHeader]: b.board.editorToken }, statuses: [403] },
      { name: 'export without token', path: exportPath, headers: {}, statuses: [401, 403] },
      { name: "export with board B's viewer token", path: exportPath, headers: { [BoardTokenHeader]: b.board.viewerToken }, statuses: [403] },
      { name: 'board id with traversal', path: '/api/boards/..%2F..%2Fsession-secret', headers: { [BoardTokenHeader]: a.board.editorToken }, statuses: [400, 403, 404] },
      { name: 'board list with expired session', path: HttpPaths.boards, headers: { [SessionTokenHeader]: expired() }, statuses: [401] },
      { name: 'board list with tampered session', path: HttpPaths.boards, headers: { [SessionTokenHeader]: tamperedSession(bo.sessionToken, a.userId) }, statuses: [401] },
    ];
    const before = rowCounts(dbPath);
    for (const c of httpCases) {
      const { status, body } = await get(c.path, c.headers);
      figures.httpCases++;
      expect(c.statuses, `${c.name}: status ${status} ${body.slice(0, 200)}`).toContain(status);
      expect(body, `${c.name}: leaks the board title`).not.toContain('checkout latency');
    }
    const create = await fetch(server.url + HttpPaths.boards, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SessionTokenHeader]: expired() },
      body: JSON.stringify({ title: 'should not exist' }),
    });
    figures.httpCases++;
    expect(create.status, 'create a board with an expired session').toBe(401);
    expect(rowCounts(dbPath)).toEqual(before);
  }, 15000);

  it('socket.io refuses forged and expired sessions, and joining a board with its sibling’s token', async () => {
    const connectWith = (sessionToken: string | undefined) =>
      new Promise<{ connected: boolean; socket: Socket }>((resolve) => {
        const socket = io(server.url, {
          path: HttpPaths.socketIo,
          transports: ['websocket'],
          reconnection: false,
          auth: sessionToken === undefined ? {} : { sessionToken },
        });
        socket.on('connect', () => resolve({ connected: true, socket }));
        socket.on('connect_error', () => resolve({ connected: false, socket }));
      });
    for (const [name, token] of [
      ['no session', undefined],
      ['forged session', 'v1.eyJ1IjoieCJ9.AAAA'],
      ['expired session', expired()],
      ['tampered session', tamperedSession(bo.sessionToken, a.userId)],
    ] as const) {
      const { connected, socket } = await connectWith(token);
      socket.close();
      figures.socketIoCases++;
      expect(connected, `socket.io with ${name}`).toBe(false);
    }
    const { connected, socket } = await connectWith(bo.sessionToken);
    expect(connected).toBe(true);
    const reply = (await socket.timeout(5000).emitWithAck(SocketEvents.joinBoard, { boardId: a.board.boardId, boardToken: b.board.editorToken })) as Reply<unknown>;
    figures.socketIoCases++;
    expect(reply.ok, 'joining board A with board B’s token').toBe(false);
    socket.close();
  }, 15000);
});
