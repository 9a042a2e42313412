// A bare WebSocket speaking the protocol by hand: for handshakes gone wrong and hostile frames.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket } from 'ws';
import type * as Y from 'yjs';
import { HttpPaths, MessageType } from '@redstring/model';
import { encodeHello } from '../../src/index';

export interface ReceivedFrame {
  type: number;
  bytes: Uint8Array;
}

export class RawSocket {
  readonly ws: WebSocket;
  readonly frames: ReceivedFrame[] = [];
  close: { code: number; reason: string } | null = null;
  readonly opened: Promise<void>;
  private listeners: (() => void)[] = [];

  constructor(wsUrl: string, boardId: string, options: { origin?: string; path?: string } = {}) {
    this.ws = new WebSocket(wsUrl + (options.path ?? HttpPaths.boardSocket(boardId)), options.origin ? { origin: options.origin } : {});
    this.ws.binaryType = 'nodebuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data);
      let type = -1;
      try {
        type = decoding.readVarUint(decoding.createDecoder(bytes));
      } catch {
        // recorded as -1
      }
      this.frames.push({ type, bytes });
      this.notify();
    });
    this.ws.on('close', (code, reason) => {
      this.close = { code, reason: reason.toString() };
      this.notify();
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  hello(boardToken: string, sessionToken: string): void {
    this.send(encodeHello({ boardToken, sessionToken }));
  }

  types(): number[] {
    return this.frames.map((f) => f.type);
  }

  /** The JSON payloads of Error frames received. */
  errors(): { code: number; message: string }[] {
    return this.frames
      .filter((f) => f.type === MessageType.Error)
      .map((f) => {
        const decoder = decoding.createDecoder(f.bytes);
        decoding.readVarUint(decoder);
        return JSON.parse(decoding.readVarString(decoder)) as { code: number; message: string };
      });
  }

  savedSeq(): number {
    let seq = 0;
    for (const f of this.frames) {
      if (f.type !== MessageType.Saved) continue;
      const decoder = decoding.createDecoder(f.bytes);
      decoding.readVarUint(decoder);
      seq = Math.max(seq, decoding.readVarUint(decoder));
    }
    return seq;
  }

  private notify(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  /** Resolves as soon as `probe` holds, re-checking on every frame and on close (no polling). */
  until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else if (this.close !== null && what !== 'server close') {
          clearTimeout(timer);
          reject(new Error(`closed (${this.close.code} ${this.close.reason}) while waiting for ${what}`));
        } else {
          this.listeners.push(check);
        }
      };
      check();
    });
  }

  waitForClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.close ?? undefined, timeoutMs, 'server close');
  }

  waitForType(type: number, timeoutMs = 5000): Promise<ReceivedFrame> {
    return this.until(() => this.frames.find((f) => f.type === type), timeoutMs, `frame type ${type}`);
  }

  /** Resolves when a frame beyond the first `count` arrives, or the socket closes. */
  answerOrClose(count: number, timeoutMs = 5000): Promise<true> {
    return this.until(() => (this.close !== null || this.frames.length > count ? true : undefined), timeoutMs, 'server close');
  }
}

export function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}
