// Everyone on a board sees its callouts change, but only the addressees (and the sender) are waiting on
// one. Telling a thousand bystander tabs about each change as it happens is a thousand socket writes per
// change; a digest per board, at most one per window, carries the same changes in the same order for a
// fraction of the writes. The first change of a window starts its timer, so no change waits longer
// than one window.
//
// A digest costs one socket write per tab on the board, so on a crowded board the window widens until
// its digests cost at most DIGEST_WRITES_PER_SECOND writes a second: measured with 1,000 tabs and 10
// callouts a second (bench S6), the callouts added 4-5 points of a core to the server's CPU with 250 ms
// windows and 1-3 points with 1 s windows.

/** Socket writes a second a board's digests may cost before its window widens. */
export const DIGEST_WRITES_PER_SECOND = 1_000;
/** The widest window, however many tabs: beyond it the paced fan-out spreads the writes. */
export const MAX_DIGEST_WINDOW_MS = 2_000;

/** The digest window of a board with `tabs` tabs: `baseMs`, or longer when that many writes would cost more. */
export function digestWindowMs(tabs: number, baseMs: number): number {
  const budgetMs = Math.ceil((tabs * 1000) / DIGEST_WRITES_PER_SECOND);
  return Math.max(baseMs, Math.min(MAX_DIGEST_WINDOW_MS, budgetMs));
}

export class NoticeDigest<T> {
  private readonly pending = new Map<string, T[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** `windowMs`: a fixed window, or one chosen per board when its window opens. */
  constructor(
    private readonly windowMs: number | ((boardId: string) => number),
    private readonly deliver: (boardId: string, items: T[]) => void,
  ) {}

  add(boardId: string, item: T): void {
    const items = this.pending.get(boardId);
    if (items) {
      items.push(item);
      return;
    }
    this.pending.set(boardId, [item]);
    const windowMs = typeof this.windowMs === 'number' ? this.windowMs : this.windowMs(boardId);
    const timer = setTimeout(() => this.flush(boardId), windowMs);
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
