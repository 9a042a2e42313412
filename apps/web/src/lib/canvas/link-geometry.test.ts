import { describe, expect, it } from 'vitest';
import { arrowHead, borderPoint, distanceToSegment, pairKey, routeLink } from './link-geometry';

describe('link routing', () => {
  const a = { x: 0, y: 0, w: 100, h: 50 };
  const b = { x: 300, y: 0, w: 100, h: 50 };

  it('runs from border to border along the line between the centres', () => {
    const r = routeLink(a, b, 0)!;
    expect(r.start).toEqual({ x: 100, y: 25 });
    expect(r.end).toEqual({ x: 300, y: 25 });
    expect(r.mid).toEqual({ x: 200, y: 25 });
    expect(r.angle).toBeCloseTo(0);
  });

  it('follows the cards when they move', () => {
    const below = { x: 0, y: 400, w: 100, h: 50 };
    const r = routeLink(a, below, 6)!;
    expect(r.start).toEqual({ x: 50, y: 56 });
    expect(r.end).toEqual({ x: 50, y: 394 });
    expect(r.angle).toBeCloseTo(Math.PI / 2);
  });

  it('offsets parallel links sideways and draws nothing for overlapping cards', () => {
    const straight = routeLink(a, b, 0)!;
    const bent = routeLink(a, b, 0, 10)!;
    expect(bent.start.y).toBeCloseTo(straight.start.y + 10);
    expect(routeLink(a, { x: 10, y: 10, w: 100, h: 50 })).toBeUndefined();
  });

  it('finds border points, arrow heads and distances', () => {
    expect(borderPoint(a, { x: 50, y: -100 })).toEqual({ x: 50, y: 0 });
    const [l, r] = arrowHead({ x: 0, y: 0 }, 0, 10);
    expect(l.x).toBeLessThan(0);
    expect(l.y).toBeCloseTo(-r.y);
    expect(distanceToSegment({ x: 5, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(3);
    expect(distanceToSegment({ x: -4, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
    expect(pairKey('b', 'a')).toBe(pairKey('a', 'b'));
  });
});
