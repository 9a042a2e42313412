// What is under the pointer: a card's resize or link handle, a card, a link, or nothing.
import type { Point, Rect } from './geometry';
import { inflateRect, rectContainsPoint } from './geometry';
import type { LinkRoute } from './link-geometry';
import { distanceToSegment } from './link-geometry';
import type { SpatialIndex } from './spatial-index';

export type Hit =
  | { kind: 'resize-handle'; cardId: string }
  | { kind: 'link-handle'; cardId: string }
  | { kind: 'card'; cardId: string }
  | { kind: 'link'; linkId: string }
  | { kind: 'empty' };

/** Handle sizes are in screen pixels so they stay grabbable at any zoom. */
export const HANDLE_RADIUS_PX = 9;

export function resizeHandleCenter(r: Rect): Point {
  return { x: r.x + r.w, y: r.y + r.h };
}

export function linkHandleCenter(r: Rect, scale: number): Point {
  return { x: r.x + r.w + 14 / scale, y: r.y + r.h / 2 };
}

export interface HitTestInput {
  point: Point; // world
  scale: number;
  index: SpatialIndex;
  /** Card ids from bottom to top (later draws over earlier). */
  zOrder: (id: string) => number;
  /** Cards showing handles (selected or hovered), topmost first. */
  handleCards: string[];
  editable: boolean;
  links: Iterable<{ id: string; route: LinkRoute }>;
}

export function hitTest(input: HitTestInput): Hit {
  const { point, scale, index } = input;
  const handleRadius = HANDLE_RADIUS_PX / scale;
  if (input.editable) {
    for (const id of input.handleCards) {
      const r = index.rectOf(id);
      if (!r) continue;
      if (near(point, resizeHandleCenter(r), handleRadius)) return { kind: 'resize-handle', cardId: id };
      if (near(point, linkHandleCenter(r, scale), handleRadius)) return { kind: 'link-handle', cardId: id };
    }
  }
  const card = topCardAt(point, index, input.zOrder);
  if (card) return { kind: 'card', cardId: card };
  const tolerance = 6 / scale;
  for (const { id, route } of input.links) {
    if (distanceToSegment(point, route.start, route.end) <= tolerance) return { kind: 'link', linkId: id };
  }
  return { kind: 'empty' };
}

export function topCardAt(point: Point, index: SpatialIndex, zOrder: (id: string) => number): string | undefined {
  let best: string | undefined;
  let bestZ = -Infinity;
  for (const id of index.query({ x: point.x, y: point.y, w: 0, h: 0 })) {
    const r = index.rectOf(id);
    if (!r || !rectContainsPoint(r, point)) continue;
    const z = zOrder(id);
    if (z > bestZ) {
      bestZ = z;
      best = id;
    }
  }
  return best;
}

/** Cards a marquee selects: every card the rectangle touches (tldraw/Miro behaviour). */
export function cardsInMarquee(area: Rect, index: SpatialIndex): string[] {
  return [...index.query(area)];
}

function near(p: Point, c: Point, radius: number): boolean {
  return Math.hypot(p.x - c.x, p.y - c.y) <= radius;
}

export { inflateRect };
