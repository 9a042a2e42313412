// Fresh joiners (empty state vector) all need the same reply: the whole document. On a large board that
// encoding is the most expensive thing a join costs (a 5,000-card board: ~2 MB, tens of ms of the event
// loop), and joins come in bursts (an incident channel pastes the link, everyone opens it). So the
// encoded sync step 2 frame is shared until the document changes, and dropped after a quiet while so
// an idle board does not keep a second copy of itself in memory.
import * as Y from 'yjs';
import { encodeSyncStep2 } from './frames';

/** How long an unused encoding is kept. Long enough for a burst of joins, short enough to free memory. */
export const FULL_STATE_KEEP_MS = 10_000;
/** Smaller documents encode in well under a millisecond: not worth holding a copy. */
export const FULL_STATE_MIN_BYTES = 16 * 1024;

/** True for a state vector that claims nothing (what a client without any local copy sends). */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}

export class FullStateCache {
  private frame: Uint8Array | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastUsed = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Sync step 2 carrying the whole of `doc`, encoded at most once per version of the document. */
  frameFor(doc: Y.Doc): Uint8Array {
    this.lastUsed = this.now();
    if (this.frame) return this.frame;
    const frame = encodeSyncStep2(Y.encodeStateAsUpdate(doc));
    if (frame.byteLength >= FULL_STATE_MIN_BYTES) {
      this.frame = frame;
      this.scheduleExpiry(FULL_STATE_KEEP_MS);
    }
    return frame;
  }

  /** The document changed (or was replaced): the next fresh joiner gets a new encoding. */
  invalidate(): void {
    this.frame = null;
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
      if (idleFor >= FULL_STATE_KEEP_MS) this.frame = null;
      else this.scheduleExpiry(FULL_STATE_KEEP_MS - idleFor);
    }, delayMs);
    this.timer.unref?.();
  }
}
