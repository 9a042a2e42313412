// S6: S1's load with and without socket.io traffic on the same server: 1,000 connected user sockets
// (250 users × 4 tabs, all on the S1 board) and 10 callouts per second fanned out to them. Reports S1's
// delivery latency in both windows, and callout delivery latency (create → the addressee's tab).
import { io, type Socket } from 'socket.io-client';
import { summarize, type Summary } from '../lib/stats';
import { mapLimit, sleep } from '../load/pool';
import { createSession, type Session } from '../load/targets';
import { HttpPaths, SocketEvents, type CalloutNotice, type CreateCalloutRequest, type Reply } from '../load/protocol';
import { measureWindow, startOneBoard, S1_OPTIONS, type WindowResult } from './one-board';
import type { ScenarioContext } from './context';

export const S6_USERS = 250;
export const S6_TABS_PER_USER = 4;
export const S6_CALLOUTS_PER_SECOND = 10;

export interface S6Result {
  without: WindowResult;
  with: WindowResult;
  sockets: number;
  calloutsSent: number;
  calloutFailures: number;
  /** create request sent → notice received by one of the addressee's tabs */
  calloutDelivery: Summary;
  /** notices received by all sockets during the window, per second */
  noticesPerSecond: number;
}

function connectSocket(url: string, session: Session): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { path: HttpPaths.socketIo, transports: ['websocket'], auth: { sessionToken: session.token }, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function request<T>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
  return new Promise((resolve) => socket.emit(event, payload, (reply: Reply<T>) => resolve(reply)));
}

export async function runS6(ctx: ScenarioContext): Promise<S6Result> {
  const warmup = ctx.quick ? 1 : 2;
  const seconds = ctx.quick ? 4 : 10;
  const load = await startOneBoard(ctx.server, { ...S1_OPTIONS, maxSeconds: warmup + seconds * 2 + 40 });
  const sockets: Socket[] = [];
  try {
    await sleep(warmup * 1000);
    const without = await measureWindow(ctx.server, load, seconds);

    const boardId = load.target.boardId;
    const boardToken = load.target.boardToken!;
    const users = await mapLimit(S6_USERS, 16, (i) => createSession(ctx.server, `Tab user ${i}`));
    const sentAt = new Map<number, number>();
    const deliveries: number[] = [];
    let notices = 0;
    let recording = false;
    const connected = await mapLimit(S6_USERS * S6_TABS_PER_USER, 25, async (i) => {
      const user = users[i % S6_USERS]!;
      const socket = await connectSocket(ctx.server.httpUrl, user);
      socket.on(SocketEvents.calloutChanged, (notice: CalloutNotice) => {
        if (recording) notices++;
        if (!notice.forYou || notice.reason !== 'created') return;
        const seq = Number(/#(\d+)/.exec(notice.callout.issue)?.[1]);
        const at = sentAt.get(seq);
        if (at === undefined) return;
        sentAt.delete(seq); // first tab to hear of it counts
        if (recording) deliveries.push(performance.now() - at);
      });
      const joined = await request(socket, SocketEvents.joinBoard, { boardId, boardToken });
      if (!joined.ok) throw new Error(`board:join failed: ${joined.error.message}`);
      return socket;
    });
    sockets.push(...connected);
    ctx.log(`${sockets.length} socket.io sockets connected and joined`);

    const sender = sockets[0]!;
    let seq = 0;
    let failures = 0;
    const ticker = setInterval(() => {
      const n = ++seq;
      const to = users[(n * 7) % S6_USERS]!;
      const body: CreateCalloutRequest = {
        boardId,
        to: { kind: 'user', userId: to.userId, name: to.name },
        issue: `Cache hit rate dropped to 40% (#${n})`,
        noticedHow: 'cache dashboard',
        intent: 'roll back deploy 8812',
        urgency: 'normal',
        ackWithinSeconds: 3600,
      };
      sentAt.set(n, performance.now());
      void request(sender, SocketEvents.createCallout, body).then((reply) => {
        if (!reply.ok) failures++;
      });
    }, 1000 / S6_CALLOUTS_PER_SECOND);
    await sleep(warmup * 1000);
    recording = true;
    const withSocketIo = await measureWindow(ctx.server, load, seconds);
    recording = false;
    clearInterval(ticker);
    return {
      without,
      with: withSocketIo,
      sockets: sockets.length,
      calloutsSent: seq,
      calloutFailures: failures,
      calloutDelivery: summarize(deliveries),
      noticesPerSecond: Math.round(notices / seconds),
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    load.close();
  }
}
