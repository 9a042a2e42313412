// One board's live document: a stock y-websocket provider whose socket first says Hello (board token +
// session), numbers the document frames it sends, and turns the server's Saved/Welcome/Error frames and
// close codes into state the UI shows. The document is also kept in this browser (y-indexeddb), so edits
// made offline survive closing the tab and are sent when the board is next open with a connection.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type { Access, AuthRequest, HelloReply } from '@redstring/model';
import { CloseCode, HttpPaths, MessageType } from '@redstring/model';
import { carriesDocumentUpdate, encodeHello, readServerError, readWelcome, toBytes } from './frames';
import { IndexeddbPersistence } from 'y-indexeddb';
import { applyWithoutReencoding } from './quiet-apply';
import { SavedTracker, type SaveState } from './saved-tracker';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'failed';

export interface BoardConnectionProblem {
  code: number | string;
  message: string;
  /** True when reconnecting cannot help (wrong link, board gone). */
  fatal: boolean;
}

interface SocketHooks {
  opened(): void;
  documentFrameSent(): void;
}

/** A WebSocket class for WebsocketProvider that authenticates first and counts document frames. */
export function helloSocketClass(auth: AuthRequest, hooks: SocketHooks): typeof WebSocket {
  return class HelloWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // Registered before the provider's onopen, so Hello precedes sync step 1.
      this.addEventListener('open', () => {
        super.send(encodeHello(auth));
        hooks.opened();
      });
    }

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const bytes = toBytes(data);
      super.send(data);
      if (bytes && carriesDocumentUpdate(bytes)) hooks.documentFrameSent();
    }
  };
}

export function describeClose(code: number, serverMessage?: string): BoardConnectionProblem | undefined {
  switch (code) {
    case CloseCode.Unauthorized:
      return { code, fatal: true, message: 'Your session was not accepted. Reload the page to sign in again.' };
    case CloseCode.Forbidden:
      return { code, fatal: true, message: 'This link is not valid for this board. Ask for a new link.' };
    case CloseCode.NotFound:
      return { code, fatal: true, message: 'This board does not exist. Check the link.' };
    case CloseCode.TooLarge:
      return { code, fatal: false, message: 'A change was too large for the server and was not saved. Reconnecting…' };
    case CloseCode.RateLimited:
      return { code, fatal: false, message: 'Too many changes at once; the server slowed this tab down. Reconnecting…' };
    case CloseCode.ProtocolError:
      return { code, fatal: false, message: serverMessage ?? 'The server could not read a message from this tab. Reconnecting…' };
    case CloseCode.LoadFailed:
      return { code, fatal: false, message: 'The board could not be loaded right now. Retrying…' };
    case CloseCode.ServerShutdown:
      return { code, fatal: false, message: 'The server is restarting. Reconnecting…' };
    default:
      return undefined;
  }
}

const FATAL_CODES = new Set<number>([CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.NotFound]);

export interface BoardConnectionOptions {
  boardId: string;
  boardToken: string;
  sessionToken: string;
  /** ws(s)://host — defaults to this page's origin. */
  wsOrigin?: string;
  /** Keep a copy of the board in this browser's IndexedDB (default: wherever IndexedDB exists). */
  persist?: boolean;
}

/** The IndexedDB database holding this browser's copy of a board. */
export function localBoardDatabase(boardId: string): string {
  return `redstring-board:${boardId}`;
}

/** Connect anyway if the local copy has not loaded by then (IndexedDB unavailable or very slow). */
const LOCAL_COPY_WAIT_MS = 3000;

export class BoardConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly awareness: Awareness;
  /** This browser's copy of the board; undefined when not kept. */
  readonly localCopy: IndexeddbPersistence | undefined;
  status: ConnectionStatus = 'connecting';
  access: Access | undefined;
  welcome: HelloReply | undefined;
  problem: BoardConnectionProblem | undefined;
  /** The first full sync with the server finished (the board's content is here). */
  loaded = false;
  /** This browser's copy of the board is in the document (it may show the board before the server has). */
  localCopyLoaded = false;
  private readonly tracker = new SavedTracker();
  private everConnected = false;
  private destroyed = false;
  private lastServerError: string | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly disposers: (() => void)[] = [];

  constructor(readonly options: BoardConnectionOptions) {
    const wsOrigin = options.wsOrigin ?? location.origin.replace(/^http/, 'ws');
    const socketClass = helloSocketClass(
      { boardToken: options.boardToken, sessionToken: options.sessionToken },
      {
        opened: () => {
          this.tracker.connectionOpened();
          this.everConnected = true;
          this.setStatus('connected');
        },
        documentFrameSent: () => {
          this.tracker.frameSent();
          this.notify();
        },
      },
    );
    // The provider appends `/${boardId}` to this URL.
    const base = HttpPaths.boardSocket(options.boardId).replace(/\/[^/]*$/, '');
    this.provider = new WebsocketProvider(`${wsOrigin}${base}`, encodeURIComponent(options.boardId), this.doc, {
      connect: false,
      WebSocketPolyfill: socketClass,
      disableBc: true,
      maxBackoffTime: 4000,
      shouldReconnect: (event) => !FATAL_CODES.has(event.code),
    });
    this.awareness = this.provider.awareness;
    this.localCopy = (options.persist ?? typeof indexedDB !== 'undefined') ? new IndexeddbPersistence(localBoardDatabase(options.boardId), this.doc) : undefined;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === this.provider) return;
      this.tracker.localEdit();
      this.notify();
    };

    // Documents from the server (sync step 2, updates) are applied without Yjs encoding them again for
    // the 'update' listeners, which ignore them anyway (see quiet-apply.ts); otherwise as y-websocket does.
    const handleSyncFrame = this.provider.messageHandlers[MessageType.Sync];
    if (handleSyncFrame) {
      this.provider.messageHandlers[MessageType.Sync] = (encoder, decoder, provider, emitSynced, messageType) => {
        const syncType = decoding.peekVarUint(decoder);
        if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) {
          handleSyncFrame(encoder, decoder, provider, emitSynced, messageType);
          return;
        }
        decoding.readVarUint(decoder);
        encoding.writeVarUint(encoder, MessageType.Sync);
        const listeners = [provider._updateHandler, onUpdate, ...(this.localCopy ? [this.localCopy._storeUpdate] : [])];
        try {
          applyWithoutReencoding(this.doc, decoding.readVarUint8Array(decoder), provider, listeners);
        } catch (error) {
          console.error('Caught error while handling a Yjs update', error);
        }
        if (emitSynced && syncType === syncProtocol.messageYjsSyncStep2 && !provider.synced) provider.synced = true;
      };
    }

    this.provider.messageHandlers[MessageType.Saved] = (_enc, decoder) => {
      this.tracker.confirmed(decoding.readVarUint(decoder));
      this.notify();
    };
    this.provider.messageHandlers[MessageType.Welcome] = (_enc, decoder) => {
      const welcome = readWelcome(decoder);
      if (welcome) {
        this.welcome = welcome;
        this.access = welcome.access;
        this.problem = undefined;
        this.notify();
      }
    };
    this.provider.messageHandlers[MessageType.Error] = (_enc, decoder) => {
      this.lastServerError = readServerError(decoder)?.message;
    };

    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (status === 'connected') return; // the socket's open hook already said so
      if (!navigator.onLine) this.setStatus('offline');
      else if (status === 'connecting') this.setStatus(this.everConnected ? 'reconnecting' : 'connecting');
      else this.setStatus(this.provider.shouldConnect ? 'reconnecting' : 'offline');
    };
    const onSync = (synced: boolean) => {
      if (synced && !this.loaded) {
        this.loaded = true;
        this.notify();
      }
    };
    // The provider reports the close of its current socket at once, even when the browser went offline and
    // the socket's own close handshake is still pending.
    const onConnectionClose = (event: CloseEvent | null) => {
      this.tracker.connectionClosed();
      this.notify();
      if (!event) return;
      const problem = describeClose(event.code, this.lastServerError);
      this.lastServerError = undefined;
      if (problem) {
        this.problem = problem;
        if (problem.fatal) this.setStatus('failed');
        this.notify();
      }
    };
    this.provider.on('status', onStatus);
    this.provider.on('sync', onSync);
    this.provider.on('connection-close', onConnectionClose);

    this.doc.on('update', onUpdate);

    // Browsers know about lost networks before TCP does: drop to offline at once, resume when back.
    const onOffline = () => {
      this.provider.disconnect();
      this.setStatus('offline');
    };
    const onOnline = () => {
      if (this.status === 'failed') return;
      this.setStatus('reconnecting');
      this.provider.connect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    this.disposers.push(
      () => this.provider.off('status', onStatus),
      () => this.provider.off('sync', onSync),
      () => this.provider.off('connection-close', onConnectionClose),
      () => this.doc.off('update', onUpdate),
      () => window.removeEventListener('offline', onOffline),
      () => window.removeEventListener('online', onOnline),
    );

    if (!navigator.onLine) this.status = 'offline';
    // Load the local copy first, so the server is asked only for what this browser lacks (and offline
    // edits from an earlier visit go up with the first sync).
    const localCopyLoaded = this.localCopy
      ? Promise.race([
          this.localCopy.whenSynced.then(() => {
            this.localCopyLoaded = true;
            this.notify();
          }),
          new Promise((resolve) => setTimeout(resolve, LOCAL_COPY_WAIT_MS)),
        ])
      : Promise.resolve();
    void localCopyLoaded.then(() => {
      if (!this.destroyed && navigator.onLine && !this.provider.wsconnected && !this.provider.wsconnecting) this.provider.connect();
    });
  }

  get saveState(): SaveState {
    return this.tracker.state;
  }

  get editable(): boolean {
    return this.access === 'editor';
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.destroyed = true;
    for (const d of this.disposers) d();
    void this.localCopy?.destroy();
    this.provider.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === 'failed' && status !== 'failed') return;
    if (status === 'connected' && this.problem && !this.problem.fatal) this.problem = undefined;
    this.status = status;
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
