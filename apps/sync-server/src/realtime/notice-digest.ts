// Everyone on a board sees its callouts change, but only the addressees (and the sender) are waiting on
// one. Telling a thousand bystander tabs about each change as it happens is a thousand socket writes per
// change; a digest per board, at most one per window, carries the same changes in the same order for a
// fraction of the writes. The first change of a window starts its timer, so no change waits longer
// than one window.

export class NoticeDigest<T> {
  private readonly pending = new Map<string, T[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly windowMs: number,
    private readonly deliver: (boardId: string, items: T[]) => void,
  ) {}

  add(boardId: string, item: T): void {
    const items = this.pending.get(boardId);
    if (items) {
      items.push(item);
      return;
    }
    this.pending.set(boardId, [item]);
    const timer = setTimeout(() => this.flush(boardId), this.windowMs);
    timer.unref();
    this.timers.set(boardId, timer);
  }

  /** Boards with changes not yet delivered (for tests and metrics). */
  get waitingBoards(): number {
    return this.pending.size;
  }

  /** Delivers everything now (shutdown: tabs should hear of the last changes before they are closed). */
  flushAll(): void {
    for (const boardId of [...this.pending.keys()]) this.flush(boardId);
  }

  private flush(boardId: string): void {
    const items = this.pending.get(boardId);
    clearTimeout(this.timers.get(boardId));
    this.pending.delete(boardId);
    this.timers.delete(boardId);
    if (items) this.deliver(boardId, items);
  }
}
