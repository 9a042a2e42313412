// Where a link's arrow runs: from the border of one card to the border of the other, along the line
// between their centres, so arrows follow the cards wherever they move.
import type { Point, Rect } from './geometry';
import { rectCenter } from './geometry';

export interface LinkRoute {
  start: Point;
  end: Point;
  /** Midpoint of the visible segment, where the relation label sits. */
  mid: Point;
  /** Direction of travel in radians (for the arrow head). */
  angle: number;
}

/** Point where the ray from the rectangle's centre toward `toward` leaves the rectangle, pushed out by `gap`. */
export function borderPoint(r: Rect, toward: Point, gap = 0): Point {
  const c = rectCenter(r);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const halfW = r.w / 2 + gap;
  const halfH = r.h / 2 + gap;
  const t = Math.min(dx !== 0 ? halfW / Math.abs(dx) : Infinity, dy !== 0 ? halfH / Math.abs(dy) : Infinity);
  return { x: c.x + dx * t, y: c.y + dy * t };
}

/**
 * Route between two cards. `bend` offsets the line sideways (world units) so that two links between the
 * same pair of cards (A→B and B→A) do not draw on top of each other. Overlapping cards get no route.
 */
export function routeLink(from: Rect, to: Rect, gap = 6, bend = 0): LinkRoute | undefined {
  let a = rectCenter(from);
  let b = rectCenter(to);
  if (bend !== 0) {
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const nx = (-(b.y - a.y) / len) * bend;
    const ny = ((b.x - a.x) / len) * bend;
    a = { x: a.x + nx, y: a.y + ny };
    b = { x: b.x + nx, y: b.y + ny };
  }
  const start = borderPointFrom(from, a, b, gap);
  const end = borderPointFrom(to, b, a, gap);
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  // When the cards overlap the clipped segment flips direction: nothing sensible to draw.
  if (dx * (b.x - a.x) + dy * (b.y - a.y) <= 0) return undefined;
  return { start, end, mid: { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }, angle: Math.atan2(dy, dx) };
}

/** Like borderPoint, but for a ray starting at `origin` (possibly off-centre) toward `toward`. */
function borderPointFrom(r: Rect, origin: Point, toward: Point, gap: number): Point {
  const dx = toward.x - origin.x;
  const dy = toward.y - origin.y;
  if (dx === 0 && dy === 0) return origin;
  const left = r.x - gap;
  const right = r.x + r.w + gap;
  const top = r.y - gap;
  const bottom = r.y + r.h + gap;
  const tx = dx > 0 ? (right - origin.x) / dx : dx < 0 ? (left - origin.x) / dx : Infinity;
  const ty = dy > 0 ? (bottom - origin.y) / dy : dy < 0 ? (top - origin.y) / dy : Infinity;
  const t = Math.max(0, Math.min(tx, ty));
  return { x: origin.x + dx * t, y: origin.y + dy * t };
}

/** The two back corners of an arrow head at `tip` pointing along `angle`. */
export function arrowHead(tip: Point, angle: number, length = 12, spread = Math.PI / 7): [Point, Point] {
  return [
    { x: tip.x - length * Math.cos(angle - spread), y: tip.y - length * Math.sin(angle - spread) },
    { x: tip.x - length * Math.cos(angle + spread), y: tip.y - length * Math.sin(angle + spread) },
  ];
}

/** Distance from `p` to the segment a–b. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSq));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Key that is the same for A→B and B→A, to find links that need a bend. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
