// What each client publishes through y-protocols awareness, and how often.
import type { Point } from '../canvas/geometry';
import type { Viewport } from '../canvas/viewport';

export interface PresenceUser {
  userId: string;
  name: string;
  color: string;
}

export interface PresenceState {
  user: PresenceUser;
  /** Pointer in board (world) coordinates; null when the pointer is off the canvas. */
  cursor: Point | null;
  editingCardId: string | null;
  selection: string[];
  /** What this user sees, so others can follow them. */
  view: { viewport: Viewport; width: number; height: number } | null;
}

export interface RemotePeer extends PresenceState {
  clientId: number;
}

export function isPresenceState(v: unknown): v is PresenceState {
  if (!v || typeof v !== 'object') return false;
  const user = (v as { user?: unknown }).user as Record<string, unknown> | undefined;
  return !!user && typeof user.userId === 'string' && typeof user.name === 'string' && typeof user.color === 'string';
}

/**
 * Calls `send` at most once per `intervalMs` with the latest value; a trailing call delivers the last one.
 * Cursor updates at ~30 Hz keep others' cursors smooth without flooding the socket.
 */
export function throttleLatest<T>(
  send: (value: T) => void,
  intervalMs: number,
  timers: { now: () => number; setTimeout: (fn: () => void, ms: number) => unknown } = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
  },
): (value: T) => void {
  let lastSent = -Infinity;
  let pending: { value: T } | undefined;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!pending) return;
    lastSent = timers.now();
    const { value } = pending;
    pending = undefined;
    send(value);
  };
  return (value: T) => {
    pending = { value };
    const wait = lastSent + intervalMs - timers.now();
    if (wait <= 0 && !scheduled) flush();
    else if (!scheduled) {
      scheduled = true;
      timers.setTimeout(flush, Math.max(0, wait));
    }
  };
}

/** Unique users among the peers (one user may have several tabs open). */
export function uniqueUsers(peers: PresenceUser[]): PresenceUser[] {
  const seen = new Map<string, PresenceUser>();
  for (const p of peers) if (!seen.has(p.userId)) seen.set(p.userId, p);
  return [...seen.values()];
}
