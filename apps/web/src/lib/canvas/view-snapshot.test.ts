import { describe, expect, it } from 'vitest';
import { snapshotStillFaithful, snapshotTransform, uncoveredStrips } from './view-snapshot';
import { worldToScreen, zoomAt } from './viewport';

const size = { width: 1000, height: 600 };

describe('view snapshot', () => {
  it('maps a point drawn at the old view to where the new view shows it', () => {
    const drawn = { x: 120, y: -40, scale: 0.5 };
    const now = zoomAt({ ...drawn, x: drawn.x + 37, y: drawn.y - 11 }, { x: 300, y: 200 }, 1.3);
    const t = snapshotTransform(drawn, now);
    const world = { x: 640, y: 410 };
    const onBitmap = worldToScreen(drawn, world);
    const expected = worldToScreen(now, world);
    expect(onBitmap.x * t.scale + t.x).toBeCloseTo(expected.x, 6);
    expect(onBitmap.y * t.scale + t.y).toBeCloseTo(expected.y, 6);
  });

  it('lists the strips a pan uncovers', () => {
    const drawn = { x: 0, y: 0, scale: 1 };
    expect(uncoveredStrips(drawn, drawn, size)).toEqual([]);
    // Panned right by 50 and up by 20: a strip on the left, one at the bottom.
    const strips = uncoveredStrips(drawn, { x: 50, y: -20, scale: 1 }, size);
    expect(strips).toEqual([
      { x: 0, y: 580, w: 1000, h: 20 },
      { x: 0, y: 0, w: 50, h: 580 },
    ]);
    // Zoomed out around the centre: a frame all around.
    expect(uncoveredStrips(drawn, zoomAt(drawn, { x: 500, y: 300 }, 0.5), size)).toHaveLength(4);
  });

  it('stays faithful while only empty board is uncovered, not once content would be missing or blurred', () => {
    const drawn = { x: 0, y: 0, scale: 1 };
    // Content runs past the right edge of the drawn view.
    const content = { x: 200, y: 100, w: 1200, h: 300 };
    expect(snapshotStillFaithful(drawn, { x: 150, y: 60, scale: 1 }, size, content)).toBe(true);
    expect(snapshotStillFaithful(drawn, { x: -250, y: 0, scale: 1 }, size, content)).toBe(false);
    expect(snapshotStillFaithful(drawn, { x: 0, y: -250, scale: 1 }, size, content)).toBe(true);
    const small = { x: 200, y: 100, w: 400, h: 300 };
    expect(snapshotStillFaithful(drawn, zoomAt(drawn, { x: 400, y: 250 }, 0.8), size, small)).toBe(true);
    expect(snapshotStillFaithful(drawn, zoomAt(drawn, { x: 400, y: 250 }, 0.8), size, content)).toBe(false);
    expect(snapshotStillFaithful(drawn, zoomAt(drawn, { x: 400, y: 250 }, 1.4), size, small)).toBe(true);
    expect(snapshotStillFaithful(drawn, zoomAt(drawn, { x: 400, y: 250 }, 1.6), size, small)).toBe(false);
    expect(snapshotStillFaithful(drawn, { x: -5000, y: 0, scale: 1 }, size, undefined)).toBe(true);
  });
});
