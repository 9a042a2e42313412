// Per-card bitmap cache ("layer caching" per card, like Konva's node.cache()): a card is painted once into
// an offscreen canvas at a power-of-two resolution and then blitted with drawImage on every pan or zoom
// frame, instead of re-running its text layout and dozens of canvas calls. Pure bookkeeping is separated
// (spriteBucket, SpriteBudget) so it can be unit-tested.
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
  private builtThisFrame = 0;
  readonly stats: SpriteStats = { sprites: 0, pixels: 0, built: 0, drawnDirect: 0 };

  constructor(
    private readonly paint: (ctx: CanvasRenderingContext2D, card: Card) => void,
    private readonly signatureOf: (card: Card) => string,
    /** Memory cap in device pixels (4 bytes each). */
    private readonly maxPixels = 24_000_000,
    /** Sprites built per frame at most; the rest are drawn directly or from another resolution. */
    private readonly buildBudget = 48,
  ) {}

  beginFrame(): void {
    this.builtThisFrame = 0;
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
      if (this.builtThisFrame < this.buildBudget) {
        sprite = this.build(card, signature, bucket);
        this.builtThisFrame++;
        this.stats.built++;
      } else if (!fresh) {
        this.stats.drawnDirect++;
        this.paint(ctx, card);
        return;
      }
      // else: a fresh sprite at another resolution, good enough for this frame.
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
