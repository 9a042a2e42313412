// Fresh joiners (empty state vector) all need the same reply: the whole document. On a large board that
// encoding is the most expensive thing a join costs (a 5,000-card board: ~2 MB, tens of ms of the event
// loop), and joins come in bursts (an incident channel pastes the link, everyone opens it). So the
// encoded sync step 2 frame is shared until the document changes, and dropped after a quiet while so
// an idle board does not keep a second copy of itself in memory.
//
// All boards' frames share one budget: when many boards are opened at once (a shift starts, 500 boards
// reconnect after a deploy), holding a copy of each would add a second copy of every board to memory
// for the keep time. The least recently used frames go first; a board whose frame was dropped simply
// encodes again at its next fresh join.
import * as Y from 'yjs';
import { encodeSyncStep2 } from './frames';

/** How long an unused encoding is kept. Long enough for a burst of joins, short enough to free memory. */
export const FULL_STATE_KEEP_MS = 10_000;
/** Smaller documents encode in well under a millisecond: not worth holding a copy. */
export const FULL_STATE_MIN_BYTES = 16 * 1024;
/** What all boards' frames together may hold: a handful of 5,000-card boards joined at the same time. */
export const FULL_STATE_BUDGET_BYTES = 16 * 1024 * 1024;

/** True for a state vector that claims nothing (what a client without any local copy sends). */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}

/** Bytes held by every board's cache, least recently used first (a Map keeps insertion order). */
export class FullStateBudget {
  private readonly held = new Map<FullStateCache, number>();
  private total = 0;

  constructor(readonly limitBytes: number = FULL_STATE_BUDGET_BYTES) {}

  get heldBytes(): number {
    return this.total;
  }

  /**
   * `cache` wants to hold `bytes` (or used what it holds): it becomes the most recently used, and the
   * least recently used others are dropped until everything fits. False when `bytes` alone exceeds it.
   */
  hold(cache: FullStateCache, bytes: number): boolean {
    this.release(cache);
    if (bytes > this.limitBytes) return false;
    this.held.set(cache, bytes);
    this.total += bytes;
    for (const [oldest] of this.held) {
      if (this.total <= this.limitBytes) break;
      oldest.drop();
    }
    return true;
  }

  release(cache: FullStateCache): void {
    const bytes = this.held.get(cache);
    if (bytes === undefined) return;
    this.held.delete(cache);
    this.total -= bytes;
  }
}

export class FullStateCache {
  private frame: Uint8Array | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastUsed = 0;

  constructor(
    private readonly budget: FullStateBudget,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Sync step 2 carrying the whole of `doc`, encoded at most once per version of the document. */
  frameFor(doc: Y.Doc): Uint8Array {
    this.lastUsed = this.now();
    if (this.frame) {
      this.budget.hold(this, this.frame.byteLength);
      return this.frame;
    }
    const frame = encodeSyncStep2(Y.encodeStateAsUpdate(doc));
    if (frame.byteLength >= FULL_STATE_MIN_BYTES && this.budget.hold(this, frame.byteLength)) {
      this.frame = frame;
      this.scheduleExpiry(FULL_STATE_KEEP_MS);
    }
    return frame;
  }

  /**
   * Lets the frame go: the document changed or was replaced (the next fresh joiner gets a new encoding),
   * the budget needs the room, or it expired.
   */
  drop(): void {
    this.frame = null;
    this.budget.release(this);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get holdsFrame(): boolean {
    return this.frame !== null;
  }

  private scheduleExpiry(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const idleFor = this.now() - this.lastUsed;
      if (idleFor >= FULL_STATE_KEEP_MS) this.drop();
      else this.scheduleExpiry(FULL_STATE_KEEP_MS - idleFor);
    }, delayMs);
    this.timer.unref?.();
  }
}
