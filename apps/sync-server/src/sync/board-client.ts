// One board WebSocket connection: the Hello handshake, rate and size limits, the queue of frames that
// arrive before the board is loaded, and the Saved counter. Document semantics live in BoardSession.
import type { Access, AuthRequest, CloseCodeValue, SessionUser } from '@redstring/model';
import { CloseCode } from '@redstring/model';
import type { LimitsConfig } from '../config';
import { TokenBucket } from '../limits/token-bucket';
import type { Logger } from '../log';
import { errorFields } from '../log';
import type { BoardSession } from './board-session';
import type { Connection } from './connection';
import { INTERNAL_ERROR_CLOSE_CODE } from './connection';
import { ProtocolViolation, decodeHello, encodeError, encodeSaved } from './frames';

export type ClientState = 'awaiting-hello' | 'joining' | 'ready' | 'closed';

/** What a client needs from the hub: turning credentials into a loaded board. */
export interface ClientJoiner {
  join(client: BoardClient, auth: AuthRequest): Promise<void>;
  clientClosed(client: BoardClient, code: number | null): void;
  /** While shutting down, frames are ignored: clients resend unsaved edits when they reconnect. */
  readonly closing: boolean;
}

const CLOSE_NAMES = new Map<number, string>(Object.entries(CloseCode).map(([name, code]) => [code, name]));

export function closeCodeName(code: number): string {
  return CLOSE_NAMES.get(code) ?? (code === INTERNAL_ERROR_CLOSE_CODE ? 'InternalError' : String(code));
}

export class BoardClient {
  state: ClientState = 'awaiting-hello';
  user: SessionUser | null = null;
  access: Access | null = null;
  session: BoardSession | null = null;
  /** Sync step-2/update frames received so far: the client's own numbering of its updates. */
  receivedUpdates = 0;
  /** Awareness client ids this connection announced; removed for everyone when it leaves. */
  readonly awarenessIds = new Set<number>();
  private durableSeq = 0;
  private sentSeq = 0;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private readonly bucket: TokenBucket;
  private authTimer: NodeJS.Timeout | null;

  constructor(
    /** For logs: distinguishes connections of the same user. Not a secret. */
    readonly id: string,
    private readonly connection: Connection,
    readonly boardId: string,
    private readonly joiner: ClientJoiner,
    private readonly limits: LimitsConfig,
    private readonly log: Logger,
    clock: () => number,
  ) {
    this.bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, clock, limits.messageCatchUpSeconds);
    this.authTimer = setTimeout(() => {
      this.authTimer = null;
      // After the event loop was busy, expired timers run before the poll phase reads what arrived
      // meanwhile: a Hello sent in time may be waiting in the socket. Decide after one poll phase
      // (setImmediate runs right after it), so only a socket that sent nothing valid is refused.
      setImmediate(() => {
        if (this.state === 'awaiting-hello') this.fail(CloseCode.Unauthorized, 'no Hello frame within the authentication timeout');
      });
    }, limits.authTimeoutMs);
    this.authTimer.unref?.();
  }

  get remoteAddress(): string | undefined {
    return this.connection.remoteAddress;
  }

  /** A frame from the transport. Never throws. */
  receive(frame: Uint8Array): void {
    if (this.state === 'closed' || this.joiner.closing) return;
    if (frame.byteLength > this.limits.maxPayloadBytes) {
      this.fail(CloseCode.TooLarge, `frame of ${frame.byteLength} bytes exceeds the limit of ${this.limits.maxPayloadBytes}`);
      return;
    }
    if (!this.bucket.take()) {
      this.fail(CloseCode.RateLimited, `more than ${this.limits.messagesPerSecond} messages per second`);
      return;
    }
    switch (this.state) {
      case 'awaiting-hello':
        this.receiveHello(frame);
        return;
      case 'joining':
        this.queuedBytes += frame.byteLength;
        if (this.queuedBytes > this.limits.maxQueuedBytesBeforeReady) {
          this.fail(CloseCode.TooLarge, 'too much data sent before the board was loaded');
          return;
        }
        this.queue.push(frame);
        return;
      case 'ready':
        this.handle(frame);
        return;
    }
  }

  private receiveHello(frame: Uint8Array): void {
    let auth: AuthRequest;
    try {
      auth = decodeHello(frame, CloseCode.Unauthorized);
    } catch (error) {
      this.failWith(error);
      return;
    }
    this.clearAuthTimer();
    this.state = 'joining';
    this.joiner.join(this, auth).catch((error: unknown) => this.failWith(error));
  }

  /** Called by the session once Welcome and sync step 1 are sent: process what queued up meanwhile. */
  becomeReady(session: BoardSession): void {
    this.session = session;
    this.state = 'ready';
    const queued = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const frame of queued) {
      if (this.state !== 'ready') return;
      this.handle(frame);
    }
  }

  private handle(frame: Uint8Array): void {
    try {
      this.session?.handleFrame(this, frame);
    } catch (error) {
      this.failWith(error);
    }
  }

  send(frame: Uint8Array): void {
    if (this.state === 'closed') return;
    if (this.connection.bufferedAmount > this.limits.maxBufferedBytes) {
      this.fail(CloseCode.RateLimited, 'the client is not reading its messages');
      return;
    }
    this.connection.send(frame);
  }

  /** Update `seq` (the client's numbering) is committed; Saved goes out after the batch. */
  markDurable(seq: number): void {
    if (seq > this.durableSeq) this.durableSeq = seq;
  }

  /** Runs after a committed batch (registered by the session), so one Saved covers the whole batch. */
  readonly savedHook = (): void => this.flushSaved();

  /** Sends Saved if anything new became durable since the last one. */
  flushSaved(): void {
    if (this.state !== 'ready' || this.durableSeq <= this.sentSeq) return;
    this.sentSeq = this.durableSeq;
    this.send(encodeSaved(this.durableSeq));
  }

  failWith(error: unknown): void {
    if (error instanceof ProtocolViolation) {
      this.fail(error.code, error.message);
      return;
    }
    this.log.error('unexpected error on a board connection', { client: this.id, boardId: this.boardId, ...errorFields(error) });
    this.fail(INTERNAL_ERROR_CLOSE_CODE as CloseCodeValue, 'internal server error');
  }

  /** Tells the client why (Error frame), then closes with `code`. */
  fail(code: CloseCodeValue, message: string): void {
    if (this.state === 'closed') return;
    this.log.info('closing board connection', {
      client: this.id,
      boardId: this.boardId,
      userId: this.user?.userId,
      code,
      reason: closeCodeName(code),
      message,
    });
    try {
      this.connection.send(encodeError({ code, message }));
    } catch {
      // The transport may already be gone; the close below is what matters.
    }
    this.close(code, message);
  }

  /** Closes without an Error frame (normal shutdown paths use fail()). */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.finish(code);
    // Close reasons are limited to 123 bytes by the WebSocket protocol.
    this.connection.close(code, truncateUtf8(reason, 120));
  }

  /** The transport closed (by the peer or after our close). */
  transportClosed(): void {
    if (this.state !== 'closed') this.finish(null);
  }

  private finish(code: number | null): void {
    this.state = 'closed';
    this.clearAuthTimer();
    this.queue = [];
    this.joiner.clientClosed(this, code);
  }

  private clearAuthTimer(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return text;
  return buffer.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}
