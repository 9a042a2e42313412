// Paces pre-built frames onto sockets at fixed rates. One timer drives every stream: on each tick a
// stream sends however many frames are due by now, so the average rate stays exact even when ticks are
// late, and streams start at staggered phases so they do not all fire in the same tick.
import { clientFrame } from './raw-socket';

export interface FrameSink {
  send(frame: Buffer): void;
  readonly isOpen: boolean;
}

interface Stream {
  sink: FrameSink;
  frames: Buffer[];
  intervalMs: number;
  phaseMs: number;
  /** performance.now() of the stream's first frame; null until the pump runs. */
  startsAt: number | null;
  sent: number;
}

const TICK_MS = 2;
/**
 * When the load generator falls behind (its core was busy), a stream sends at most this many overdue
 * frames in one tick and shifts the rest of its schedule later, as a real client does not send a backlog
 * of pointer events in one burst (which would also trip the server's per-connection rate limit). Frames
 * are delayed, never dropped: a Yjs update stream with a gap would leave every later update waiting for
 * the missing one on the server.
 */
const MAX_CATCH_UP = 2;

export class TrafficPump {
  private readonly streams: Stream[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Frames that could not be sent because the stream ran out of pre-generated messages. */
  exhausted = 0;
  /** Frame slots the schedules were shifted by because the load generator fell behind. */
  deferred = 0;

  /**
   * Adds a stream of pre-encoded messages sent to `sink` at `rateHz`, starting now (or when the pump
   * starts) at a staggered phase.
   */
  add(sink: FrameSink, messages: Uint8Array[], rateHz: number): void {
    const intervalMs = 1000 / rateHz;
    const phaseMs = (this.streams.length * 7.31) % intervalMs;
    const frames = messages.map((m) => clientFrame(m));
    const startsAt = this.timer ? performance.now() + phaseMs : null;
    this.streams.push({ sink, frames, intervalMs, phaseMs, startsAt, sent: 0 });
  }

  start(): void {
    const now = performance.now();
    for (const stream of this.streams) stream.startsAt ??= now + stream.phaseMs;
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  private tick(): void {
    const now = performance.now();
    for (const stream of this.streams) {
      if (!stream.sink.isOpen || stream.startsAt === null || now < stream.startsAt) continue;
      let due = Math.floor((now - stream.startsAt) / stream.intervalMs) + 1;
      if (due - stream.sent > MAX_CATCH_UP) {
        const behind = due - stream.sent - MAX_CATCH_UP;
        stream.startsAt += behind * stream.intervalMs;
        this.deferred += behind;
        due -= behind;
      }
      while (stream.sent < due) {
        const frame = stream.frames[stream.sent];
        if (!frame) {
          this.exhausted += due - stream.sent;
          stream.sent = due;
          break;
        }
        stream.sink.send(frame);
        stream.sent++;
      }
    }
  }

  /** Total frames sent so far. */
  get sent(): number {
    return this.streams.reduce((sum, s) => sum + Math.min(s.sent, s.frames.length), 0);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
