// A board fans every edit out to everyone on it. Written one by one, each frame is its own syscall;
// when several edits are read in the same event-loop turn, a client gets several frames, and the
// kernel call per frame is most of what fan-out costs. So a socket written to during a turn is corked
// until the turn's I/O callbacks are done and the boards' fan-outs collected (see end-of-turn.ts), and
// its frames leave in one writev. Writes made inside `endOfTurn.now` are not held (a socket already
// corked this turn still queues them behind its earlier frames, so order holds).
import type { Duplex } from 'node:stream';
import { endOfTurn as defaultEndOfTurn, type EndOfTurn } from '../end-of-turn';

export class WriteCoalescer {
  private corked = new Set<Duplex>();
  private scheduled = false;

  constructor(private readonly endOfTurn: EndOfTurn = defaultEndOfTurn) {}

  /** Call before writing to `socket`: holds its writes until the end of this turn's I/O phase. */
  hold(socket: Duplex): void {
    if (this.corked.has(socket) || socket.destroyed || this.endOfTurn.sendingNow) return;
    socket.cork();
    this.corked.add(socket);
    if (!this.scheduled) {
      this.scheduled = true;
      this.endOfTurn.release(this.release);
    }
  }

  private readonly release = (): void => {
    this.scheduled = false;
    const sockets = this.corked;
    this.corked = new Set();
    for (const socket of sockets) socket.uncork();
  };
}
