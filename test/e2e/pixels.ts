/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// Reading images the way a user sees them: PNG headers in Node, pixels decoded by the browser's own decoder.
import type { Page } from 'playwright-core';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error('not a PNG: bad signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkType !== 'IHDR') throw new Error(`not a PNG: first chunk is ${chunkType}`);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export interface DecodedCounts {
  width: number;
  height: number;
  /** Pixels within `tolerance` (per channel) of each named colour. */
  counts: Record<string, number>;
}

/** Decodes `png` in the page and counts the pixels close to each of `colors` (#rrggbb). */
export async function countColors(page: Page, png: Uint8Array, colors: Record<string, string>, tolerance = 18): Promise<DecodedCounts> {
  return page.evaluate(
    async ({ base64, colors, tolerance }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const targets = Object.entries(colors).map(([name, hex]) => {
        const n = parseInt(hex.slice(1), 16);
        return { name, r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
      });
      const counts: Record<string, number> = Object.fromEntries(targets.map((t) => [t.name, 0]));
      for (let i = 0; i < data.length; i += 4) {
        for (const t of targets) {
          if (Math.abs(data[i]! - t.r) <= tolerance && Math.abs(data[i + 1]! - t.g) <= tolerance && Math.abs(data[i + 2]! - t.b) <= tolerance) counts[t.name]!++;
        }
      }
      return { width: bitmap.width, height: bitmap.height, counts };
    },
    { base64: Buffer.from(png).toString('base64'), colors, tolerance },
  );
}

/** Counts, in a screenshot of the page region `clip`, the pixels close to each colour. */
export async function colorsOnScreen(
  page: Page,
  clip: { x: number; y: number; width: number; height: number },
  colors: Record<string, string>,
  tolerance = 18,
): Promise<Record<string, number>> {
  const shot = await page.screenshot({ clip });
  return (await countColors(page, shot, colors, tolerance)).counts;
}
