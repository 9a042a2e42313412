// While the view moves (drag-pan, wheel, pinch, following someone), the board layer's last full drawing
// is shown moved and scaled by a CSS transform (the compositor does it, nothing is redrawn or re-rastered);
// the board is drawn again at full quality once the view settles, or sooner when the moved bitmap would
// miss content or look blurred. These are the pure decisions behind that.
import type { Rect, Size } from './geometry';
import { rectsIntersect } from './geometry';
import type { Viewport } from './viewport';

/** The CSS transform (transform-origin 0 0) that maps the bitmap drawn at `drawn` onto the view at `now`. */
export function snapshotTransform(drawn: Viewport, now: Viewport): { scale: number; x: number; y: number } {
  const scale = now.scale / drawn.scale;
  return { scale, x: now.x - drawn.x * scale, y: now.y - drawn.y * scale };
}

/** Screen areas the moved bitmap no longer covers (up to four strips around it), in screen px. */
export function uncoveredStrips(drawn: Viewport, now: Viewport, size: Size): Rect[] {
  const t = snapshotTransform(drawn, now);
  const left = t.x;
  const top = t.y;
  const right = t.x + size.width * t.scale;
  const bottom = t.y + size.height * t.scale;
  const strips: Rect[] = [];
  const midTop = Math.max(0, top);
  const midBottom = Math.min(size.height, bottom);
  if (top > 0) strips.push({ x: 0, y: 0, w: size.width, h: Math.min(top, size.height) });
  if (bottom < size.height) strips.push({ x: 0, y: Math.max(bottom, 0), w: size.width, h: size.height - Math.max(bottom, 0) });
  if (midBottom > midTop) {
    if (left > 0) strips.push({ x: 0, y: midTop, w: Math.min(left, size.width), h: midBottom - midTop });
    if (right < size.width) strips.push({ x: Math.max(right, 0), y: midTop, w: size.width - Math.max(right, 0), h: midBottom - midTop });
  }
  return strips;
}

export interface SnapshotLimits {
  /** Zoomed in this far past the bitmap, it looks soft: draw again. */
  maxScaleUp: number;
}

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = { maxScaleUp: 1.5 };

/**
 * Whether the moved bitmap is still a faithful picture of the board: not blurred past the limit, and every
 * strip it leaves uncovered is empty of content (`contentBounds`, world coordinates; the dot grid lies on
 * its own layer, so empty board needs nothing from this one).
 */
export function snapshotStillFaithful(
  drawn: Viewport,
  now: Viewport,
  size: Size,
  contentBounds: Rect | undefined,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): boolean {
  if (now.scale / drawn.scale > limits.maxScaleUp) return false;
  if (!contentBounds) return true;
  for (const s of uncoveredStrips(drawn, now, size)) {
    const world = { x: (s.x - now.x) / now.scale, y: (s.y - now.y) / now.scale, w: s.w / now.scale, h: s.h / now.scale };
    if (rectsIntersect(world, contentBounds)) return false;
  }
  return true;
}
