// socket.io carries what is addressed to a person rather than a document: callouts, roles, clock sync.
// Each socket joins a room for its user (every tab of that user) and one per board it opened.
// Requests use acknowledgement callbacks and get a Reply<T>; nothing is answered before it is committed.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  CALLOUT_DIGEST_MS,
  HttpPaths,
  ID_PATTERN,
  SocketEvents,
  type CalloutDigest,
  type CalloutNotice,
  type Reply,
  type RoleAssignment,
  type SessionUser,
} from '@redstring/model';
import type { MemberRegistry } from '../access/member-registry';
import { checkOrigin } from '../access/origin';
import type { SessionSigner } from '../access/sessions';
import type { BoardService } from '../boards/board-service';
import type { CalloutDelivery, CalloutNotifier, CalloutService } from '../callouts/callout-service';
import type { LimitsConfig } from '../config';
import { TokenBucket } from '../limits/token-bucket';
import type { Logger } from '../log';
import { errorFields } from '../log';
import type { Storage } from '../storage/storage';
import { digestWindowMs, NoticeDigest } from './notice-digest';
import { PacedFanOut } from './paced-fan-out';

export const userRoom = (userId: string): string => `user:${userId}`;
export const boardRoom = (boardId: string): string => `board:${boardId}`;

interface SocketData {
  user: SessionUser;
  bucket: TokenBucket;
}

type RedstringSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

export interface SocketIoDeps {
  sessions: SessionSigner;
  members: MemberRegistry;
  callouts: CalloutService;
  boards: BoardService;
  storage: Storage;
  allowedOrigins: readonly string[];
  limits: LimitsConfig;
  log: Logger;
  clock: () => number;
}

/**
 * Delivers callout and role notices through socket.io rooms. Created before the server, wired after.
 * A callout change goes at once to the tabs of those it concerns (addressees, sender, and commanders on
 * escalation) and, batched per board, to every tab on the board (see CalloutDigest).
 */
export class SocketIoNotifier implements CalloutNotifier {
  private fanOut: PacedFanOut | null = null;
  private readonly digest: NoticeDigest<CalloutNotice>;

  constructor(baseDigestWindowMs = CALLOUT_DIGEST_MS) {
    const windowFor = (boardId: string): number => digestWindowMs(this.fanOut?.roomSize(boardRoom(boardId)) ?? 0, baseDigestWindowMs);
    this.digest = new NoticeDigest(windowFor, (boardId, notices) => {
      const fanOut = this.fanOut;
      if (!fanOut) return;
      fanOut.send(fanOut.socketsIn([boardRoom(boardId)]), SocketEvents.calloutDigest, { boardId, notices } satisfies CalloutDigest);
    });
  }

  attach(io: Server): void {
    this.fanOut = new PacedFanOut(io);
  }

  /** Sends the digests still waiting (before sockets close at shutdown). */
  flush(): void {
    this.digest.flushAll();
  }

  calloutChanged(delivery: CalloutDelivery): void {
    const fanOut = this.fanOut;
    if (!fanOut) return;
    // The addressees' tabs first: they are the ones a callout waits for.
    const addressees = fanOut.socketsIn(delivery.forYou.map(userRoom));
    const concerned = fanOut.socketsIn(delivery.alsoUsers.map(userRoom), addressees);
    // Ahead of any board digest still being written: these are the people the callout waits on.
    fanOut.sendAhead(addressees, SocketEvents.calloutChanged, { ...delivery.notice, forYou: true } satisfies CalloutNotice);
    fanOut.sendAhead(concerned, SocketEvents.calloutChanged, { ...delivery.notice, forYou: false } satisfies CalloutNotice);
    this.digest.add(delivery.boardId, { ...delivery.notice, forYou: false });
  }

  roleChanged(record: RoleAssignment, affectedUsers: string[]): void {
    const fanOut = this.fanOut;
    if (!fanOut) return;
    fanOut.send(fanOut.socketsIn([boardRoom(record.boardId), ...affectedUsers.map(userRoom)]), SocketEvents.roleChanged, record);
  }
}

export function createSocketIoServer(httpServer: HttpServer, notifier: SocketIoNotifier, deps: SocketIoDeps): Server {
  const io = new Server(httpServer, {
    path: HttpPaths.socketIo,
    serveClient: false,
    // The board WebSocket shares this HTTP server: leave upgrades for other paths alone.
    destroyUpgrade: false,
    maxHttpBufferSize: 256 * 1024,
    allowRequest: (req, callback) => {
      const decision = checkOrigin(req.headers.origin, req.headers.host, deps.allowedOrigins);
      if (decision.ok) callback(null, true);
      else callback(decision.reason, false);
    },
  });
  notifier.attach(io);

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>).sessionToken : undefined;
    const session = deps.sessions.verify(token);
    if (!session.ok) {
      next(new Error(`unauthorized: ${session.reason}`));
      return;
    }
    const data = socket.data as SocketData;
    data.user = session.user;
    data.bucket = new TokenBucket(deps.limits.socketRequestsPerSecond, deps.limits.socketRequestBurst, deps.clock);
    next();
  });

  io.on('connection', (rawSocket) => {
    const socket = rawSocket as unknown as RedstringSocket;
    const user = socket.data.user;
    void socket.join(userRoom(user.userId));
    deps.log.debug('socket.io connected', { userId: user.userId, socket: socket.id });

    /** Wraps a request handler: rate limit, ack check, errors turned into Reply failures. */
    const handle = (event: string, handler: (payload: unknown) => Promise<Reply<unknown>>): void => {
      (socket as unknown as Socket).on(event, (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const reply = ack as (reply: Reply<unknown>) => void;
        if (!socket.data.bucket.take()) {
          reply({ ok: false, error: { code: 'rate-limited', message: 'too many requests; slow down' } });
          return;
        }
        handler(payload).then(reply, (error: unknown) => {
          deps.log.error('socket.io request failed', { event, userId: user.userId, ...errorFields(error) });
          reply({ ok: false, error: { code: 'internal', message: 'the server could not complete this request' } });
        });
      });
    };

    handle(SocketEvents.joinBoard, async (payload) => {
      const { boardId, boardToken } = (payload ?? {}) as Record<string, unknown>;
      if (typeof boardId !== 'string' || !ID_PATTERN.test(boardId)) {
        return { ok: false, error: { code: 'invalid', message: 'boardId: expected a board id' } };
      }
      const access = await deps.boards.accessFor(boardId, boardToken);
      if (!access) return { ok: false, error: { code: 'forbidden', message: 'the board token is not valid for this board' } };
      // Stored before the reply: callout requests that follow check membership in storage.
      await deps.members.record({ userId: user.userId, userName: user.name, boardId, access });
      await socket.join(boardRoom(boardId));
      return { ok: true, value: await deps.callouts.boardState(boardId) };
    });

    handle(SocketEvents.leaveBoard, async (payload) => {
      const { boardId } = (payload ?? {}) as Record<string, unknown>;
      if (typeof boardId === 'string') await socket.leave(boardRoom(boardId));
      return { ok: true, value: {} };
    });

    handle(SocketEvents.createCallout, (payload) => deps.callouts.create(user, payload));
    handle(SocketEvents.acknowledgeCallout, (payload) => deps.callouts.acknowledge(user, payload));
    handle(SocketEvents.withdrawCallout, (payload) => deps.callouts.withdraw(user, payload));
    handle(SocketEvents.closeCallout, (payload) => deps.callouts.close(user, payload));
    handle(SocketEvents.pendingCallouts, async () => ({ ok: true, value: await deps.callouts.pendingFor(user.userId) }));
    handle(SocketEvents.assignRole, (payload) => deps.callouts.assignRole(user, payload));
    handle(SocketEvents.releaseRole, (payload) => deps.callouts.releaseRole(user, payload));
    handle(SocketEvents.clockSync, async (payload) => {
      const clientSentAt = (payload as Record<string, unknown> | null)?.clientSentAt;
      if (typeof clientSentAt !== 'number' || !Number.isFinite(clientSentAt)) {
        return { ok: false, error: { code: 'invalid', message: 'clientSentAt: expected a number' } };
      }
      return { ok: true, value: { clientSentAt, serverTime: deps.clock() } };
    });
  });

  return io;
}
