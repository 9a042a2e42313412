// Sending one notice to a thousand sockets is a thousand socket writes. Done in one go that stalls the
// event loop for 10-20 ms, and every live edit on every board waits behind it. So a fan-out bigger
// than one slice goes out a slice of sockets per event-loop turn, in the order it was asked for
// (the addressees' tabs first), and notices reach each socket in the order they were sent.
import type { Server } from 'socket.io';
import { eventFrame, sendDirect } from './direct-frame';

/** Socket writes per event-loop turn: small enough to keep a turn around a millisecond. */
export const SOCKETS_PER_TURN = 64;

interface Delivery {
  socketIds: string[];
  event: string;
  payload: unknown;
  /** Index of the next socket to write to. */
  next: number;
  /** Its WebSocket frame, encoded once for every socket that can take it directly. */
  frame: Buffer[] | null;
}

export class PacedFanOut {
  private readonly queue: Delivery[] = [];
  private scheduled = false;
  /** Socket writes that went straight to the WebSocket / through socket.io (metrics and tests). */
  readonly writes = { direct: 0, socketIo: 0 };

  constructor(
    private readonly io: Server,
    private readonly socketsPerTurn = SOCKETS_PER_TURN,
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

  /** Emits `event` to each socket, at once if it fits in this turn and nothing waits, else paced. */
  send(socketIds: ReadonlySet<string>, event: string, payload: unknown): void {
    if (socketIds.size === 0) return;
    const delivery: Delivery = { socketIds: [...socketIds], event, payload, next: 0, frame: null };
    if (this.queue.length === 0 && delivery.socketIds.length <= this.socketsPerTurn) {
      this.emit(delivery, delivery.socketIds.length);
      return;
    }
    this.queue.push(delivery);
    this.schedule();
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

  private readonly pump = (): void => {
    this.scheduled = false;
    let budget = this.socketsPerTurn;
    while (budget > 0 && this.queue.length > 0) {
      const delivery = this.queue[0]!;
      budget -= this.emit(delivery, budget);
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
      delivery.frame ??= eventFrame(delivery.event, delivery.payload);
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
