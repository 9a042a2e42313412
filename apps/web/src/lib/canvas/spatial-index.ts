// Uniform grid over world space: culling and hit-testing ask "what is near this rectangle" without a full scan.
import type { Rect } from './geometry';
import { boundsOf, rectsIntersect } from './geometry';

export class SpatialIndex {
  private readonly cells = new Map<string, Set<string>>();
  private readonly rects = new Map<string, Rect>();
  /** Bounding box of every rectangle; null when it must be recomputed. */
  private boundsCache: Rect | undefined | null = null;

  constructor(private readonly cellSize = 512) {}

  get size(): number {
    return this.rects.size;
  }

  rectOf(id: string): Rect | undefined {
    return this.rects.get(id);
  }

  set(id: string, rect: Rect): void {
    const old = this.rects.get(id);
    if (old && old.x === rect.x && old.y === rect.y && old.w === rect.w && old.h === rect.h) return;
    if (old) this.forEachCell(old, (key) => this.cells.get(key)?.delete(id));
    this.boundsCache = null;
    this.rects.set(id, { ...rect });
    this.forEachCell(rect, (key) => {
      let cell = this.cells.get(key);
      if (!cell) this.cells.set(key, (cell = new Set()));
      cell.add(id);
    });
  }

  delete(id: string): void {
    const old = this.rects.get(id);
    if (!old) return;
    this.forEachCell(old, (key) => {
      const cell = this.cells.get(key);
      cell?.delete(id);
      if (cell?.size === 0) this.cells.delete(key);
    });
    this.rects.delete(id);
    this.boundsCache = null;
  }

  clear(): void {
    this.cells.clear();
    this.rects.clear();
    this.boundsCache = null;
  }

  /** Smallest rectangle holding every rectangle (undefined when empty); recomputed only after changes. */
  bounds(): Rect | undefined {
    if (this.boundsCache === null) this.boundsCache = boundsOf(this.rects.values());
    return this.boundsCache;
  }

  /** Ids whose rectangle intersects `area`, each once. */
  query(area: Rect): Set<string> {
    const found = new Set<string>();
    const cols = Math.ceil(area.w / this.cellSize) + 1;
    const rows = Math.ceil(area.h / this.cellSize) + 1;
    // A huge area (zoomed far out) is cheaper to answer by scanning every rectangle.
    if (cols * rows > this.rects.size) {
      for (const [id, r] of this.rects) if (rectsIntersect(r, area)) found.add(id);
      return found;
    }
    this.forEachCell(area, (key) => {
      const cell = this.cells.get(key);
      if (!cell) return;
      for (const id of cell) {
        if (found.has(id)) continue;
        const r = this.rects.get(id);
        if (r && rectsIntersect(r, area)) found.add(id);
      }
    });
    return found;
  }

  private forEachCell(r: Rect, visit: (key: string) => void): void {
    const x0 = Math.floor(r.x / this.cellSize);
    const y0 = Math.floor(r.y / this.cellSize);
    const x1 = Math.floor((r.x + r.w) / this.cellSize);
    const y1 = Math.floor((r.y + r.h) / this.cellSize);
    for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) visit(`${cx}:${cy}`);
  }
}
