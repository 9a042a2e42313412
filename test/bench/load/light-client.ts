// A light protocol client: joins a board, answers the sync handshake with pre-encoded frames, sends
// pre-encoded updates when told to, and counts what the server fans out without decoding it.
import * as decoding from 'lib0/decoding';
import { clientFrame, openRawSocket, type RawSocket } from './raw-socket';
import { emptySyncStep1, emptySyncStep2, SyncSubType } from './messages';
import { MessageType } from './protocol';
import type { BoardTarget } from './targets';

const EMPTY_STEP1_FRAME = clientFrame(emptySyncStep1());
const EMPTY_STEP2_FRAME = clientFrame(emptySyncStep2());

export interface LightClientCounters {
  updates: number;
  awareness: number;
  saved: number;
}

export class LightClient {
  readonly counters: LightClientCounters = { updates: 0, awareness: 0, saved: 0 };
  closeCode: number | null = null;
  /** Highest sequence number the server confirmed as durably stored (Redstring's Saved frame). */
  lastSaved = 0;
  /** Frames sent that the Saved extension counts (sync step 2 and updates sent via sendUpdate). */
  sentSeq = 0;
  errorMessage: string | null = null;
  /** Milliseconds from opening the socket to holding the whole board (sync step 2 received). */
  joinMs = 0;
  private socket: RawSocket | null = null;
  private onWelcome: (() => void) | null = null;
  private onSynced: (() => void) | null = null;
  private onClosed: ((reason: Error) => void) | null = null;

  /** Opens the socket, authenticates when needed and waits until the server has sent the whole board. */
  static async join(target: BoardTarget, timeoutMs = 30_000): Promise<LightClient> {
    const client = new LightClient();
    await client.connect(target, timeoutMs);
    return client;
  }

  private async connect(target: BoardTarget, timeoutMs: number): Promise<void> {
    const started = performance.now();
    const closed = new Promise<never>((_, reject) => (this.onClosed = reject));
    closed.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error(`join timed out after ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
    });
    const synced = new Promise<void>((resolve) => (this.onSynced = resolve));
    this.socket = await Promise.race([
      openRawSocket(target.wsUrl, {
        wantsPayload: (head) => head[0] === MessageType.Error || head[0] === MessageType.Saved,
        onFrame: (head, _length, payload) => this.handleFrame(head, payload),
        onClose: (code) => {
          this.closeCode = code;
          this.onClosed?.(new Error(`closed with ${code ?? 'no code'}${this.errorMessage ? `: ${this.errorMessage}` : ''}`));
        },
      }),
      timeout,
    ]);
    if (target.hello) {
      const welcomed = new Promise<void>((resolve) => (this.onWelcome = resolve));
      this.socket.send(clientFrame(target.hello));
      await Promise.race([welcomed, closed, timeout]);
    }
    this.socket.send(EMPTY_STEP1_FRAME);
    if (target.syncs) await Promise.race([synced, closed, timeout]);
    this.joinMs = performance.now() - started;
  }

  private handleFrame(head: Uint8Array, payload: Buffer | null): void {
    const type = head[0];
    if (type === MessageType.Awareness) {
      this.counters.awareness++;
    } else if (type === MessageType.Sync) {
      const sub = head[1];
      if (sub === SyncSubType.Update) this.counters.updates++;
      else if (sub === SyncSubType.Step1) {
        this.sentSeq++;
        this.socket?.send(EMPTY_STEP2_FRAME);
      }
      else if (sub === SyncSubType.Step2) this.onSynced?.();
    } else if (type === MessageType.Saved) {
      this.counters.saved++;
      if (payload) this.lastSaved = decoding.readVarUint(decoding.createDecoder(payload.subarray(1)));
    } else if (type === MessageType.Welcome) {
      this.onWelcome?.();
    } else if (type === MessageType.Error && payload) {
      // varUint type, varString JSON; the JSON starts after the length prefix
      const text = payload.subarray(1).toString('utf8');
      this.errorMessage = text.slice(text.indexOf('{'));
    }
  }

  /** Sends a pre-built sync update frame and counts it for Saved. */
  sendUpdate(frame: Buffer): void {
    this.sentSeq++;
    this.socket?.send(frame);
  }

  /** Resolves once the server has confirmed `seq` (default: everything sent) as stored. */
  async waitSaved(seq = this.sentSeq, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.lastSaved < seq) {
      if (!this.isOpen || performance.now() > deadline) throw new Error(`update ${seq} was never confirmed as saved (last ${this.lastSaved})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Sends a pre-built frame (see clientFrame). */
  send(frame: Buffer): void {
    this.socket?.send(frame);
  }

  get isOpen(): boolean {
    return this.socket?.isOpen ?? false;
  }

  get writeBacklog(): number {
    return this.socket?.writeBacklog ?? 0;
  }

  close(): void {
    this.socket?.close();
  }
}
