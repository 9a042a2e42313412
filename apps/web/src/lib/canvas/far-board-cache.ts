// Zoomed far out, the whole board is one picture: painted once into offscreen canvases at a few
// resolutions (like mipmaps) and then shown with a single drawImage per frame, instead of thousands of
// blocks, lines and titles. A picture is painted once the board has been quiet for a moment; until then,
// and whenever no picture is sharp enough, the board is drawn directly.
import type { Rect } from './geometry';

/** Rebuild a moment after the last change, so a drag or a burst of remote edits never pays for it. */
const QUIET_MS = 250;
/** A picture may be shown this much larger than it was painted before it looks soft. */
const MAX_UPSCALE = 1.5;
/** No level smaller than this on its longer side. */
const MIN_SIDE_PX = 256;

export interface FarCacheLimits {
  /** Sharpest level needed (px per world unit): the zoom at which far mode ends, in device px. */
  maxPixelsPerUnit: number;
  maxSidePx: number;
  maxPixels: number;
}

/** Resolutions (px per world unit), sharpest first, each half the previous. */
export function farLevels(bounds: Rect, limits: FarCacheLimits): number[] {
  const w = Math.max(1, bounds.w);
  const h = Math.max(1, bounds.h);
  const top = Math.min(limits.maxPixelsPerUnit, limits.maxSidePx / w, limits.maxSidePx / h, Math.sqrt(limits.maxPixels / (w * h)));
  const levels = [top];
  while (Math.max(w, h) * levels[levels.length - 1]! / 2 >= MIN_SIDE_PX) levels.push(levels[levels.length - 1]! / 2);
  return levels;
}

/** The level to show at `needed` px per unit: the coarsest one at least that sharp, or the sharpest if close enough. */
export function pickLevel(levels: readonly number[], needed: number): number | undefined {
  for (let i = levels.length - 1; i >= 0; i--) if (levels[i]! >= needed) return i;
  return levels.length > 0 && levels[0]! * MAX_UPSCALE >= needed ? 0 : undefined;
}

interface Picture {
  bounds: Rect;
  levels: number[];
  canvases: (HTMLCanvasElement | undefined)[];
}

export class FarBoardCache {
  private picture: Picture | undefined;
  private wanted: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Paints the whole board in world coordinates; `ctx` already maps world to the picture's pixels. */
    private readonly paint: (ctx: CanvasRenderingContext2D, pixelsPerUnit: number) => void,
    private readonly boardBounds: () => Rect | undefined,
    private readonly limits: FarCacheLimits,
  ) {}

  /** The board changed: the pictures are stale. */
  invalidate(): void {
    this.picture = undefined;
    if (this.timer !== undefined) this.schedule();
  }

  /**
   * Draws the board from a picture sharp enough for `pixelsPerUnit` (on `ctx` in world coordinates) and
   * returns true; otherwise returns false (the caller draws directly) and paints that picture soon.
   */
  draw(ctx: CanvasRenderingContext2D, pixelsPerUnit: number): boolean {
    const p = this.picture;
    const level = p ? pickLevel(p.levels, pixelsPerUnit) : undefined;
    if (!p || level === undefined) {
      if (!p) this.request(pixelsPerUnit);
      return false;
    }
    let canvas = p.canvases[level];
    if (!canvas) {
      this.request(pixelsPerUnit);
      // Meanwhile a sharper level will do.
      for (let i = level - 1; i >= 0 && !canvas; i--) canvas = p.canvases[i];
      if (!canvas) return false;
    }
    ctx.drawImage(canvas, p.bounds.x, p.bounds.y, p.bounds.w, p.bounds.h);
    return true;
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.picture = undefined;
  }

  private request(pixelsPerUnit: number): void {
    this.wanted = pixelsPerUnit;
    if (this.timer === undefined) this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.build();
    }, QUIET_MS);
  }

  private build(): void {
    const wanted = this.wanted;
    if (wanted === undefined) return;
    if (!this.picture) {
      const content = this.boardBounds();
      if (!content) return;
      const bounds = { x: content.x - 8, y: content.y - 8, w: content.w + 16, h: content.h + 16 };
      const levels = farLevels(bounds, this.limits);
      this.picture = { bounds, levels, canvases: levels.map(() => undefined) };
    }
    const p = this.picture;
    const level = pickLevel(p.levels, wanted);
    if (level === undefined || p.canvases[level]) return;
    const ppu = p.levels[level]!;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.ceil(p.bounds.w * ppu));
    canvas.height = Math.max(1, Math.ceil(p.bounds.h * ppu));
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(canvas.width / p.bounds.w, 0, 0, canvas.height / p.bounds.h, -p.bounds.x * (canvas.width / p.bounds.w), -p.bounds.y * (canvas.height / p.bounds.h));
    this.paint(ctx, ppu);
    p.canvases[level] = canvas;
  }
}
