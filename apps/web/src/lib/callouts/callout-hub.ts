// socket.io connection for user-addressed traffic: callouts and roles. One per tab; it keeps the board
// joined across reconnects, re-asks for everything pending on every (re)connect, and estimates the
// server clock offset so times written into the board use the server's clock.
import { io, type Socket } from 'socket.io-client';
import type {
  BoardCalloutState,
  Callout,
  CalloutDigest,
  CalloutNotice,
  CreateCalloutRequest,
  Reply,
  RoleAssignment,
  RoleName,
  SessionUser,
} from '@redstring/model';
import { estimateClockOffset, HttpPaths, isCalloutFor, isCalloutPending, newId, SocketEvents } from '@redstring/model';
import { CalloutBook } from './callout-book';

const REQUEST_TIMEOUT_MS = 8000;
/** A callout whose reply was lost is sent again with the same request id (the server de-duplicates). */
const CREATE_ATTEMPTS = 3;
const CREATE_RETRY_DELAY_MS = 1500;

export interface HubNotice {
  notice: CalloutNotice;
  /** The callout is now waiting for me. */
  forMe: boolean;
}

export class CalloutHub {
  readonly book = new CalloutBook();
  connected = false;
  clockOffsetMs = 0;
  private readonly socket: Socket;
  private readonly roles = new Map<string, Map<string, RoleAssignment>>();
  private readonly joined = new Map<string, string>();
  /** Callouts the server told us are for me (covers role callouts on boards this tab has not joined). */
  private readonly forMeIds = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly noticeListeners = new Set<(n: HubNotice) => void>();
  private readonly clockListeners = new Set<(offsetMs: number) => void>();

  constructor(
    readonly me: SessionUser,
    sessionToken: string,
    origin: string = location.origin,
  ) {
    this.socket = io(origin, { path: HttpPaths.socketIo, auth: { sessionToken }, transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => {
      this.connected = true;
      this.notify();
      void this.afterConnect();
    });
    this.socket.on('disconnect', () => {
      this.connected = false;
      this.notify();
    });
    this.socket.on(SocketEvents.calloutChanged, (notice: CalloutNotice) => this.onNotice(notice));
    // Changes on a joined board that are not addressed to me arrive batched; ones I already heard of are no-ops.
    this.socket.on(SocketEvents.calloutDigest, (digest: CalloutDigest) => {
      for (const notice of Array.isArray(digest?.notices) ? digest.notices : []) this.onNotice(notice);
    });
    this.socket.on(SocketEvents.roleChanged, (role: RoleAssignment) => {
      this.upsertRole(role);
      this.notify();
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onNoticeReceived(listener: (n: HubNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  onClockOffset(listener: (offsetMs: number) => void): () => void {
    this.clockListeners.add(listener);
    return () => this.clockListeners.delete(listener);
  }

  /** Server time now, as well as this tab can tell. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  rolesOf(boardId: string): RoleAssignment[] {
    return [...(this.roles.get(boardId)?.values() ?? [])];
  }

  isForMe(c: Callout): boolean {
    return isCalloutFor(c, this.me.userId, this.rolesOf(c.boardId)) || (this.forMeIds.has(c.id) && c.to.kind === 'role');
  }

  waitingForMe(boardId?: string): Callout[] {
    return this.book
      .all()
      .filter((c) => isCalloutPending(c) && this.isForMe(c) && (boardId === undefined || c.boardId === boardId))
      .sort((a, b) => a.ackDeadline - b.ackDeadline);
  }

  async joinBoard(boardId: string, boardToken: string): Promise<Reply<BoardCalloutState>> {
    this.joined.set(boardId, boardToken);
    const reply = await this.request<BoardCalloutState>(SocketEvents.joinBoard, { boardId, boardToken });
    if (reply.ok) this.absorbBoardState(reply.value);
    return reply;
  }

  leaveBoard(boardId: string): void {
    this.joined.delete(boardId);
    if (this.socket.connected) this.socket.emit(SocketEvents.leaveBoard, { boardId }, () => {});
  }

  /**
   * Sends a callout. When the reply is lost (timeout, or the connection dropped after sending) it is sent
   * again with the same requestId: the server returns the callout it already stored instead of a second one.
   */
  async createCallout(req: CreateCalloutRequest): Promise<Reply<Callout>> {
    const request = { ...req, requestId: req.requestId ?? newId() };
    let reply = await this.calloutRequest(SocketEvents.createCallout, request);
    for (let attempt = 1; attempt < CREATE_ATTEMPTS && !reply.ok && isLostReply(reply); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, CREATE_RETRY_DELAY_MS));
      reply = await this.calloutRequest(SocketEvents.createCallout, request);
    }
    return reply;
  }

  acknowledge(calloutId: string, readBack?: string): Promise<Reply<Callout>> {
    return this.calloutRequest(SocketEvents.acknowledgeCallout, readBack ? { calloutId, readBack } : { calloutId });
  }

  withdraw(calloutId: string, reason?: string): Promise<Reply<Callout>> {
    return this.calloutRequest(SocketEvents.withdrawCallout, reason ? { calloutId, reason } : { calloutId });
  }

  close(calloutId: string): Promise<Reply<Callout>> {
    return this.calloutRequest(SocketEvents.closeCallout, { calloutId });
  }

  async assignRole(boardId: string, role: RoleName, user: { userId: string; name: string }): Promise<Reply<RoleAssignment>> {
    const reply = await this.request<RoleAssignment>(SocketEvents.assignRole, { boardId, role, userId: user.userId, userName: user.name });
    if (reply.ok) {
      this.upsertRole(reply.value);
      this.notify();
    }
    return reply;
  }

  async releaseRole(boardId: string, role: RoleName): Promise<Reply<RoleAssignment>> {
    const reply = await this.request<RoleAssignment>(SocketEvents.releaseRole, { boardId, role });
    if (reply.ok) {
      this.upsertRole(reply.value);
      this.notify();
    }
    return reply;
  }

  destroy(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.listeners.clear();
    this.noticeListeners.clear();
  }

  /** Suspend while the browser is offline; resume when back (socket.io would retry on its own, slower). */
  setOnline(online: boolean): void {
    if (online && !this.socket.connected) this.socket.connect();
    if (!online && this.socket.connected) this.socket.disconnect();
  }

  private async afterConnect(): Promise<void> {
    const [pending] = await Promise.all([
      this.request<Callout[]>(SocketEvents.pendingCallouts, {}),
      ...[...this.joined].map(([boardId, boardToken]) =>
        this.request<BoardCalloutState>(SocketEvents.joinBoard, { boardId, boardToken }).then((r) => {
          if (r.ok) this.absorbBoardState(r.value);
        }),
      ),
    ]);
    if (pending.ok) {
      for (const c of pending.value) {
        this.forMeIds.add(c.id);
        const isNew = !this.book.get(c.id);
        this.book.upsert(c);
        if (isNew) this.emitNotice({ notice: { reason: 'created', callout: c, forYou: true }, forMe: true });
      }
    }
    this.notify();
    await this.syncClock();
  }

  private async syncClock(): Promise<void> {
    const samples = [];
    for (let i = 0; i < 5; i++) {
      const clientSentAt = Date.now();
      const reply = await this.request<{ clientSentAt: number; serverTime: number }>(SocketEvents.clockSync, { clientSentAt });
      if (reply.ok) samples.push({ clientSentAt, serverTime: reply.value.serverTime, clientReceivedAt: Date.now() });
    }
    const estimate = estimateClockOffset(samples);
    if (samples.length > 0) {
      this.clockOffsetMs = estimate.offsetMs;
      for (const l of this.clockListeners) l(estimate.offsetMs);
      this.notify();
    }
  }

  private absorbBoardState(state: BoardCalloutState): void {
    const roles = new Map<string, RoleAssignment>();
    for (const r of state.roles) roles.set(r.id, r);
    this.roles.set(state.boardId, roles);
    for (const c of state.callouts) this.book.upsert(c);
    if (this.clockOffsetMs === 0 && Number.isFinite(state.serverTime)) this.clockOffsetMs = state.serverTime - Date.now();
    this.notify();
  }

  private upsertRole(role: RoleAssignment): void {
    let map = this.roles.get(role.boardId);
    if (!map) this.roles.set(role.boardId, (map = new Map()));
    map.set(role.id, role);
  }

  private onNotice(notice: CalloutNotice): void {
    if (notice.forYou) this.forMeIds.add(notice.callout.id);
    const changed = this.book.upsert(notice.callout);
    if (!changed) return; // the same notice again (another tab's echo, a reconnect): nothing new
    const current = this.book.get(notice.callout.id) ?? notice.callout;
    this.emitNotice({ notice, forMe: isCalloutPending(current) && this.isForMe(current) });
    this.notify();
  }

  private emitNotice(n: HubNotice): void {
    for (const l of this.noticeListeners) l(n);
  }

  private async calloutRequest(event: string, payload: unknown): Promise<Reply<Callout>> {
    const reply = await this.request<Callout>(event, payload);
    if (reply.ok) {
      this.book.upsert(reply.value);
      this.notify();
    }
    return reply;
  }

  private request<T>(event: string, payload: unknown): Promise<Reply<T>> {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: { code: 'offline', message: 'Not connected to the server. Try again when back online.' } });
        return;
      }
      this.socket.timeout(REQUEST_TIMEOUT_MS).emit(event, payload, (err: Error | null, reply: Reply<T>) => {
        if (err) resolve({ ok: false, error: { code: 'timeout', message: 'The server did not answer in time.' } });
        else resolve(reply);
      });
    });
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}

function isLostReply(reply: Reply<unknown>): boolean {
  return !reply.ok && (reply.error.code === 'timeout' || reply.error.code === 'offline');
}
