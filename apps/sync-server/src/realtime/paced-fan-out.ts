// Sending one notice to a thousand sockets is a thousand socket writes. Done in one go that stalls the
// event loop for 10-20 ms, and every live edit on every board waits behind it. So a fan-out bigger
// than one slice goes out a slice of sockets per event-loop turn, in the order it was asked for, and
// notices reach each socket in the order they were sent (`sendAhead` excepted, see there).
import type { Server } from 'socket.io';
import { eventFrame, sendDirect } from './direct-frame';

/** Socket writes per event-loop turn: small enough to keep a turn around a millisecond. */
export const SOCKETS_PER_TURN = 64;
/**
 * Bytes per event-loop turn as well: a write's cost grows with the bytes it copies through the kernel,
 * and a crowded board's digest carries up to two seconds of callouts (several KB), so a slice of such
 * writes is cut by size rather than only by count.
 */
export const BYTES_PER_TURN = 32 * 1024;

interface Delivery {
  socketIds: string[];
  event: string;
  payload: unknown;
  /** Index of the next socket to write to. */
  next: number;
  /** Its WebSocket frame, encoded once for every socket that can take it directly. */
  frame: Buffer[];
  /** Sockets per turn for a frame of this size (see BYTES_PER_TURN). */
  perTurn: number;
}

export class PacedFanOut {
  private readonly queue: Delivery[] = [];
  private scheduled = false;
  /** Socket writes that went straight to the WebSocket / through socket.io (metrics and tests). */
  readonly writes = { direct: 0, socketIo: 0 };

  constructor(
    private readonly io: Server,
    private readonly socketsPerTurn = SOCKETS_PER_TURN,
    private readonly bytesPerTurn = BYTES_PER_TURN,
  ) {}

  /** The sockets in any of `rooms`, minus those in `exclude` (read now: later joiners get state on join). */
  socketsIn(rooms: readonly string[], exclude: ReadonlySet<string> = new Set()): Set<string> {
    const found = new Set<string>();
    const adapterRooms = this.io.of('/').adapter.rooms;
    for (const room of rooms) {
      for (const id of adapterRooms.get(room) ?? []) if (!exclude.has(id)) found.add(id);
    }
    return found;
  }

  /** How many sockets are in `room` now. */
  roomSize(room: string): number {
    return this.io.of('/').adapter.rooms.get(room)?.size ?? 0;
  }

  /** Emits `event` to each socket, at once if it fits in this turn and nothing waits, else paced. */
  send(socketIds: ReadonlySet<string>, event: string, payload: unknown): void {
    this.deliver(socketIds, event, payload, false);
  }

  /**
   * Like `send`, but a delivery that fits in one turn goes at once even while others wait: for notices
   * someone is waiting on (a callout for its addressee), which should not queue behind a thousand-tab
   * digest. It may overtake an earlier notice still queued for the same socket, so use it only for
   * records whose newer version wins on the client (callouts do: see CalloutDigest).
   */
  sendAhead(socketIds: ReadonlySet<string>, event: string, payload: unknown): void {
    this.deliver(socketIds, event, payload, true);
  }

  /** Deliveries not yet fully written (for metrics and tests). */
  get backlog(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.pump);
  }

  /** Encodes the frame once and sizes the slices by it; `ahead`: see sendAhead. */
  private deliver(socketIds: ReadonlySet<string>, event: string, payload: unknown, ahead: boolean): void {
    if (socketIds.size === 0) return;
    const frame = eventFrame(event, payload);
    const bytes = frame.reduce((sum, part) => sum + part.byteLength, 0);
    const perTurn = Math.max(1, Math.min(this.socketsPerTurn, Math.floor(this.bytesPerTurn / bytes)));
    const delivery: Delivery = { socketIds: [...socketIds], event, payload, next: 0, frame, perTurn };
    if ((ahead || this.queue.length === 0) && delivery.socketIds.length <= perTurn) {
      this.emit(delivery, delivery.socketIds.length);
      return;
    }
    this.queue.push(delivery);
    this.schedule();
  }

  // One turn's worth of writes: `budget` is the share of the turn not yet used.
  private readonly pump = (): void => {
    this.scheduled = false;
    let budget = 1;
    while (budget > 0 && this.queue.length > 0) {
      const delivery = this.queue[0]!;
      const written = this.emit(delivery, Math.max(1, Math.floor(budget * delivery.perTurn)));
      budget -= written / delivery.perTurn;
      if (delivery.next >= delivery.socketIds.length) this.queue.shift();
    }
    if (this.queue.length > 0) this.schedule();
  };

  /** Writes to up to `max` more sockets of `delivery`; returns how many. */
  private emit(delivery: Delivery, max: number): number {
    const slice = delivery.socketIds.slice(delivery.next, delivery.next + max);
    delivery.next += slice.length;
    const sockets = this.io.of('/').sockets;
    const throughSocketIo: string[] = [];
    for (const id of slice) {
      const socket = sockets.get(id);
      if (!socket) continue; // gone since the delivery was asked for
      if (sendDirect(socket, delivery.frame)) this.writes.direct++;
      else throughSocketIo.push(id);
    }
    // Every socket is in a room named by its id: emitting to those rooms reaches exactly these sockets.
    if (throughSocketIo.length > 0) {
      this.writes.socketIo += throughSocketIo.length;
      this.io.to(throughSocketIo).emit(delivery.event, delivery.payload);
    }
    return slice.length;
  }
}
