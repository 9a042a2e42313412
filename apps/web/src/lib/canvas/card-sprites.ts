// Per-card bitmap cache ("layer caching" per card, like Konva's node.cache()): a card is painted once into
// an offscreen canvas at a power-of-two resolution and then blitted with drawImage on every pan or zoom
// frame, instead of re-running its text layout and dozens of canvas calls. Building is limited to a few ms
// per frame, so a zoom that changes every visible card's resolution spreads the work over a few frames.
import type { Card } from '@redstring/model';

const PAD = 4;

/** Resolution (device pixels per world unit) a sprite is rendered at: the next power of two ≥ need. */
export function spriteBucket(pixelsPerUnit: number): number {
  const clamped = Math.min(4, Math.max(0.25, pixelsPerUnit));
  return 2 ** Math.ceil(Math.log2(clamped) - 1e-9);
}

interface Sprite {
  signature: string;
  bucket: number;
  canvas: HTMLCanvasElement;
  pixels: number;
}

export interface SpriteStats {
  sprites: number;
  pixels: number;
  built: number;
  drawnDirect: number;
}

export class CardSprites {
  private readonly sprites = new Map<string, Sprite>();
  private pixels = 0;
  private frameStartedAt = 0;
  /** Sprites left at another resolution this frame for lack of time: the caller should draw again soon. */
  deferredThisFrame = 0;
  readonly stats: SpriteStats = { sprites: 0, pixels: 0, built: 0, drawnDirect: 0 };

  constructor(
    private readonly paint: (ctx: CanvasRenderingContext2D, card: Card) => void,
    private readonly signatureOf: (card: Card) => string,
    /** Memory cap in device pixels (4 bytes each). */
    private readonly maxPixels = 24_000_000,
    /**
     * Time per frame for building sprites (ms). Past it, a card whose sprite is only at another resolution
     * (after a zoom) keeps that one for this frame; a card with no current sprite is painted directly.
     */
    private readonly buildBudgetMs = 4,
    private readonly now: () => number = () => performance.now(),
  ) {}

  beginFrame(): void {
    this.frameStartedAt = this.now();
    this.deferredThisFrame = 0;
  }

  forget(id: string): void {
    const s = this.sprites.get(id);
    if (s) {
      this.pixels -= s.pixels;
      this.sprites.delete(id);
    }
  }

  clear(): void {
    this.sprites.clear();
    this.pixels = 0;
  }

  /** Draws the card at its world position on `ctx` (which carries the viewport transform). */
  draw(ctx: CanvasRenderingContext2D, card: Card, pixelsPerUnit: number): void {
    const bucket = spriteBucket(pixelsPerUnit);
    const signature = this.signatureOf(card);
    let sprite = this.sprites.get(card.id);
    const fresh = sprite && sprite.signature === signature;
    if (!fresh || sprite!.bucket !== bucket) {
      if (this.now() - this.frameStartedAt < this.buildBudgetMs) {
        sprite = this.build(card, signature, bucket);
        this.stats.built++;
      } else if (!fresh) {
        this.stats.drawnDirect++;
        this.deferredThisFrame++;
        this.paint(ctx, card);
        return;
      } else {
        // A current sprite at another resolution is good enough for this frame.
        this.deferredThisFrame++;
      }
    }
    if (!sprite) return;
    // Most recently used last, for eviction.
    this.sprites.delete(card.id);
    this.sprites.set(card.id, sprite);
    ctx.drawImage(sprite.canvas, card.x - PAD, card.y - PAD, card.w + 2 * PAD, card.h + 2 * PAD);
  }

  private build(card: Card, signature: string, bucket: number): Sprite {
    this.forget(card.id);
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil((card.w + 2 * PAD) * bucket);
    canvas.height = Math.ceil((card.h + 2 * PAD) * bucket);
    const ctx = canvas.getContext('2d');
    if (ctx) {
      ctx.scale(canvas.width / (card.w + 2 * PAD), canvas.height / (card.h + 2 * PAD));
      ctx.translate(PAD - card.x, PAD - card.y);
      this.paint(ctx, card);
    }
    const sprite: Sprite = { signature, bucket, canvas, pixels: canvas.width * canvas.height };
    this.sprites.set(card.id, sprite);
    this.pixels += sprite.pixels;
    while (this.pixels > this.maxPixels && this.sprites.size > 1) {
      const oldest = this.sprites.keys().next().value as string;
      this.forget(oldest);
    }
    this.stats.sprites = this.sprites.size;
    this.stats.pixels = this.pixels;
    return sprite;
  }
}
