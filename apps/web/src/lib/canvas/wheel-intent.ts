// Tell a zoom gesture from a pan gesture in a wheel event. Pinch on a trackpad arrives as ctrl+wheel;
// a mouse wheel sends whole notches; a trackpad two-finger scroll sends small, fractional, two-axis deltas.
export interface WheelLike {
  deltaX: number;
  deltaY: number;
  deltaMode: number;
  ctrlKey: boolean;
  metaKey: boolean;
}

export type WheelIntent = { kind: 'zoom'; factor: number } | { kind: 'pan'; dx: number; dy: number };

const LINE_HEIGHT_PX = 16;

export function wheelIntent(e: WheelLike): WheelIntent {
  const unit = e.deltaMode === 1 ? LINE_HEIGHT_PX : e.deltaMode === 2 ? 400 : 1;
  const dx = e.deltaX * unit;
  const dy = e.deltaY * unit;
  if (e.ctrlKey || e.metaKey) {
    // Pinch deltas are small; clamp so one event never jumps more than ~2x.
    return { kind: 'zoom', factor: Math.exp(-Math.max(-100, Math.min(100, dy)) * 0.01) };
  }
  const looksLikeMouseWheel = e.deltaMode === 1 || (dx === 0 && Number.isInteger(dy) && Math.abs(dy) >= 50);
  if (looksLikeMouseWheel) {
    return { kind: 'zoom', factor: dy > 0 ? 1 / 1.15 : 1.15 };
  }
  return { kind: 'pan', dx: -dx, dy: -dy };
}
