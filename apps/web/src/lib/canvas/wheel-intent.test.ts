import { describe, expect, it } from 'vitest';
import { wheelIntent } from './wheel-intent';

const wheel = (o: Partial<{ deltaX: number; deltaY: number; deltaMode: number; ctrlKey: boolean; metaKey: boolean }>) => ({
  deltaX: 0,
  deltaY: 0,
  deltaMode: 0,
  ctrlKey: false,
  metaKey: false,
  ...o,
});

describe('wheel intent', () => {
  it('treats a pinch (ctrl+wheel) as zoom, in the right direction', () => {
    const intent = wheelIntent(wheel({ deltaY: -10, ctrlKey: true }));
    expect(intent.kind).toBe('zoom');
    if (intent.kind === 'zoom') expect(intent.factor).toBeGreaterThan(1);
  });

  it('treats mouse-wheel notches as zoom', () => {
    const out = wheelIntent(wheel({ deltaY: 100 }));
    expect(out).toEqual({ kind: 'zoom', factor: 1 / 1.15 });
    expect(wheelIntent(wheel({ deltaY: -3, deltaMode: 1 })).kind).toBe('zoom');
  });

  it('treats two-finger trackpad scrolling as pan', () => {
    expect(wheelIntent(wheel({ deltaX: 4.5, deltaY: -12.25 }))).toEqual({ kind: 'pan', dx: -4.5, dy: 12.25 });
  });
});
