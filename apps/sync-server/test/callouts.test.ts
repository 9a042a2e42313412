// Callouts and roles over socket.io: the server decides with the model's state machine and its own clock,
// commits, then delivers to every socket of the addressee. Escalation survives restarts, exactly once.
import { describe, expect, it } from 'vitest';
import { SocketEvents, type BoardCalloutState, type Callout, type CreateCalloutRequest, type RoleAssignment } from '@redstring/model';
import { createBoard, createSession, exportBoard, userWithBoard } from './helpers/api';
import { waitFor } from './helpers/board-client';
import { startChildServer } from './helpers/child-server';
import { connectSocket } from './helpers/socket-client';
import { startTestServer, tempDataDir } from './helpers/test-server';

function calloutTo(boardId: string, to: CreateCalloutRequest['to'], ackWithinSeconds = 120): CreateCalloutRequest {
  return {
    boardId,
    to,
    issue: 'Cache hit rate dropped from 97% to 40% at 08:54',
    noticedHow: 'cache dashboard',
    intent: 'roll back deploy 8812',
    urgency: 'high',
    ackWithinSeconds,
  };
}

/** Ana (creator, editor), Bo with two tabs, and Chen, all joined to one board over socket.io. */
async function crew(baseUrl: string) {
  const { session: ana, board } = await userWithBoard(baseUrl, 'Ana');
  const bo = await createSession(baseUrl, 'Bo');
  const chen = await createSession(baseUrl, 'Chen');
  const anaSocket = await connectSocket(baseUrl, ana.sessionToken);
  const boTab1 = await connectSocket(baseUrl, bo.sessionToken);
  const boTab2 = await connectSocket(baseUrl, bo.sessionToken);
  const chenSocket = await connectSocket(baseUrl, chen.sessionToken);
  for (const s of [anaSocket, boTab1, chenSocket]) {
    await s.ok<BoardCalloutState>(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: board.editorToken });
  }
  return { board, ana, bo, chen, anaSocket, boTab1, boTab2, chenSocket };
}

describe('callouts', () => {
  it('reaches every tab of the addressee; only the addressee can acknowledge; the sender sees it', async () => {
    const server = await startTestServer();
    const { board, bo, anaSocket, boTab1, boTab2, chenSocket } = await crew(server.url);

    const sent = await anaSocket.ok<Callout>(
      SocketEvents.createCallout,
      calloutTo(board.boardId, { kind: 'user', userId: bo.user.userId, name: 'Bo' }),
    );
    expect(sent).toMatchObject({ state: 'open', from: { name: 'Ana' } });
    // Committed before the reply: it is in storage already.
    expect((await server.storage.getCallout(sent.id))?.state).toBe('open');
    // Both of Bo's tabs, including the one that never joined the board.
    for (const tab of [boTab1, boTab2]) {
      const notice = await tab.waitForNotice((n) => n.callout.id === sent.id && n.reason === 'created');
      expect(notice.forYou).toBe(true);
    }
    expect((await chenSocket.waitForNotice((n) => n.callout.id === sent.id)).forYou).toBe(false);

    const notMine = await chenSocket.request<Callout>(SocketEvents.acknowledgeCallout, { calloutId: sent.id });
    expect(notMine).toMatchObject({ ok: false, error: { code: 'not-addressee' } });
    const alsoNotMine = await anaSocket.request<Callout>(SocketEvents.acknowledgeCallout, { calloutId: sent.id });
    expect(alsoNotMine).toMatchObject({ ok: false, error: { code: 'not-addressee' } });

    const before = Date.now();
    const acked = await boTab2.ok<Callout>(SocketEvents.acknowledgeCallout, { calloutId: sent.id, readBack: 'roll back 8812' });
    expect(acked).toMatchObject({ state: 'acknowledged', readBack: 'roll back 8812', acknowledgedBy: { name: 'Bo' } });
    // Stamped by the server's clock, not anything the client sent.
    expect(acked.acknowledgedAt).toBeGreaterThanOrEqual(before - 5);
    const seen = await anaSocket.waitForNotice((n) => n.callout.id === sent.id && n.reason === 'acknowledged');
    expect(seen.callout.readBack).toBe('roll back 8812');
    const twice = await boTab1.request<Callout>(SocketEvents.acknowledgeCallout, { calloutId: sent.id });
    expect(twice).toMatchObject({ ok: false, error: { code: 'illegal-transition' } });
  });

  it('delivers a role callout to the role’s current holder, and pending callouts on reconnect', async () => {
    const server = await startTestServer();
    const { board, chen, anaSocket, boTab1, chenSocket } = await crew(server.url);
    const assigned = await anaSocket.ok<RoleAssignment>(SocketEvents.assignRole, {
      boardId: board.boardId,
      role: 'commander',
      userId: chen.user.userId,
      userName: 'Chen',
    });
    expect(assigned).toMatchObject({ role: 'commander', userId: chen.user.userId, assignedBy: expect.any(String) });
    expect(typeof assigned.takenAt).toBe('number');
    await waitFor(() => boTab1.roleChanges.find((r) => r.id === assigned.id), 5000, 'role broadcast');

    const sent = await boTab1.ok<Callout>(SocketEvents.createCallout, calloutTo(board.boardId, { kind: 'role', role: 'commander' }));
    expect((await chenSocket.waitForNotice((n) => n.callout.id === sent.id)).forYou).toBe(true);

    // Chen reconnects (a new page): it asks for what is pending instead of relying on replays.
    chenSocket.socket.disconnect();
    const chenAgain = await connectSocket(server.url, chen.sessionToken);
    const pending = await chenAgain.ok<Callout[]>(SocketEvents.pendingCallouts, {});
    expect(pending.map((c) => c.id)).toEqual([sent.id]);
    expect(await anaSocket.request(SocketEvents.acknowledgeCallout, { calloutId: sent.id })).toMatchObject({
      ok: false,
      error: { code: 'not-addressee' },
    });
    await chenAgain.ok(SocketEvents.acknowledgeCallout, { calloutId: sent.id });
    expect(await chenAgain.ok<Callout[]>(SocketEvents.pendingCallouts, {})).toEqual([]);

    // Handing command over ends Chen's record with a time; both records stay in the log.
    await anaSocket.ok(SocketEvents.assignRole, { boardId: board.boardId, role: 'commander', userId: 'u-dana', userName: 'Dana' });
    const roles = await server.storage.listRoleAssignments(board.boardId);
    expect(roles.map((r) => [r.userName, r.handedOverAt === undefined])).toEqual([
      ['Chen', false],
      ['Dana', true],
    ]);
  });

  it('tells the addressee at once and the other members in one digest per board window, in order', async () => {
    const server = await startTestServer({ calloutDigestMs: 600 });
    const { board, bo, anaSocket, boTab1, chenSocket } = await crew(server.url);
    const toBo = calloutTo(board.boardId, { kind: 'user', userId: bo.user.userId, name: 'Bo' });
    const sent: Callout[] = [];
    for (const issue of ['Checkout p99 at 4 s', 'Queue depth climbing', 'Disk 91% on db-2']) {
      sent.push(await anaSocket.ok<Callout>(SocketEvents.createCallout, { ...toBo, issue }));
    }
    const ids = sent.map((c) => c.id);

    await waitFor(() => boTab1.directNotices.length >= 3 || undefined, 5000, 'notices to the addressee');
    expect(boTab1.directNotices.map((n) => [n.callout.id, n.forYou])).toEqual(ids.map((id) => [id, true]));
    // Chen is on the board but not concerned: nothing yet, then all three in one digest, in order.
    expect(chenSocket.notices).toEqual([]);
    const digest = await waitFor(() => chenSocket.digests[0], 5000, 'the board digest');
    expect(digest.boardId).toBe(board.boardId);
    expect(digest.notices.map((n) => [n.reason, n.callout.id, n.forYou])).toEqual(ids.map((id) => ['created', id, false]));
    expect(chenSocket.directNotices).toEqual([]);

    // A later change comes in the next digest; the sender hears of the acknowledgement at once.
    await boTab1.ok(SocketEvents.acknowledgeCallout, { calloutId: ids[1] });
    await waitFor(() => anaSocket.directNotices.find((n) => n.reason === 'acknowledged'), 5000, 'the acknowledgement to the sender');
    const next = await waitFor(() => chenSocket.digests[1], 5000, 'the second digest');
    expect(next.notices.map((n) => [n.reason, n.callout.id])).toEqual([['acknowledged', ids[1]]]);
    expect(chenSocket.digests).toHaveLength(2);
  });

  it('refuses sockets without a valid session and requests from viewers or strangers', async () => {
    const server = await startTestServer();
    const { board } = await userWithBoard(server.url, 'Ana');
    await expect(connectSocket(server.url, 'v1.forged.token')).rejects.toThrow(/unauthorized/);
    const vic = await createSession(server.url, 'Vic');
    const vicSocket = await connectSocket(server.url, vic.sessionToken);
    expect(await vicSocket.request(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: 'wrong'.repeat(9) })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const create = calloutTo(board.boardId, { kind: 'user', userId: 'u-ana', name: 'Ana' });
    expect(await vicSocket.request(SocketEvents.createCallout, create)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await vicSocket.ok(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: board.viewerToken });
    expect(await vicSocket.request(SocketEvents.createCallout, create)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const clock = await vicSocket.ok<{ clientSentAt: number; serverTime: number }>(SocketEvents.clockSync, { clientSentAt: 42 });
    expect(clock.clientSentAt).toBe(42);
    expect(Math.abs(clock.serverTime - Date.now())).toBeLessThan(1000);
  });

  it('escalates when the deadline passes: the commander and the addressee are told, on time', async () => {
    const server = await startTestServer();
    const { board, bo, chen, anaSocket, boTab1, chenSocket } = await crew(server.url);
    await anaSocket.ok(SocketEvents.assignRole, { boardId: board.boardId, role: 'commander', userId: chen.user.userId, userName: 'Chen' });
    const sent = await anaSocket.ok<Callout>(
      SocketEvents.createCallout,
      calloutTo(board.boardId, { kind: 'user', userId: bo.user.userId, name: 'Bo' }, 1),
    );
    const escalatedToBo = await boTab1.waitForNotice((n) => n.callout.id === sent.id && n.reason === 'escalated', 4000);
    const toCommander = await chenSocket.waitForNotice((n) => n.callout.id === sent.id && n.reason === 'escalated', 4000);
    const escalatedAt = escalatedToBo.callout.escalatedAt ?? 0;
    expect(escalatedToBo.forYou).toBe(true);
    expect(toCommander.callout.state).toBe('escalated');
    expect(escalatedAt).toBeGreaterThanOrEqual(sent.ackDeadline);
    expect(escalatedAt - sent.ackDeadline).toBeLessThan(500);
    // Escalated callouts can still be acknowledged by the addressee.
    await boTab1.ok(SocketEvents.acknowledgeCallout, { calloutId: sent.id });
  });

  it('escalates overdue callouts after a restart within a second, exactly once, even with two servers on one database', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    const { session: ana, board } = await userWithBoard(first.url, 'Ana');
    const bo = await createSession(first.url, 'Bo');
    const anaSocket = await connectSocket(first.url, ana.sessionToken);
    await anaSocket.ok(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: board.editorToken });
    const sent = await anaSocket.ok<Callout>(
      SocketEvents.createCallout,
      calloutTo(board.boardId, { kind: 'user', userId: bo.user.userId, name: 'Bo' }, 1),
    );
    await first.close();
    await new Promise((r) => setTimeout(r, 1300)); // the deadline passes while no server runs

    // Two servers start on the same SQLite file; each runs its overdue check at start.
    const restartedAt = Date.now();
    const [second, third] = await Promise.all([startTestServer({ dataDir }), startTestServer({ dataDir })]);
    await waitFor(() => second.metrics.escalations + third.metrics.escalations > 0, 1000, 'escalation within a second of the restart');
    expect(Date.now() - restartedAt).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 300));
    expect(second.metrics.escalations + third.metrics.escalations).toBe(1);
    const stored = await second.storage.getCallout(sent.id);
    expect(stored?.state).toBe('escalated');

    // A later restart finds nothing left to escalate.
    await Promise.all([second.close(), third.close()]);
    const fourth = await startTestServer({ dataDir });
    await new Promise((r) => setTimeout(r, 300));
    expect(fourth.metrics.escalations).toBe(0);
    expect((await fourth.storage.getCallout(sent.id))?.escalatedAt).toBe(stored?.escalatedAt);
  });

  it('puts the callout and its acknowledgement into the exported timeline', async () => {
    const server = await startTestServer();
    const { board, bo, anaSocket, boTab1 } = await crew(server.url);
    const sent = await anaSocket.ok<Callout>(
      SocketEvents.createCallout,
      calloutTo(board.boardId, { kind: 'user', userId: bo.user.userId, name: 'Bo' }),
    );
    await boTab1.ok(SocketEvents.acknowledgeCallout, { calloutId: sent.id, readBack: 'roll back 8812' });

    const res = await exportBoard(server.url, board.boardId, board.editorToken, 'markdown');
    expect(res.status).toBe(200);
    const markdown = await res.text();
    expect(markdown).toContain('Cache hit rate dropped from 97% to 40% at 08:54');
    expect(markdown).toMatch(/\| Ana \| Bo \| high \|.*\| acknowledged \|.*\| "roll back 8812" \|/);
  });
});

describe('retrying a callout whose reply was lost', () => {
  it('answers a repeated requestId with the stored callout, once, even when both attempts race', async () => {
    const server = await startTestServer();
    const { board, ana, bo, anaSocket, boTab1 } = await crew(server.url);
    const request = { ...calloutTo(board.boardId, { kind: 'user', userId: bo.user.userId, name: 'Bo' }), requestId: 'ana-tab1-000001' };
    const sent = await anaSocket.ok<Callout>(SocketEvents.createCallout, request);
    const retried = await anaSocket.ok<Callout>(SocketEvents.createCallout, request);
    expect(retried).toEqual(sent);

    // Two attempts in flight at once (a retry timer firing while the first is still being stored).
    const racing = { ...request, requestId: 'ana-tab1-000002' };
    const [a, b] = await Promise.all([
      anaSocket.ok<Callout>(SocketEvents.createCallout, racing),
      anaSocket.ok<Callout>(SocketEvents.createCallout, racing),
    ]);
    expect(a.id).toBe(b.id);
    expect((await server.storage.listCallouts(board.boardId)).map((c) => c.id)).toEqual([sent.id, a.id]);
    // Bo was told about each callout once (besides the board's digest every member gets).
    await boTab1.waitForNotice((n) => n.callout.id === a.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(boTab1.directNotices.filter((n) => n.reason === 'created').map((n) => n.callout.id)).toEqual([sent.id, a.id]);

    // Without a requestId every request is a new callout, as before.
    const plain = calloutTo(board.boardId, { kind: 'user', userId: bo.user.userId, name: 'Bo' });
    const first = await anaSocket.ok<Callout>(SocketEvents.createCallout, plain);
    const second = await anaSocket.ok<Callout>(SocketEvents.createCallout, plain);
    expect(first.id).not.toBe(second.id);

    expect(await anaSocket.request(SocketEvents.createCallout, { ...request, requestId: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await anaSocket.request(SocketEvents.createCallout, { ...request, requestId: 'has spaces in it' })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    // The key names one callout: reusing it for another board is a client bug, not a retry.
    const otherBoard = await createBoard(server.url, ana.sessionToken, 'Second incident');
    await anaSocket.ok(SocketEvents.joinBoard, { boardId: otherBoard.boardId, boardToken: otherBoard.editorToken });
    expect(await anaSocket.request(SocketEvents.createCallout, { ...request, boardId: otherBoard.boardId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await server.storage.listCallouts(otherBoard.boardId)).toEqual([]);
  });

  it('finds the first attempt after kill -9 and a restart: same callout, not a second one', async () => {
    const dataDir = tempDataDir();
    const first = await startChildServer({ REDSTRING_DATA_DIR: dataDir });
    const { session: ana, board } = await userWithBoard(first.url, 'Ana');
    const bo = await createSession(first.url, 'Bo');
    const anaSocket = await connectSocket(first.url, ana.sessionToken);
    await anaSocket.ok(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: board.editorToken });
    const request = { ...calloutTo(board.boardId, { kind: 'user', userId: bo.user.userId, name: 'Bo' }), requestId: 'retry-after-kill-9' };
    // The reply arrives here, but the client acts as if it had been lost with the server.
    const stored = await anaSocket.ok<Callout>(SocketEvents.createCallout, request);
    first.process.kill('SIGKILL');
    await first.exited;

    const second = await startChildServer({ REDSTRING_DATA_DIR: dataDir });
    const anaAgain = await connectSocket(second.url, ana.sessionToken);
    const state = await anaAgain.ok<BoardCalloutState>(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: board.editorToken });
    expect(state.callouts.map((c) => c.id)).toEqual([stored.id]);
    const retried = await anaAgain.ok<Callout>(SocketEvents.createCallout, request);
    expect(retried).toEqual(stored);
    const after = await anaAgain.ok<BoardCalloutState>(SocketEvents.joinBoard, { boardId: board.boardId, boardToken: board.editorToken });
    expect(after.callouts.map((c) => c.id)).toEqual([stored.id]);
    // Bo, reconnecting, sees it once.
    const boSocket = await connectSocket(second.url, bo.sessionToken);
    expect((await boSocket.ok<Callout[]>(SocketEvents.pendingCallouts, {})).map((c) => c.id)).toEqual([stored.id]);
  });
});
