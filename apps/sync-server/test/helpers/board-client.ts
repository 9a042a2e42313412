// A real y-websocket client in Node: the stock WebsocketProvider with a `ws` WebSocket subclass that sends
// the Hello frame on open (before the provider's sync step 1), counts the update frames it sends the way
// the protocol numbers them, and records every frame type it receives.
import * as decoding from 'lib0/decoding';
import { WebSocket as NodeWebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { HttpPaths, MessageType, type HelloReply } from '@redstring/model';
import { encodeHello } from '../../src/index';

export interface BoardClientOptions {
  wsUrl: string;
  boardId: string;
  boardToken: string;
  sessionToken: string;
  doc?: Y.Doc;
  /** Origin header to send (Node clients send none by default). */
  origin?: string;
}

export interface ClientEvents {
  /** Message types received, in order (first varUint of each frame). */
  receivedTypes: number[];
  welcome: HelloReply | null;
  errors: { code: number; message: string }[];
  closes: { code: number; reason: string }[];
  /** Highest seq the server reported durable. */
  saved: number;
  /** Update frames sent on the current connection (the protocol's numbering). */
  sent: number;
}

// Every WebsocketProvider adds a process 'exit' listener; tests open dozens at once.
process.setMaxListeners(200);

/** Is this outgoing frame one the client numbers (Sync step 2 or update)? */
function isNumberedUpdate(frame: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(frame);
    return decoding.readVarUint(decoder) === MessageType.Sync && decoding.readVarUint(decoder) !== 0;
  } catch {
    return false;
  }
}

export class TestBoardClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly events: ClientEvents = { receivedTypes: [], welcome: null, errors: [], closes: [], saved: 0, sent: 0 };
  /** Called with (seq) each time a numbered update frame is sent (to record what it covered). */
  onNumberedSend: ((seq: number) => void) | null = null;
  /** Called with the new durable seq each time a Saved frame arrives. */
  onSaved: ((seq: number) => void) | null = null;
  private readonly savedWaiters: { seq: number; resolve: () => void }[] = [];

  constructor(readonly options: BoardClientOptions) {
    this.doc = options.doc ?? new Y.Doc();
    const client = this;
    const hello = encodeHello({ boardToken: options.boardToken, sessionToken: options.sessionToken });
    class HelloWebSocket extends NodeWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, options.origin ? { origin: options.origin } : {});
        client.events.sent = 0;
        client.events.saved = 0;
        this.on('open', () => super.send(hello));
        this.on('message', (data: Buffer) => {
          const bytes = new Uint8Array(data);
          try {
            client.events.receivedTypes.push(decoding.readVarUint(decoding.createDecoder(bytes)));
          } catch {
            client.events.receivedTypes.push(-1);
          }
        });
        this.on('close', (code: number, reason: Buffer) => client.events.closes.push({ code, reason: reason.toString() }));
      }

      override send(data: unknown, ...rest: unknown[]): void {
        if (data instanceof Uint8Array && isNumberedUpdate(data)) {
          client.events.sent++;
          client.onNumberedSend?.(client.events.sent);
        }
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    const serverUrl = options.wsUrl + HttpPaths.boardSocket(options.boardId).replace(/\/[^/]+$/, '');
    this.provider = new WebsocketProvider(serverUrl, options.boardId, this.doc, {
      WebSocketPolyfill: HelloWebSocket as unknown as typeof WebSocket,
      disableBc: true,
      maxBackoffTime: 300,
    });
    this.provider.messageHandlers[MessageType.Welcome] = (_encoder, decoder) => {
      this.events.welcome = JSON.parse(decoding.readVarString(decoder)) as HelloReply;
    };
    this.provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
      this.events.saved = Math.max(this.events.saved, decoding.readVarUint(decoder));
      this.onSaved?.(this.events.saved);
      for (const waiter of [...this.savedWaiters]) {
        if (this.events.saved >= waiter.seq) {
          this.savedWaiters.splice(this.savedWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    };
    this.provider.messageHandlers[MessageType.Error] = (_encoder, decoder) => {
      this.events.errors.push(JSON.parse(decoding.readVarString(decoder)) as { code: number; message: string });
    };
  }

  synced(timeoutMs = 10_000): Promise<void> {
    if (this.provider.synced) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => {
        const onSync = (state: boolean): void => {
          if (!state) return;
          this.provider.off('sync', onSync);
          resolve();
        };
        this.provider.on('sync', onSync);
      }),
      timeoutMs,
      'sync',
    );
  }

  /** Resolves once everything this client has sent so far is confirmed durable. */
  allSaved(timeoutMs = 10_000): Promise<void> {
    const seq = this.events.sent;
    if (this.events.saved >= seq) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => this.savedWaiters.push({ seq, resolve })), timeoutMs, `Saved ${seq}`);
  }

  /** Resolves when the connection is closed by the server; returns the close. */
  closedByServer(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    return waitFor(() => this.events.closes[0], timeoutMs, 'close');
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

export function connectBoard(options: BoardClientOptions): TestBoardClient {
  return new TestBoardClient(options);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** Polls `probe` until it returns something other than undefined/false. */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
