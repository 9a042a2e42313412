// A bare board socket: sends exactly the bytes it is given and records everything that comes back.
// Used for hostile input, the authorization matrix, and to fetch the server's copy of a board
// without a provider that would send anything of its own.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { HttpPaths, type AuthRequest } from '@redstring/model';
import { carriesBoardData, helloFrame, readInbound, syncStep1Frame, toBytes, type InboundFrame } from './wire';

export type SocketEnd =
  /** The server answered the upgrade with an HTTP status instead of a WebSocket. */
  | { kind: 'http'; status: number }
  | { kind: 'closed'; code: number; reason: string }
  /** Connection failed below HTTP (refused, reset). */
  | { kind: 'failed'; message: string };

export interface RawSocketOptions {
  origin?: string;
  /** Raw path instead of the encoded board path (for odd ids sent verbatim). */
  rawPath?: string;
}

export class RawBoardSocket {
  readonly frames: InboundFrame[] = [];
  readonly ended: Promise<SocketEnd>;
  private endValue: SocketEnd | null = null;
  readonly ws: WebSocket;
  readonly opened: Promise<boolean>;

  constructor(baseWsUrl: string, boardId: string, options: RawSocketOptions = {}) {
    const path = options.rawPath ?? HttpPaths.boardSocket(boardId);
    this.ws = new WebSocket(baseWsUrl + path, options.origin === undefined ? {} : { origin: options.origin });
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('message', (data: WebSocket.RawData) => this.frames.push(readInbound(toBytes(data))));
    this.ended = new Promise<SocketEnd>((resolve) => {
      const finish = (end: SocketEnd) => {
        if (this.endValue) return;
        this.endValue = end;
        resolve(end);
      };
      this.ws.on('unexpected-response', (_request, response) => {
        finish({ kind: 'http', status: response.statusCode ?? 0 });
        response.resume();
        this.ws.terminate();
      });
      this.ws.on('close', (code: number, reason: Buffer) => finish({ kind: 'closed', code, reason: reason.toString() }));
      this.ws.on('error', (error: Error) => {
        // ws emits error then close for most failures; keep the close code when one follows.
        setTimeout(() => finish({ kind: 'failed', message: error.message }), 50);
      });
    });
    this.opened = new Promise<boolean>((resolve) => {
      this.ws.once('open', () => resolve(true));
      void this.ended.then(() => resolve(false));
    });
  }

  get end(): SocketEnd | null {
    return this.endValue;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(data: Uint8Array | string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  sendHello(auth: AuthRequest): void {
    this.send(helloFrame(auth));
  }

  /** Board content (sync or awareness) received so far. */
  boardDataFrames(): InboundFrame[] {
    return this.frames.filter(carriesBoardData);
  }

  welcomed(): boolean {
    return this.frames.some((f) => f.kind === 'welcome');
  }

  /** Waits for the connection to end, or gives up after `ms` (null). */
  async waitEnd(ms: number): Promise<SocketEnd | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
    const result = await Promise.race([this.ended, timeout]);
    clearTimeout(timer);
    return result;
  }

  async waitFor(predicate: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (predicate()) return true;
      if (this.endValue) return predicate();
      await new Promise((r) => setTimeout(r, 10));
    }
    return predicate();
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/**
 * The server's current copy of a board, as a fresh client that has never seen it receives it.
 * Sends nothing but Hello and an empty sync step 1, so fetching cannot change the board.
 */
export async function fetchBoardCopy(baseWsUrl: string, boardId: string, auth: AuthRequest, timeoutMs = 10000): Promise<Y.Doc> {
  const socket = new RawBoardSocket(baseWsUrl, boardId);
  try {
    if (!(await socket.opened)) throw new Error(`fetch ${boardId}: socket did not open: ${JSON.stringify(socket.end)}`);
    socket.sendHello(auth);
    socket.send(syncStep1Frame(new Y.Doc()));
    const gotStep2 = await socket.waitFor(() => socket.frames.some((f) => f.kind === 'sync-step2'), timeoutMs);
    if (!gotStep2) {
      throw new Error(
        `fetch ${boardId}: no sync step 2 within ${timeoutMs} ms; end=${JSON.stringify(socket.end)} frames=${JSON.stringify(socket.frames.map((f) => f.kind))}`,
      );
    }
    const doc = new Y.Doc();
    for (const frame of socket.frames) {
      if (frame.kind === 'sync-step2' || frame.kind === 'sync-update') Y.applyUpdate(doc, frame.update);
    }
    return doc;
  } finally {
    socket.terminate();
  }
}
