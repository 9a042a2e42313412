// A real client: a Y.Doc and an Awareness synced over the y-websocket protocol (with Redstring's Hello
// and Saved extensions when the server speaks them). Two probes in one process move their own card and
// cursor; each measures how long the other's changes take to arrive, against one clock.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { MessageType } from './protocol';
import { PROBE_CARD_IDS } from './fixtures';
import type { BoardTarget } from './targets';

/** Sent times shared by the probes of one process, so latency is measured against one clock. */
export class LatencyBook {
  readonly moveSentAt = new Map<string, number>();
  readonly cursorSentAt = new Map<string, number>();
  readonly moveLatencies: number[] = [];
  readonly cursorLatencies: number[] = [];
  recording = false;

  reset(): void {
    this.moveLatencies.length = 0;
    this.cursorLatencies.length = 0;
  }
}

export class ProbeClient {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly saveLatencies: number[] = [];
  readonly pingRtts: number[] = [];
  closeCode: number | null = null;
  /** Frames counted for the Saved extension: every sync step 2 and update this client sent. */
  private sentSeq = 0;
  private readonly unsaved: Array<{ seq: number; at: number }> = [];
  private moveSeq = 0;
  private cursorSeq = 0;
  /** Send times of pings still waiting for their pong (pongs come back in order). */
  private readonly pingsInFlight: number[] = [];
  private timers: NodeJS.Timeout[] = [];
  private ws!: WebSocket;

  private constructor(
    readonly index: 0 | 1,
    private readonly book: LatencyBook,
  ) {
    this.awareness.setLocalState({ user: { name: `Probe ${index}`, color: '#8e44ad' }, cursor: null });
  }

  static async join(target: BoardTarget, index: 0 | 1, book: LatencyBook, timeoutMs = 30_000): Promise<ProbeClient> {
    const probe = new ProbeClient(index, book);
    await probe.connect(target, timeoutMs);
    return probe;
  }

  private connect(target: BoardTarget, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`probe ${this.index} did not sync in ${timeoutMs} ms`)), timeoutMs);
      const ws = new WebSocket(target.wsUrl, { perMessageDeflate: false, origin: new URL(target.wsUrl).origin.replace(/^ws/, 'http') });
      this.ws = ws;
      ws.binaryType = 'nodebuffer';
      ws.on('open', () => {
        if (target.hello) ws.send(target.hello);
        else this.sendSyncStep1();
        if (!target.syncs) {
          clearTimeout(timer);
          resolve();
        }
      });
      ws.on('message', (data: Buffer) => {
        const synced = this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), target);
        if (synced) {
          clearTimeout(timer);
          resolve();
        }
      });
      ws.on('pong', () => {
        const sentAt = this.pingsInFlight.shift();
        if (sentAt !== undefined && this.book.recording) this.pingRtts.push(performance.now() - sentAt);
      });
      ws.on('close', (code) => {
        this.closeCode = code;
        clearTimeout(timer);
        reject(new Error(`probe ${this.index} closed with ${code}`));
      });
      ws.on('error', () => undefined);
      this.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === this) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        syncProtocol.writeUpdate(encoder, update);
        this.sendCounted(encoding.toUint8Array(encoder));
      });
      this.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
        if (origin === this) return;
        const changed = added.concat(updated).filter((id) => id === this.doc.clientID);
        if (changed.length === 0) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Awareness);
        encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(this.awareness, changed));
        this.send(encoding.toUint8Array(encoder));
      });
    });
  }

  private sendSyncStep1(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.send(encoding.toUint8Array(encoder));
  }

  /** Handles one server frame; returns true when it completed the initial sync. */
  private receive(message: Uint8Array, target: BoardTarget): boolean {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        const sub = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
        if (encoding.length(encoder) > 1) this.sendCounted(encoding.toUint8Array(encoder));
        return sub === syncProtocol.messageYjsSyncStep2;
      }
      case MessageType.Awareness:
        applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
        this.checkPeerCursor();
        return false;
      case MessageType.Welcome:
        if (target.hello) this.sendSyncStep1();
        return false;
      case MessageType.Saved:
        this.confirmSaved(decoding.readVarUint(decoder));
        return false;
      default:
        return false;
    }
  }

  /** Sends a frame the Saved extension counts (sync step 2 or update). */
  private sendCounted(message: Uint8Array): void {
    this.sentSeq++;
    this.unsaved.push({ seq: this.sentSeq, at: performance.now() });
    this.send(message);
  }

  private send(message: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
  }

  private confirmSaved(upTo: number): void {
    const now = performance.now();
    while (this.unsaved.length > 0 && this.unsaved[0]!.seq <= upTo) {
      const entry = this.unsaved.shift()!;
      if (this.book.recording) this.saveLatencies.push(now - entry.at);
    }
  }

  /** Resolves once the probe cards exist in this doc (the board seed has arrived). */
  async waitForProbeCards(timeoutMs = 30_000): Promise<void> {
    const cards = this.doc.getMap<Y.Map<unknown>>('cards');
    const deadline = performance.now() + timeoutMs;
    while (!PROBE_CARD_IDS.every((id) => cards.has(id))) {
      if (performance.now() > deadline) throw new Error(`probe ${this.index}: board seed never arrived`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const peerCard = cards.get(PROBE_CARD_IDS[1 - this.index]!)!;
    peerCard.observe((event) => {
      if (event.transaction.origin !== this || !event.keysChanged.has('x')) return;
      const key = `${1 - this.index}:${String(peerCard.get('x'))}`;
      const sentAt = this.book.moveSentAt.get(key);
      if (sentAt === undefined) return;
      this.book.moveSentAt.delete(key);
      if (this.book.recording) this.book.moveLatencies.push(performance.now() - sentAt);
    });
  }

  private lastPeerCursorSeq = -1;
  private checkPeerCursor(): void {
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.doc.clientID) continue;
      const probeSeq = (state as { probe?: { index: number; seq: number } }).probe;
      if (!probeSeq || probeSeq.index === this.index || probeSeq.seq === this.lastPeerCursorSeq) continue;
      this.lastPeerCursorSeq = probeSeq.seq;
      const key = `${probeSeq.index}:${probeSeq.seq}`;
      const sentAt = this.book.cursorSentAt.get(key);
      if (sentAt === undefined) continue;
      this.book.cursorSentAt.delete(key);
      if (this.book.recording) this.book.cursorLatencies.push(performance.now() - sentAt);
    }
  }

  /** Starts moving this probe's card at moveHz, its cursor at cursorHz, and pinging every 100 ms. */
  start(moveHz: number, cursorHz: number): void {
    const card = this.doc.getMap<Y.Map<unknown>>('cards').get(PROBE_CARD_IDS[this.index]!)!;
    if (moveHz > 0) {
      this.timers.push(
        setInterval(() => {
          const seq = ++this.moveSeq;
          this.book.moveSentAt.set(`${this.index}:${seq}`, performance.now());
          this.doc.transact(() => {
            card.set('x', seq);
            card.set('y', 40 + this.index * 200);
          });
        }, 1000 / moveHz),
      );
    }
    if (cursorHz > 0) {
      this.timers.push(
        setInterval(() => {
          const seq = ++this.cursorSeq;
          this.book.cursorSentAt.set(`${this.index}:${seq}`, performance.now());
          this.awareness.setLocalState({
            ...this.awareness.getLocalState(),
            cursor: { x: seq % 1000, y: 300 },
            probe: { index: this.index, seq },
          });
        }, 1000 / cursorHz),
      );
    }
    this.timers.push(
      setInterval(() => {
        if (this.ws.readyState !== WebSocket.OPEN) return;
        this.pingsInFlight.push(performance.now());
        this.ws.ping();
      }, 100),
    );
  }

  /** Forgets samples taken so far (warm-up). */
  resetSamples(): void {
    this.saveLatencies.length = 0;
    this.pingRtts.length = 0;
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  close(): void {
    this.stop();
    this.ws.removeAllListeners('close');
    this.ws.close();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
