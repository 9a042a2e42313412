// The wire contract between the sync server and its clients (web app, tests, benchmarks).
// Pure constants and types: no sockets here, so both sides import one definition.
import type { Callout, CalloutUrgency, CalloutAddressee } from './records/callout.js';
import type { RoleAssignment, RoleName } from './records/role.js';

/** y-websocket message types. 0..3 are the stock protocol; the stock provider ignores the others. */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Redstring extension, client → server, first frame on a socket: varString(JSON AuthRequest). */
  Hello: 100,
  /** Redstring extension, server → client: varString(JSON HelloReply) once the board is loaded. */
  Welcome: 101,
  /**
   * Redstring extension, server → client: varUint(highest durable client seq). The client numbers the
   * updates it sends (1, 2, 3, … per connection, counting every Sync update/step-2 frame it sends, in
   * order); the server answers with the highest number whose update is committed to disk.
   */
  Saved: 102,
  /** Redstring extension, server → client: varString(JSON {code, message}) just before a close. */
  Error: 103,
} as const;
export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];

/** WebSocket close codes (4000–4999 are the application range). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** No, malformed, expired or forged token; or no Hello within the auth timeout. */
  Unauthorized: 4401,
  /** Token valid but not for this board, or the Origin is not allowed. */
  Forbidden: 4403,
  /** The board id does not exist. */
  NotFound: 4404,
  /** A frame that does not decode, an unknown message type, an update Yjs rejects. */
  ProtocolError: 4400,
  /** Frame over the size limit. */
  TooLarge: 4413,
  /** Too many messages per second. */
  RateLimited: 4429,
  /** The board could not be loaded from storage; try again later. */
  LoadFailed: 4500,
  /** The server is shutting down; reconnect. */
  ServerShutdown: 4503,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

export type Access = 'editor' | 'viewer';

/** First frame a client sends on a board socket (the secret never travels in a URL). */
export interface AuthRequest {
  /** The board's editor or viewer secret, from the share link's #fragment. */
  boardToken: string;
  /** Signed session token from POST /api/session (identifies the user). */
  sessionToken: string;
}

export interface HelloReply {
  boardId: string;
  access: Access;
  user: SessionUser;
  /** Server clock at the time of the reply (ms since epoch). */
  serverTime: number;
}

export interface SessionUser {
  userId: string;
  name: string;
  color: string;
}

// ---------------------------------------------------------------------------------------------
// HTTP API (JSON). Errors are { error: { code: string, message: string } } with a 4xx/5xx status.
// ---------------------------------------------------------------------------------------------
export const HttpPaths = {
  health: '/healthz',
  metrics: '/metrics',
  /** POST SessionRequest → SessionReply. */
  session: '/api/session',
  /**
   * POST CreateBoardRequest → CreateBoardReply (header x-session-token).
   * GET ?q=text&limit=n (header x-session-token) → BoardSummary[]: the boards this user has opened,
   * newest activity first, filtered by title and card text when q is given.
   */
  boards: '/api/boards',
  /** GET → BoardSummary (needs a board token: header `x-board-token`). */
  board: (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`,
  /** GET ?format=markdown|json|csv&tz=Area/City → the timeline export (header `x-board-token`). */
  boardExport: (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}/export`,
  /** GET → { serverTime } for clock offset estimation (also available over socket.io). */
  time: '/api/time',
  /** WebSocket endpoint for board documents: `/ws/board/:boardId`. */
  boardSocket: (boardId: string) => `/ws/board/${encodeURIComponent(boardId)}`,
  /** socket.io path. */
  socketIo: '/socket.io/',
} as const;

/** Header that carries a board token on HTTP requests (headers are not logged; URLs are). */
export const BoardTokenHeader = 'x-board-token';
/** Header that carries the session token on HTTP requests. */
export const SessionTokenHeader = 'x-session-token';

export interface SessionRequest {
  name: string;
  color: string;
  /** Renew an existing session (keeps the userId). */
  sessionToken?: string;
}
export interface SessionReply {
  sessionToken: string;
  user: SessionUser;
}

export interface CreateBoardRequest {
  title?: string;
}
export interface CreateBoardReply {
  boardId: string;
  editorToken: string;
  viewerToken: string;
  /** Relative links for the web app: `/b/:boardId#edit=<token>` and `/b/:boardId#view=<token>`. */
  editorLink: string;
  viewerLink: string;
}

export interface BoardSummary {
  boardId: string;
  title: string;
  status: string;
  createdAt: number;
  lastActivityAt: number;
  participants: string[];
  cardCount: number;
  /** Only present when the caller showed a token for this board. */
  access?: Access;
}

// ---------------------------------------------------------------------------------------------
// socket.io: user-addressed traffic. Client connects with auth: { sessionToken }.
// Requests use acknowledgement callbacks: emit(event, payload, (reply: Reply<T>) => …).
// ---------------------------------------------------------------------------------------------
export const SocketEvents = {
  // client → server requests (with ack)
  joinBoard: 'board:join', // JoinBoardRequest → Reply<BoardCalloutState>
  leaveBoard: 'board:leave', // { boardId } → Reply<{}>
  createCallout: 'callout:create', // CreateCalloutRequest → Reply<Callout>
  acknowledgeCallout: 'callout:acknowledge', // { calloutId, readBack? } → Reply<Callout>
  withdrawCallout: 'callout:withdraw', // { calloutId, reason? } → Reply<Callout>
  closeCallout: 'callout:close', // { calloutId } → Reply<Callout>
  pendingCallouts: 'callout:pending', // {} → Reply<Callout[]> (everything waiting for me, all boards)
  assignRole: 'role:assign', // AssignRoleRequest → Reply<RoleAssignment>
  releaseRole: 'role:release', // { boardId, role } → Reply<RoleAssignment>
  clockSync: 'clock:sync', // { clientSentAt } → Reply<{ clientSentAt, serverTime }>
  // server → client pushes
  calloutChanged: 'callout:changed', // CalloutNotice (new, acknowledged, escalated, withdrawn, closed)
  calloutDigest: 'callout:digest', // CalloutDigest: a board's changes for its other members, batched
  roleChanged: 'role:changed', // RoleAssignment
} as const;

export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export interface JoinBoardRequest {
  boardId: string;
  boardToken: string;
}
export interface BoardCalloutState {
  boardId: string;
  callouts: Callout[];
  roles: RoleAssignment[];
  serverTime: number;
}
export interface CreateCalloutRequest {
  boardId: string;
  to: CalloutAddressee;
  issue: string;
  noticedHow: string;
  intent: string;
  cardId?: string;
  urgency: CalloutUrgency;
  /** Seconds the addressee has to acknowledge before escalation. */
  ackWithinSeconds: number;
  /**
   * Optional idempotency key, generated by the client once per callout it means to send: 8–64
   * characters of [A-Za-z0-9_-]. A request retried with the same requestId (after a lost reply, also
   * across a server restart) answers with the callout the first attempt stored — same id — instead of
   * creating a second one. Unique per sender. (Added after the first contract; older clients omit it.)
   */
  requestId?: string;
}
export interface AssignRoleRequest {
  boardId: string;
  role: RoleName;
  userId: string;
  userName: string;
}
export interface CalloutNotice {
  reason: 'created' | 'acknowledged' | 'escalated' | 'withdrawn' | 'closed';
  callout: Callout;
  /** True when this notice goes to the user because they are (or hold the role) it is addressed to. */
  forYou: boolean;
}
/**
 * Every tab that joined a board gets its callout changes in digests: at most one per board every
 * CALLOUT_DIGEST_MS (on a board with more than ~250 tabs the server widens that window, up to 2 s, so
 * its digests stay around a thousand socket writes a second), notices in the order they happened, all
 * with forYou false. The addressees, the sender
 * (and on escalation the commanders) also get each change at once as a callout:changed, so a tab can
 * receive the same change twice; a newer version of a callout always wins. (Added after the first
 * contract: before it, every member got every change as a callout:changed.)
 */
export interface CalloutDigest {
  boardId: string;
  notices: CalloutNotice[];
}
/** Longest a board member waits to hear of a callout change not addressed to them (on a board of up to ~250 tabs). */
export const CALLOUT_DIGEST_MS = 250;
