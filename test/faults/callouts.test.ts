// Row 7: callouts under faults. 200 responders on one board send 500 callouts to each other over
// socket.io; in the middle the server is SIGKILLed (some requests in flight) and restarted on the same data.
// Every callout reported sent was stored; every addressee has it (live or fetched on reconnect) and shows
// it once; every acknowledgement that was answered is durable; callouts whose deadline passed while the
// server was down escalate within a second of the restart, and no callout escalates twice.
//
// Rerun: pnpm exec vitest run --project test faults/callouts   (soak: REDSTRING_SOAK=1, more rounds)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketEvents, type BoardCalloutState, type Callout, type CalloutUrgency, type Reply } from '@redstring/model';
import { CalloutUser } from './lib/callout-user';
import { FaultProxy } from './lib/fault-proxy';
import { boardFixture, createSession, type BoardFixture } from './lib/http-api';
import { Prng, sleep, soak } from './lib/prng';
import { ServerProcess, tempDir } from './lib/server-process';
import { becomes, waitUntil } from './lib/wait';

const seed = Number(process.env.FAULT_SEED ?? 7007);
const rounds = Number(process.env.FAULT_TRIALS ?? (soak ? 10 : 1));
const userCount = 200;
const calloutCount = 500;
const downtimeMs = 2500;

type Group = 'long' | 'due-while-down' | 'due-after-restart';

interface Sent {
  index: number;
  group: Group;
  from: CalloutUser;
  to: CalloutUser;
  /** Set when the server answered ok: the callout is "reported sent". */
  callout?: Callout;
  /** The request was in flight when the server died: its outcome is unknown to the sender. */
  lostReply?: boolean;
  ack?: 'answered' | 'lost';
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The board's callouts as the server has them (a busy server may take a while; ask again on a timeout). */
async function boardState(user: CalloutUser): Promise<Reply<BoardCalloutState>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await user.request<BoardCalloutState>(SocketEvents.joinBoard, user.board, 15000);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

function escalationsLogged(server: ServerProcess): string[] {
  return server
    .jsonLogs()
    .filter((l) => typeof l.msg === 'string' && l.msg.startsWith('callout escalated'))
    .map((l) => String(l.calloutId));
}

describe('row 7: callouts under faults', () => {
  const data = tempDir('callouts');
  let server: ServerProcess;
  let proxy: FaultProxy;
  let fixture: BoardFixture;
  const users: CalloutUser[] = [];
  const totals = {
    rounds: 0,
    callouts: 0,
    reportedSent: 0,
    inFlightAtKill: 0,
    inFlightStored: 0,
    lost: 0,
    liveDeliveries: 0,
    reconnects: 0,
    duplicatesAbsorbed: 0,
    acksAnswered: 0,
    acksLost: 0,
    acksDurable: 0,
    escalatedAfterRestart: 0,
    escalatedOther: 0,
    /** escalatedAt minus the moment the restarted server reported listening (negative: escalated while starting). */
    escalationDelayAfterRestartMs: { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY },
    doubleEscalations: 0,
  };

  beforeAll(async () => {
    server = await ServerProcess.start({ dataDir: data.path });
    proxy = new FaultProxy(server.port, new Prng(seed));
    await proxy.listen();
    fixture = await boardFixture(server.url, 'callouts under faults', 'Commander Ana');
    const proxyUrl = `http://127.0.0.1:${proxy.port}`;
    const board = { boardId: fixture.board.boardId, boardToken: fixture.board.editorToken };
    users.push(new CalloutUser(proxyUrl, fixture.userId, 'Commander Ana', fixture.sessionToken, board));
    for (let i = 1; i < userCount; i++) {
      const session = await createSession(server.url, `Responder ${i}`);
      users.push(new CalloutUser(proxyUrl, session.user.userId, session.user.name, session.sessionToken, board));
    }
    await waitUntil(() => users.every((u) => u.ready), 30000, 'all users joined');
    const commander = users[0]!;
    const assigned = await commander.request(SocketEvents.assignRole, { boardId: board.boardId, role: 'commander', userId: commander.userId, userName: commander.name });
    expect(assigned.ok).toBe(true);
  }, 90000);

  afterAll(async () => {
    for (const u of users) u.close();
    await proxy?.close();
    await server?.kill9();
    data.remove();
    console.log(`[faults] row 7 callouts${soak ? ' (soak)' : ''}: ${JSON.stringify(totals)}`);
  });

  it(`${calloutCount} callouts to ${userCount} users with a kill -9 in the middle (${rounds} round${rounds > 1 ? 's' : ''})`, async () => {
    const prng = new Prng(seed);
    const commander = users[0]!;
    const escalatedBefore = new Set<string>();
    for (let round = 1; round <= rounds; round++) {
      const context = `round ${round} (FAULT_SEED=${seed})`;
      const plan: Sent[] = Array.from({ length: calloutCount }, (_, index) => {
        const from = prng.pick(users);
        let to = prng.pick(users);
        while (to === from) to = prng.pick(users);
        const group: Group = index >= 230 && index < 260 ? 'due-while-down' : index >= 480 ? 'due-after-restart' : 'long';
        return { index, group, from, to };
      });
      const send = async (s: Sent) => {
        const seconds = s.group === 'long' ? 3600 : s.group === 'due-while-down' ? 1.2 : 2;
        const urgency: CalloutUrgency = prng.pick(['low', 'normal', 'high', 'critical']);
        try {
          const reply = await s.from.send({
            boardId: fixture.board.boardId,
            to: { kind: 'user', userId: s.to.userId, name: s.to.name },
            issue: `issue ${round}.${s.index}: cache hit rate dropped`,
            noticedHow: 'cache dashboard',
            intent: 'roll back deploy 8812',
            urgency,
            ackWithinSeconds: seconds,
          });
          if (reply.ok) s.callout = reply.value;
          else throw new Error(`${context}: callout ${s.index} refused: ${JSON.stringify(reply.error)}`);
        } catch (error) {
          if (error instanceof Error && error.message.includes('refused')) throw error;
          s.lostReply = true;
        }
      };
      // The addressee acknowledges what its inbox shows (never an id it has not been given).
      const acknowledge = async (s: Sent) => {
        if (!s.callout || s.group !== 'long' || !prng.chance(0.5)) return;
        const id = s.callout.id;
        if (!(await becomes(() => s.to.shown.has(id), 10000))) return;
        try {
          const reply = await s.to.acknowledge(id, 'roll back 8812');
          if (reply.ok) s.ack = 'answered';
          else throw new Error(`${context}: acknowledgement refused: ${JSON.stringify(reply.error)}`);
        } catch (error) {
          if (error instanceof Error && error.message.includes('refused')) throw error;
          s.ack = 'lost';
        }
      };

      // First half, then the callouts that fall due while the server is down.
      await pool(plan.slice(0, 230), 20, async (s) => {
        await send(s);
        await acknowledge(s);
      });
      await pool(plan.slice(230, 260), 30, send);
      // Kill with requests in flight.
      const inFlight = plan.slice(260, 290);
      const flying = pool(inFlight, 30, send);
      await sleep(prng.int(0, 15));
      proxy.setRefusing(true);
      await server.kill9();
      const logsBefore = escalationsLogged(server);
      for (const id of logsBefore) escalatedBefore.add(id);
      await flying;
      proxy.cutAll();
      await sleep(downtimeMs);
      server = await server.restart();
      const restartedAt = Date.now();
      proxy.setUpstream(server.port);
      proxy.setRefusing(false);
      await waitUntil(() => users.every((u) => u.ready), 30000, `${context}: users back`);

      // Second half; the last ones fall due after the restart.
      await pool(plan.slice(290), 20, async (s) => {
        await send(s);
        await acknowledge(s);
      });
      // Acknowledge some first-half callouts after the restart too.
      await pool(plan.slice(0, 230).filter((s) => s.callout && !s.ack), 20, acknowledge);
      await sleep(3500);

      // The server's view of the board.
      const state = await boardState(commander);
      expect(state.ok).toBe(true);
      const stored = new Map((state.ok ? state.value.callouts : []).map((c) => [c.id, c]));

      const reported = plan.filter((s) => s.callout);
      const lost = reported.filter((s) => !stored.has(s.callout!.id));
      expect(lost.map((s) => s.index), `${context}: reported sent but not stored`).toEqual([]);
      const unknown = plan.filter((s) => s.lostReply);
      const unknownStored = [...stored.values()].filter(
        (c) => !reported.some((s) => s.callout!.id === c.id) && c.issue.startsWith(`issue ${round}.`),
      ).length;

      // Delivered at least once, shown once, no phantoms: each inbox holds exactly the stored callouts for that user.
      for (const s of reported) {
        const id = s.callout!.id;
        expect(s.to.shown.has(id), `${context}: callout ${s.index} never reached its addressee`).toBe(true);
      }
      for (const u of users) {
        for (const id of u.shown.keys()) {
          const c = stored.get(id);
          if (!c?.issue.startsWith(`issue ${round}.`)) continue;
          expect(c.to.kind === 'user' && c.to.userId === u.userId, `${context}: inbox of ${u.name} shows a callout that is not for them`).toBe(true);
        }
      }

      // Acknowledgements that were answered are durable.
      const answered = plan.filter((s) => s.ack === 'answered');
      for (const s of answered) expect(stored.get(s.callout!.id)?.state, `${context}: ack of callout ${s.index}`).toBe('acknowledged');

      // Escalations: every overdue, unacknowledged callout escalated; exactly once across both processes.
      const logsAfter = escalationsLogged(server);
      const counts = new Map<string, number>();
      for (const id of [...logsBefore, ...logsAfter]) counts.set(id, (counts.get(id) ?? 0) + 1);
      const doubles = [...counts.entries()].filter(([, n]) => n > 1);
      expect(doubles, `${context}: callouts escalated more than once`).toEqual([]);
      for (const s of reported.filter((x) => x.group !== 'long')) {
        const c = stored.get(s.callout!.id)!;
        expect(c.state, `${context}: overdue callout ${s.index} (${s.group})`).toBe('escalated');
        expect(counts.get(c.id), `${context}: escalation of ${s.index} logged`).toBe(1);
        if (s.group === 'due-while-down' && !escalatedBefore.has(c.id)) {
          const delay = c.escalatedAt! - restartedAt;
          totals.escalationDelayAfterRestartMs.min = Math.min(totals.escalationDelayAfterRestartMs.min, delay);
          totals.escalationDelayAfterRestartMs.max = Math.max(totals.escalationDelayAfterRestartMs.max, delay);
          expect(delay, `${context}: callout ${s.index} escalated ${delay} ms after the restart`).toBeLessThan(1000);
          totals.escalatedAfterRestart++;
        } else totals.escalatedOther++;
      }
      const commanderNotices = new Map<string, number>();
      for (const n of commander.notices) if (n.reason === 'escalated') commanderNotices.set(n.callout.id, (commanderNotices.get(n.callout.id) ?? 0) + 1);
      expect([...commanderNotices.values()].filter((n) => n > 1), `${context}: commander told twice`).toEqual([]);

      totals.rounds++;
      totals.callouts += plan.length;
      totals.reportedSent += reported.length;
      totals.inFlightAtKill += unknown.length;
      totals.inFlightStored += unknownStored;
      totals.lost += lost.length;
      totals.acksAnswered += answered.length;
      totals.acksLost += plan.filter((s) => s.ack === 'lost').length;
      totals.acksDurable += answered.filter((s) => stored.get(s.callout!.id)?.state === 'acknowledged').length;
      totals.doubleEscalations += doubles.length;
    }
    for (const u of users) {
      for (const n of u.deliveries.values()) totals.duplicatesAbsorbed += n - 1;
      totals.liveDeliveries += u.notices.filter((n) => n.forYou && n.reason === 'created').length;
      totals.reconnects += u.connects - 1;
    }
  }, (soak ? 1800 : 150) * 1000);
});
