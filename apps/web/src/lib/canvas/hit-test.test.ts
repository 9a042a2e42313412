import { describe, expect, it } from 'vitest';
import { cardsInMarquee, hitTest, linkHandleCenter, resizeHandleCenter } from './hit-test';
import { routeLink } from './link-geometry';
import { SpatialIndex } from './spatial-index';

function board() {
  const index = new SpatialIndex(256);
  index.set('bottom', { x: 0, y: 0, w: 200, h: 100 });
  index.set('top', { x: 100, y: 50, w: 200, h: 100 });
  index.set('far', { x: 600, y: 0, w: 200, h: 100 });
  const z = new Map([
    ['bottom', 0],
    ['top', 1],
    ['far', 2],
  ]);
  const route = routeLink(index.rectOf('top')!, index.rectOf('far')!)!;
  return { index, zOrder: (id: string) => z.get(id) ?? -1, links: [{ id: 'L', route }] };
}

describe('hit testing', () => {
  it('picks the topmost card under the pointer', () => {
    const b = board();
    const base = { scale: 1, handleCards: [], editable: true, ...b };
    expect(hitTest({ ...base, point: { x: 150, y: 75 } })).toEqual({ kind: 'card', cardId: 'top' });
    expect(hitTest({ ...base, point: { x: 20, y: 20 } })).toEqual({ kind: 'card', cardId: 'bottom' });
    expect(hitTest({ ...base, point: { x: 450, y: 400 } })).toEqual({ kind: 'empty' });
  });

  it('finds handles of selected cards first, with a radius that is constant on screen', () => {
    const b = board();
    const r = b.index.rectOf('top')!;
    const base = { handleCards: ['top'], editable: true, ...b };
    expect(hitTest({ ...base, scale: 1, point: resizeHandleCenter(r) })).toEqual({ kind: 'resize-handle', cardId: 'top' });
    expect(hitTest({ ...base, scale: 0.5, point: linkHandleCenter(r, 0.5) })).toEqual({ kind: 'link-handle', cardId: 'top' });
    // Viewers get no handles.
    expect(hitTest({ ...base, editable: false, scale: 1, point: resizeHandleCenter(r) }).kind).toBe('card');
  });

  it('hits a link near its line, not far from it', () => {
    const b = board();
    const { route } = b.links[0]!;
    const mid = route.mid;
    const base = { scale: 1, handleCards: [], editable: true, ...b };
    expect(hitTest({ ...base, point: { x: mid.x, y: mid.y + 4 } })).toEqual({ kind: 'link', linkId: 'L' });
    expect(hitTest({ ...base, point: { x: mid.x, y: mid.y + 30 } })).toEqual({ kind: 'empty' });
  });

  it('selects every card a marquee touches', () => {
    const b = board();
    expect(cardsInMarquee({ x: 250, y: 0, w: 400, h: 20 }, b.index)).toEqual(['far']);
    expect(cardsInMarquee({ x: -10, y: -10, w: 150, h: 80 }, b.index).sort()).toEqual(['bottom', 'top']);
  });
});
