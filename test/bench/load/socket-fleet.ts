// S6's socket.io side, in its own process (pinned to the load-generator core) so that absorbing the
// notices never delays the S1 probes' event loop: light sockets for users × tabs, all joined to the
// board. Prints "READY" once every socket has joined. Callouts addressed to random users then flow
// between SIGUSR1 and SIGUSR2 (the scenario alternates windows with and without them); after `rounds`
// such phases it prints "RESULT {json}" with what it measured while they flowed.
import { summarize, type Summary } from '../lib/stats';
import { LightSocketIo } from './light-socketio';
import { mapLimit, sleep } from './pool';
import { HttpPaths, SocketEvents, type CalloutNotice, type CreateCalloutRequest, type Reply } from './protocol';
import { createSession, type ServerEndpoint } from './targets';

export interface FleetSpec {
  server: ServerEndpoint;
  boardId: string;
  boardToken: string;
  users: number;
  tabsPerUser: number;
  calloutsPerSecond: number;
  /** Callout phases (SIGUSR1 … SIGUSR2) before the fleet reports and exits. */
  rounds: number;
}

export interface FleetResult {
  sockets: number;
  calloutsSent: number;
  calloutFailures: number;
  /** create request sent → notice received by one of the addressee's tabs */
  calloutDelivery: Summary;
  /** notice events (single notices and digests) received by all sockets while callouts flowed, per second */
  noticesPerSecond: number;
  /** this process's CPU while callouts flowed, as a fraction of one core */
  cpu: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as FleetSpec;
  const users = await mapLimit(spec.users, 16, async (i) => {
    const session = await createSession(spec.server, `Tab user ${i}`);
    if (!session) throw new Error('the socket.io fleet needs a Redstring server');
    return session;
  });
  const sentAt = new Map<number, number>();
  const deliveries: number[] = [];
  let recording = false;
  const sockets = await mapLimit(spec.users * spec.tabsPerUser, 25, async (i) => {
    const socket = await LightSocketIo.connect(spec.server.httpUrl, HttpPaths.socketIo, users[i % spec.users]!.token);
    socket.onForYou = (event, payload) => {
      const notice = payload as CalloutNotice;
      if (event !== SocketEvents.calloutChanged || notice.reason !== 'created') return;
      const seq = Number(/#(\d+)/.exec(notice.callout.issue)?.[1]);
      const at = sentAt.get(seq);
      if (at === undefined) return;
      sentAt.delete(seq); // the first of the addressee's tabs to hear of it counts
      if (recording) deliveries.push(performance.now() - at);
    };
    const joined = await socket.request<Reply<unknown>>(SocketEvents.joinBoard, { boardId: spec.boardId, boardToken: spec.boardToken });
    if (!joined.ok) throw new Error(`board:join failed: ${joined.error.message}`);
    return socket;
  });
  const sender = sockets[0]!;
  let seq = 0;
  let failures = 0;
  const sendCallout = (): void => {
    const n = ++seq;
    // Never the sender (user 0, whose tab sockets[0] is): the server refuses a callout to oneself.
    const to = users[1 + ((n * 7) % (spec.users - 1))]!;
    const body: CreateCalloutRequest = {
      boardId: spec.boardId,
      to: { kind: 'user', userId: to.userId, name: to.name },
      issue: `Cache hit rate dropped to 40% (#${n})`,
      noticedHow: 'cache dashboard',
      intent: 'roll back deploy 8812',
      urgency: 'normal',
      ackWithinSeconds: 3600,
    };
    sentAt.set(n, performance.now());
    void sender.request<Reply<unknown>>(SocketEvents.createCallout, body).then((reply) => {
      if (!reply.ok) failures++;
    });
  };

  const countEvents = () => sockets.reduce((sum, s) => sum + s.events, 0);
  let ticker: ReturnType<typeof setInterval> | null = null;
  let phase = { startedAt: 0, events: 0, cpu: process.cpuUsage() };
  let flowingSeconds = 0;
  let notices = 0;
  let cpuSeconds = 0;
  let roundsDone = 0;
  const finished = new Promise<void>((resolve) => {
    process.on('SIGUSR1', () => {
      if (ticker) return;
      phase = { startedAt: performance.now(), events: countEvents(), cpu: process.cpuUsage() };
      recording = true;
      ticker = setInterval(sendCallout, 1000 / spec.calloutsPerSecond);
    });
    process.on('SIGUSR2', () => {
      if (!ticker) return;
      clearInterval(ticker);
      ticker = null;
      recording = false;
      const cpu = process.cpuUsage(phase.cpu);
      flowingSeconds += (performance.now() - phase.startedAt) / 1000;
      notices += countEvents() - phase.events;
      cpuSeconds += (cpu.user + cpu.system) / 1e6;
      if (++roundsDone >= spec.rounds) resolve();
    });
  });
  process.stdout.write('READY\n');
  await finished;
  // Notices of the last callouts may still be on their way; they are not counted.
  await sleep(200);
  for (const socket of sockets) socket.close();
  const result: FleetResult = {
    sockets: sockets.length,
    calloutsSent: seq,
    calloutFailures: failures,
    calloutDelivery: summarize(deliveries),
    noticesPerSecond: Math.round(notices / flowingSeconds),
    cpu: cpuSeconds / flowingSeconds,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`socket fleet failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
