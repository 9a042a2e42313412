import { describe, expect, it } from 'vitest';
import { gridScalable, gridShift, gridSpacing } from './dot-grid';

describe('dot grid', () => {
  it('keeps dots between 12 and 48 px apart at any zoom', () => {
    for (const scale of [0.05, 0.1, 0.3, 0.5, 1, 2, 4]) {
      const step = gridSpacing(scale);
      expect(step).toBeGreaterThanOrEqual(12);
      expect(step).toBeLessThan(12 * 4 + 1e-9 + 24 * scale);
    }
    expect(gridSpacing(1)).toBe(24);
    expect(gridSpacing(0.25)).toBe(24);
  });

  it('shifts the grid canvas so its dots land on world grid points, whatever the pan', () => {
    for (const v of [
      { x: 0, y: 0, scale: 1 },
      { x: 137.25, y: -941.5, scale: 1 },
      { x: -3, y: 5000, scale: 0.4 },
    ]) {
      const step = gridSpacing(v.scale);
      const shift = gridShift(v, step);
      expect(shift.x).toBeGreaterThanOrEqual(-step);
      expect(shift.x).toBeLessThan(0);
      // The canvas's dot i sits at screen shift.x + i·step; in world units that is a multiple of the world step.
      const worldStep = step / v.scale;
      const worldX = (shift.x + 3 * step - v.x) / v.scale;
      const worldY = (shift.y + 2 * step - v.y) / v.scale;
      expect(Math.abs(worldX / worldStep - Math.round(worldX / worldStep))).toBeLessThan(1e-6);
      expect(Math.abs(worldY / worldStep - Math.round(worldY / worldStep))).toBeLessThan(1e-6);
    }
  });

  it('scales a drawn grid while a zoom keeps it covering the view and not blown up', () => {
    const view = { width: 1000, height: 600 };
    const canvas = { width: 1000 * 1.25 + 96, height: 600 * 1.25 + 96 };
    expect(gridScalable(20, 20, canvas, view)).toBe(true);
    expect(gridScalable(20, 24, canvas, view)).toBe(true);
    expect(gridScalable(20, 26, canvas, view)).toBe(false);
    expect(gridScalable(20, 17, canvas, view)).toBe(true);
    expect(gridScalable(20, 12, canvas, view)).toBe(false);
  });
});
