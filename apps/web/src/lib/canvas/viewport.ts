// Pan/zoom math. A viewport maps world to screen: screen = world * scale + (x, y).
import type { Point, Rect, Size } from './geometry';

export interface Viewport {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 4;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

export function screenToWorld(v: Viewport, p: Point): Point {
  return { x: (p.x - v.x) / v.scale, y: (p.y - v.y) / v.scale };
}

export function worldToScreen(v: Viewport, p: Point): Point {
  return { x: p.x * v.scale + v.x, y: p.y * v.scale + v.y };
}

export function worldRectToScreen(v: Viewport, r: Rect): Rect {
  const p = worldToScreen(v, r);
  return { x: p.x, y: p.y, w: r.w * v.scale, h: r.h * v.scale };
}

/** Zoom by `factor` keeping the world point under `anchor` (screen px) fixed: zoom toward the cursor. */
export function zoomAt(v: Viewport, anchor: Point, factor: number): Viewport {
  const scale = clampScale(v.scale * factor);
  const world = screenToWorld(v, anchor);
  return { scale, x: anchor.x - world.x * scale, y: anchor.y - world.y * scale };
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { ...v, x: v.x + dx, y: v.y + dy };
}

/** The world rectangle the screen shows, grown by `marginPx` screen pixels on each side. */
export function visibleWorldRect(v: Viewport, size: Size, marginPx = 0): Rect {
  const topLeft = screenToWorld(v, { x: -marginPx, y: -marginPx });
  return { x: topLeft.x, y: topLeft.y, w: (size.width + 2 * marginPx) / v.scale, h: (size.height + 2 * marginPx) / v.scale };
}

/** Viewport that shows `world` centred in `size` with `paddingPx` around it; never zooms in past 100 %. */
export function fitRect(world: Rect, size: Size, paddingPx = 48, maxScale = 1): Viewport {
  const availW = Math.max(1, size.width - 2 * paddingPx);
  const availH = Math.max(1, size.height - 2 * paddingPx);
  const scale = clampScale(Math.min(maxScale, availW / Math.max(1, world.w), availH / Math.max(1, world.h)));
  return centerOn({ x: world.x + world.w / 2, y: world.y + world.h / 2 }, scale, size);
}

/** Viewport at `scale` whose centre shows the world point `center`. */
export function centerOn(center: Point, scale: number, size: Size): Viewport {
  const s = clampScale(scale);
  return { scale: s, x: size.width / 2 - center.x * s, y: size.height / 2 - center.y * s };
}

/** Next step on the zoom ladder used by the +/- buttons and keys (so 100 % is always reachable). */
const ZOOM_STEPS = [0.05, 0.1, 0.15, 0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3, 4];
export function nextZoomStep(scale: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((s) => s > scale + 1e-6) ?? MAX_SCALE;
  return [...ZOOM_STEPS].reverse().find((s) => s < scale - 1e-6) ?? MIN_SCALE;
}

export function formatZoom(scale: number): string {
  return `${Math.round(scale * 100)}%`;
}

export function viewportsEqual(a: Viewport, b: Viewport): boolean {
  return Math.abs(a.x - b.x) < 0.01 && Math.abs(a.y - b.y) < 0.01 && Math.abs(a.scale - b.scale) < 1e-6;
}
