// A responder's board client as the product's clients build it: the stock y-websocket provider over a
// `ws` socket that says Hello first. It also keeps the books the fault rows need: which updates it
// sent on which connection, and which of them the server confirmed as durably saved.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HttpPaths, MessageType, type AuthRequest, type HelloReply } from '@redstring/model';
import { countedUpdate, helloFrame, readInbound, toBytes } from './wire';

type FrameData = Parameters<WebSocket['send']>[0];

export interface BoardClientOptions {
  /** ws://host:port of the server or of a proxy in front of it. */
  baseWsUrl: string;
  boardId: string;
  auth: AuthRequest;
  /** Fixes the Y.Doc clientID, so a seeded run creates the same structs. */
  clientId?: number;
  origin?: string;
  /** Longest wait between reconnect attempts (the provider's default is 2.5 s). */
  maxBackoffMs?: number;
  connect?: boolean;
}

/** One WebSocket connection's books: the server numbers counted frames per connection. */
export class ConnectionRecord {
  readonly sent: Uint8Array[] = [];
  /** Local-update counter of the client when each counted frame was sent. */
  readonly sentAtLocal: number[] = [];
  savedSeq = 0;
  welcome: HelloReply | null = null;
  sentStep2 = false;
  open = false;
  closeCode: number | null = null;
  readonly errors: { code: string; message: string }[] = [];
  /** Saved numbers that went down or beyond what was sent: protocol violations. */
  readonly anomalies: string[] = [];

  constructor(readonly id: number) {}

  confirmed(): Uint8Array[] {
    return this.sent.slice(0, this.savedSeq);
  }
}

export class BoardClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly connections: ConnectionRecord[] = [];
  /** Updates made by this client's own transactions, in order. */
  readonly localUpdates: Uint8Array[] = [];
  private current: ConnectionRecord | null = null;
  /** Index into the flattened confirmed list already handed out by takeNewlyConfirmed. */
  private readonly handedOut = new Map<ConnectionRecord, number>();

  constructor(readonly options: BoardClientOptions) {
    // Each stock provider adds a process 'exit' listener; rows run dozens of clients in one process.
    if (process.getMaxListeners() < 500) process.setMaxListeners(500);
    this.doc = new Y.Doc();
    if (options.clientId !== undefined) this.doc.clientID = options.clientId;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider) this.localUpdates.push(update);
    });
    this.provider = new WebsocketProvider(
      options.baseWsUrl + HttpPaths.boardSocket('').replace(/\/$/, ''),
      encodeURIComponent(options.boardId),
      this.doc,
      {
        connect: options.connect ?? true,
        disableBc: true,
        maxBackoffTime: options.maxBackoffMs ?? 500,
        WebSocketPolyfill: this.socketClass() as unknown as typeof globalThis.WebSocket,
      },
    );
    // The stock provider has no handlers for Redstring's frames; the socket class reads them.
    for (const type of [MessageType.Welcome, MessageType.Saved, MessageType.Error]) {
      this.provider.messageHandlers[type] = () => {};
    }
  }

  get connection(): ConnectionRecord | null {
    return this.current;
  }

  get connected(): boolean {
    return this.current?.open === true && this.current.welcome !== null;
  }

  /**
   * True when everything this client changed locally is confirmed durable on the current connection:
   * its sync reply went out, every frame after it is confirmed, and nothing changed since the last one.
   */
  get allSaved(): boolean {
    const c = this.current;
    if (!c || !c.open || !c.sentStep2 || c.savedSeq !== c.sent.length) return false;
    const lastAt = c.sentAtLocal[c.sentAtLocal.length - 1] ?? -1;
    return lastAt === this.localUpdates.length;
  }

  /** Frames sent but not (yet) confirmed on the current connection. */
  get unsavedFrames(): number {
    const c = this.current;
    return c ? c.sent.length - c.savedSeq : 0;
  }

  /** Every update confirmed durable, over all connections so far. */
  confirmedUpdates(): Uint8Array[] {
    return this.connections.flatMap((c) => c.confirmed());
  }

  /** Confirmed updates not returned by an earlier call. */
  takeNewlyConfirmed(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const c of this.connections) {
      const from = this.handedOut.get(c) ?? 0;
      out.push(...c.sent.slice(from, c.savedSeq));
      this.handedOut.set(c, Math.max(from, c.savedSeq));
    }
    return out;
  }

  anomalies(): string[] {
    return this.connections.flatMap((c) => c.anomalies.map((a) => `connection ${c.id}: ${a}`));
  }

  disconnect(): void {
    this.provider.disconnect();
  }

  connect(): void {
    this.provider.connect();
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }

  private socketClass(): new (url: string, protocols?: string | string[]) => WebSocket {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const client = this;
    const { auth, origin } = this.options;
    return class HelloSocket extends WebSocket {
      private readonly record: ConnectionRecord;

      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, origin === undefined ? {} : { origin });
        const record = new ConnectionRecord(client.connections.length + 1);
        this.record = record;
        client.connections.push(record);
        client.current = record;
        // Registered before the provider's onopen, so the Hello goes out before sync step 1.
        this.on('open', () => {
          record.open = true;
          super.send(helloFrame(auth));
        });
        this.on('message', (data: WebSocket.RawData) => client.receive(record, toBytes(data)));
        this.on('close', (code: number) => {
          record.open = false;
          record.closeCode = code;
        });
        // A refused or reset connection is routine under faults; the provider reconnects.
        this.on('error', () => {});
      }

      override send(data: FrameData, ...rest: unknown[]): void {
        const bytes = toBytes(data);
        const update = countedUpdate(bytes);
        if (update !== null && this.record.open) {
          this.record.sent.push(update);
          this.record.sentAtLocal.push(client.localUpdates.length);
          if (readInbound(bytes).kind === 'sync-step2') this.record.sentStep2 = true;
        }
        (super.send as (data: FrameData, ...rest: unknown[]) => void)(data, ...rest);
      }
    };
  }

  private receive(record: ConnectionRecord, bytes: Uint8Array): void {
    const frame = readInbound(bytes);
    switch (frame.kind) {
      case 'welcome':
        record.welcome = frame.reply as HelloReply;
        break;
      case 'saved':
        if (frame.seq < record.savedSeq) record.anomalies.push(`Saved went back from ${record.savedSeq} to ${frame.seq}`);
        if (frame.seq > record.sent.length) record.anomalies.push(`Saved ${frame.seq} but only ${record.sent.length} sent`);
        record.savedSeq = Math.max(record.savedSeq, Math.min(frame.seq, record.sent.length));
        break;
      case 'error':
        record.errors.push({ code: frame.code, message: frame.message });
        break;
      default:
        break;
    }
  }
}
