// A responder's callout inbox over socket.io, built the way the product's client must build it: join
// the board and fetch what is pending on every (re)connect, take live notices as they come, and show
// each callout once, keyed by id. It also counts every delivery, so the row can see duplicates absorbed.
import { io, type Socket } from 'socket.io-client';
import {
  HttpPaths,
  SocketEvents,
  type BoardCalloutState,
  type Callout,
  type CalloutNotice,
  type CreateCalloutRequest,
  type Reply,
} from '@redstring/model';

export class CalloutUser {
  readonly socket: Socket;
  /** What the inbox shows: one entry per callout id addressed to this user. */
  readonly shown = new Map<string, Callout>();
  /** Every delivery of a callout for this user (live notice or pending fetch), by id. */
  readonly deliveries = new Map<string, number>();
  /** Every notice received, in order. */
  readonly notices: CalloutNotice[] = [];
  connects = 0;
  private joined = false;

  constructor(
    baseUrl: string,
    readonly userId: string,
    readonly name: string,
    sessionToken: string,
    readonly board: { boardId: string; boardToken: string },
  ) {
    this.socket = io(baseUrl, {
      path: HttpPaths.socketIo,
      transports: ['websocket'],
      auth: { sessionToken },
      reconnectionDelay: 100,
      reconnectionDelayMax: 400,
      timeout: 5000,
    });
    this.socket.on('connect', () => {
      this.connects++;
      this.joined = false;
      void this.catchUp();
    });
    this.socket.on(SocketEvents.calloutChanged, (notice: CalloutNotice) => {
      this.notices.push(notice);
      if (notice.forYou && (notice.reason === 'created' || notice.reason === 'escalated')) this.deliver(notice.callout);
    });
  }

  get ready(): boolean {
    return this.socket.connected && this.joined;
  }

  /** On every connect: join the board, then fetch what is waiting — socket.io's own recovery is not relied on. */
  private async catchUp(): Promise<void> {
    try {
      const joined = await this.request<BoardCalloutState>(SocketEvents.joinBoard, this.board);
      if (!joined.ok) return;
      const pending = await this.request<Callout[]>(SocketEvents.pendingCallouts, {});
      if (!pending.ok) return;
      for (const callout of pending.value) this.deliver(callout);
      this.joined = true;
    } catch {
      // The connection dropped mid-way; the next connect catches up again.
    }
  }

  private deliver(callout: Callout): void {
    this.deliveries.set(callout.id, (this.deliveries.get(callout.id) ?? 0) + 1);
    this.shown.set(callout.id, callout);
  }

  request<T>(event: string, payload: unknown, timeoutMs = 5000): Promise<Reply<T>> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Reply<T>>;
  }

  send(request: CreateCalloutRequest): Promise<Reply<Callout>> {
    return this.request<Callout>(SocketEvents.createCallout, request);
  }

  acknowledge(calloutId: string, readBack: string): Promise<Reply<Callout>> {
    return this.request<Callout>(SocketEvents.acknowledgeCallout, { calloutId, readBack });
  }

  close(): void {
    this.socket.close();
  }
}
