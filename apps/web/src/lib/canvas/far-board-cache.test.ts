import { describe, expect, it } from 'vitest';
import { farLevels, pickLevel } from './far-board-cache';

const limits = { maxPixelsPerUnit: 0.32, maxSidePx: 4096, maxPixels: 8_000_000 };

describe('far board picture', () => {
  it('paints a wide board no wider than the side limit, then halves down to a small picture', () => {
    const levels = farLevels({ x: 0, y: 0, w: 16500, h: 7400 }, limits);
    expect(levels[0]! * 16500).toBeCloseTo(4096, 6);
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeCloseTo(levels[i - 1]! / 2, 9);
    expect(levels[levels.length - 1]! * 16500).toBeGreaterThanOrEqual(256);
    expect(levels[levels.length - 1]! * 16500).toBeLessThan(512);
  });

  it('never paints a small board sharper than far mode needs, nor a huge one past the pixel budget', () => {
    expect(farLevels({ x: 0, y: 0, w: 2000, h: 1500 }, limits)[0]).toBe(0.32);
    const huge = farLevels({ x: 0, y: 0, w: 40000, h: 40000 }, limits)[0]!;
    expect(40000 * 40000 * huge * huge).toBeLessThanOrEqual(8_000_000 + 1);
  });

  it('shows the coarsest picture that is sharp enough, and none when zoomed in too far', () => {
    const levels = [0.25, 0.125, 0.0625];
    expect(pickLevel(levels, 0.03)).toBe(2);
    expect(pickLevel(levels, 0.0625)).toBe(2);
    expect(pickLevel(levels, 0.07)).toBe(1);
    expect(pickLevel(levels, 0.2)).toBe(0);
    expect(pickLevel(levels, 0.3)).toBe(0);
    expect(pickLevel(levels, 0.4)).toBeUndefined();
  });
});
