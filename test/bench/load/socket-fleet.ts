// S6's socket.io side, in its own process (pinned to the load-generator core) so that absorbing the
// notices never delays the S1 probes' event loop: light sockets for users × tabs, all joined to the
// board, and a steady stream of callouts addressed to random users. Prints "READY" once every socket
// has joined, then "RESULT {json}" after the run.
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
  /** Callouts flow for warmupSeconds before recording starts, then for seconds more. */
  warmupSeconds: number;
  seconds: number;
}

export interface FleetResult {
  sockets: number;
  calloutsSent: number;
  calloutFailures: number;
  /** create request sent → notice received by one of the addressee's tabs */
  calloutDelivery: Summary;
  /** notices received by all sockets while recording, per second */
  noticesPerSecond: number;
  /** this process's CPU while recording, as a fraction of one core */
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
  process.stdout.write('READY\n');

  const sender = sockets[0]!;
  let seq = 0;
  let failures = 0;
  const ticker = setInterval(() => {
    const n = ++seq;
    const to = users[(n * 7) % spec.users]!;
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
  }, 1000 / spec.calloutsPerSecond);
  await sleep(spec.warmupSeconds * 1000);
  const eventsBefore = sockets.reduce((sum, s) => sum + s.events, 0);
  const cpuBefore = process.cpuUsage();
  recording = true;
  await sleep(spec.seconds * 1000);
  recording = false;
  const cpu = process.cpuUsage(cpuBefore);
  const notices = sockets.reduce((sum, s) => sum + s.events, 0) - eventsBefore;
  clearInterval(ticker);
  for (const socket of sockets) socket.close();
  const result: FleetResult = {
    sockets: sockets.length,
    calloutsSent: seq,
    calloutFailures: failures,
    calloutDelivery: summarize(deliveries),
    noticesPerSecond: Math.round(notices / spec.seconds),
    cpu: (cpu.user + cpu.system) / 1e6 / spec.seconds,
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
