import { describe, expect, it } from 'vitest';
import { SpatialIndex } from './spatial-index';

describe('spatial index (culling)', () => {
  it('finds exactly the rectangles that intersect an area', () => {
    const index = new SpatialIndex(100);
    index.set('a', { x: 0, y: 0, w: 50, h: 50 });
    index.set('b', { x: 500, y: 500, w: 50, h: 50 });
    index.set('c', { x: 90, y: 90, w: 300, h: 20 });
    expect([...index.query({ x: 40, y: 40, w: 100, h: 100 })].sort()).toEqual(['a', 'c']);
    expect([...index.query({ x: 1000, y: 1000, w: 10, h: 10 })]).toEqual([]);
  });

  it('follows moves and deletions', () => {
    const index = new SpatialIndex(100);
    index.set('a', { x: 0, y: 0, w: 50, h: 50 });
    index.set('a', { x: 1000, y: 1000, w: 50, h: 50 });
    expect([...index.query({ x: 0, y: 0, w: 60, h: 60 })]).toEqual([]);
    expect([...index.query({ x: 990, y: 990, w: 20, h: 20 })]).toEqual(['a']);
    index.delete('a');
    expect(index.size).toBe(0);
    expect([...index.query({ x: 990, y: 990, w: 20, h: 20 })]).toEqual([]);
  });

  it('answers huge areas (zoomed far out) by scanning, with the same result', () => {
    const index = new SpatialIndex(10);
    for (let i = 0; i < 50; i++) index.set(`c${i}`, { x: i * 40, y: (i % 7) * 40, w: 30, h: 30 });
    const all = index.query({ x: -1e6, y: -1e6, w: 2e6, h: 2e6 });
    expect(all.size).toBe(50);
    const some = index.query({ x: 0, y: 0, w: 85, h: 85 });
    expect([...some].sort()).toEqual(['c0', 'c1', 'c2']);
  });

  it('keeps the bounds of everything up to date as rectangles move and go', () => {
    const index = new SpatialIndex(100);
    expect(index.bounds()).toBeUndefined();
    index.set('a', { x: 0, y: 0, w: 10, h: 10 });
    index.set('b', { x: 50, y: -20, w: 10, h: 10 });
    expect(index.bounds()).toEqual({ x: 0, y: -20, w: 60, h: 30 });
    index.set('b', { x: 5, y: 5, w: 10, h: 10 });
    expect(index.bounds()).toEqual({ x: 0, y: 0, w: 15, h: 15 });
    index.delete('a');
    expect(index.bounds()).toEqual({ x: 5, y: 5, w: 10, h: 10 });
  });
});
