// The dot grid behind the board, on its own canvas under the Konva stage. The grid is periodic, so a pan
// only shifts that canvas by the pan modulo one grid step, and a zoom only scales it (CSS transforms: the
// compositor moves it, nothing is drawn). It is drawn again when a zoom has scaled it too far, when the
// view settles at a new spacing, or when the view is resized. Shifts are whole pixels: a fractional offset
// makes the software compositor resample the whole layer every frame.
import type { Size } from './geometry';
import type { Viewport } from './viewport';

const DOT_COLOR = '#c5ccd4';
const DOT_RADIUS = 1.1;
/** The canvas is this much larger than the view, so a zoom-out can shrink it a little and still cover. */
const OVERSIZE = 1.25;
/** Largest grid step on screen (see gridSpacing), covered by the canvas's margin. */
const MAX_STEP = 48;

/** Screen distance between dots: the 24-unit world grid, coarsened ×4 whenever it would be denser than 12 px. */
export function gridSpacing(scale: number): number {
  let step = 24 * scale;
  while (step < 12) step *= 4;
  return step;
}

/** Where to put a grid canvas drawn with dots at (i·step, j·step) so the dots sit on the world grid. */
export function gridShift(v: Viewport, step: number): { x: number; y: number } {
  const mod = (n: number) => ((n % step) + step) % step;
  return { x: mod(v.x) - step, y: mod(v.y) - step };
}

/** Whether a grid drawn with `drawnStep` on a canvas `canvasSize` large can show `step` over `view` by scaling. */
export function gridScalable(drawnStep: number, step: number, canvasSize: Size, view: Size): boolean {
  const k = step / drawnStep;
  return k <= 1.25 && canvasSize.width * k >= view.width + step && canvasSize.height * k >= view.height + step;
}

export class DotGrid {
  readonly element: HTMLCanvasElement;
  private drawn: { step: number; view: Size; canvas: Size; ratio: number } | undefined;

  constructor(container: HTMLElement) {
    this.element = document.createElement('canvas');
    Object.assign(this.element.style, { position: 'absolute', left: '0', top: '0', pointerEvents: 'none', transformOrigin: '0 0' });
    this.element.setAttribute('aria-hidden', 'true');
    container.prepend(this.element);
  }

  /** Follows the view; `settled` draws the grid afresh at the exact spacing if it is only scaled now. */
  update(v: Viewport, size: Size, settled = false): void {
    const step = gridSpacing(v.scale);
    const ratio = window.devicePixelRatio || 1;
    const d = this.drawn;
    const sameView = d && d.view.width === size.width && d.view.height === size.height && d.ratio === ratio;
    const exact = d && Math.abs(d.step - step) < 1e-9;
    if (!d || !sameView || (!exact && (settled || !gridScalable(d.step, step, d.canvas, size)))) this.draw(step, size, ratio);
    const k = step / this.drawn!.step;
    const shift = gridShift(v, step);
    this.element.style.transform =
      Math.abs(k - 1) < 1e-9 ? `translate(${Math.round(shift.x)}px, ${Math.round(shift.y)}px)` : `matrix(${k}, 0, 0, ${k}, ${shift.x}, ${shift.y})`;
  }

  destroy(): void {
    this.element.remove();
  }

  private draw(step: number, view: Size, ratio: number): void {
    const canvas = { width: Math.ceil(view.width * OVERSIZE + 2 * MAX_STEP), height: Math.ceil(view.height * OVERSIZE + 2 * MAX_STEP) };
    const d = this.drawn;
    // Reallocating the backing store is the expensive part: only when the view's size changed.
    if (!d || d.canvas.width !== canvas.width || d.canvas.height !== canvas.height || d.ratio !== ratio) {
      this.element.width = Math.ceil(canvas.width * ratio);
      this.element.height = Math.ceil(canvas.height * ratio);
      this.element.style.width = `${canvas.width}px`;
      this.element.style.height = `${canvas.height}px`;
    }
    this.drawn = { step, view: { ...view }, canvas, ratio };
    const ctx = this.element.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.element.width, this.element.height);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = DOT_COLOR;
    ctx.beginPath();
    for (let x = 0; x <= canvas.width; x += step) {
      for (let y = 0; y <= canvas.height; y += step) {
        ctx.moveTo(x + DOT_RADIUS, y);
        ctx.arc(x, y, DOT_RADIUS, 0, Math.PI * 2);
      }
    }
    ctx.fill();
  }
}
