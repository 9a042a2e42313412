import { describe, expect, it } from 'vitest';
import { centerOn, clampScale, fitRect, formatZoom, MAX_SCALE, MIN_SCALE, nextZoomStep, screenToWorld, visibleWorldRect, worldToScreen, zoomAt } from './viewport';

describe('viewport math', () => {
  it('maps world to screen and back', () => {
    const v = { x: 100, y: -50, scale: 2 };
    const p = { x: 13, y: 7 };
    expect(worldToScreen(v, p)).toEqual({ x: 126, y: -36 });
    expect(screenToWorld(v, worldToScreen(v, p))).toEqual(p);
  });

  it('zooms toward the cursor: the world point under the cursor stays put', () => {
    const v = { x: 40, y: 30, scale: 1 };
    const cursor = { x: 300, y: 200 };
    const before = screenToWorld(v, cursor);
    const zoomed = zoomAt(v, cursor, 1.5);
    expect(zoomed.scale).toBeCloseTo(1.5);
    const after = screenToWorld(zoomed, cursor);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it('clamps zoom to its limits', () => {
    expect(clampScale(100)).toBe(MAX_SCALE);
    expect(clampScale(0)).toBe(MIN_SCALE);
    expect(zoomAt({ x: 0, y: 0, scale: 3 }, { x: 0, y: 0 }, 10).scale).toBe(MAX_SCALE);
  });

  it('fits a rectangle into the screen, centred, never above 100 %', () => {
    const size = { width: 1000, height: 800 };
    const fit = fitRect({ x: 0, y: 0, w: 4000, h: 1000 }, size, 50);
    expect(fit.scale).toBeCloseTo(900 / 4000);
    const visible = visibleWorldRect(fit, size);
    expect(visible.x).toBeLessThanOrEqual(0);
    expect(visible.x + visible.w).toBeGreaterThanOrEqual(4000);
    expect(visible.y + visible.h / 2).toBeCloseTo(500);
    expect(fitRect({ x: 0, y: 0, w: 10, h: 10 }, size).scale).toBe(1);
  });

  it('reports the visible world rectangle with a margin', () => {
    const r = visibleWorldRect({ x: -200, y: -100, scale: 0.5 }, { width: 800, height: 600 }, 10);
    expect(r).toEqual({ x: 380, y: 180, w: 1640, h: 1240 });
  });

  it('steps along a zoom ladder that always includes 100 %', () => {
    expect(nextZoomStep(0.9, 1)).toBe(1);
    expect(nextZoomStep(1, -1)).toBe(0.8);
    expect(nextZoomStep(MAX_SCALE, 1)).toBe(MAX_SCALE);
    expect(nextZoomStep(MIN_SCALE, -1)).toBe(MIN_SCALE);
  });

  it('centres a world point and formats the zoom level', () => {
    const v = centerOn({ x: 50, y: 50 }, 2, { width: 400, height: 200 });
    expect(worldToScreen(v, { x: 50, y: 50 })).toEqual({ x: 200, y: 100 });
    expect(formatZoom(0.256)).toBe('26%');
  });
});
