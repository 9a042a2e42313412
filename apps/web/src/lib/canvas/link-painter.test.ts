import { describe, expect, it } from 'vitest';
import type { Link } from '@redstring/model';
import { LinkPainter } from './link-painter';
import type { Rect } from './geometry';

function link(id: string, from: string, to: string): Link {
  return { id, from, to, relation: 'supports', author: 'u1', createdAt: 0 };
}

describe('link painter routes', () => {
  it('reuses a route until one of its cards moves', () => {
    const rects = new Map<string, Rect>([
      ['a', { x: 0, y: 0, w: 100, h: 50 }],
      ['b', { x: 300, y: 0, w: 100, h: 50 }],
    ]);
    const painter = new LinkPainter((id) => rects.get(id));
    const ab = link('l1', 'a', 'b');
    painter.linksChanged([ab]);
    const first = painter.route(ab);
    expect(first?.start.x).toBeCloseTo(106);
    expect(painter.route(ab)).toBe(first);
    rects.set('b', { x: 300, y: 200, w: 100, h: 50 });
    const moved = painter.route(ab);
    expect(moved).not.toBe(first);
    expect(moved!.end.y).toBeLessThan(200);
  });

  it('bends parallel links apart so neither hides the other', () => {
    const rects = new Map<string, Rect>([
      ['a', { x: 0, y: 0, w: 100, h: 50 }],
      ['b', { x: 300, y: 0, w: 100, h: 50 }],
    ]);
    const painter = new LinkPainter((id) => rects.get(id));
    const there = link('l1', 'a', 'b');
    const back = link('l2', 'b', 'a');
    painter.linksChanged([there, back]);
    const y1 = painter.route(there)!.mid.y;
    const y2 = painter.route(back)!.mid.y;
    expect(Math.abs(y1 - y2)).toBeCloseTo(22);
  });
});
