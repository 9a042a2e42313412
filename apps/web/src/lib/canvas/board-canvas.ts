// The board's Konva stage: drawing (culled, level-of-detail), pan/zoom, and pointer interaction.
//
// Layers, bottom to top:
//   grid     – the dot grid, a plain canvas under the stage (see DotGrid): panning only shifts it.
//   board    – links and cards, drawn by one shape in world coordinates (the viewport transform is set on
//              its context); redrawn only when the board changes or the view settles. While the view moves, the last
//              drawing is moved and scaled by a CSS transform instead (see view-snapshot.ts), unless that
//              would leave content out or blur it.
//   overlay  – selection, handles, marquee, link preview, find highlights; screen coordinates.
//   presence – other people's cursors and what they edit; redrawn on awareness traffic alone, so a
//              moving cursor never repaints thousands of cards.
// Every layer is listening(false): hit-testing is our own (spatial index), Konva's hit canvas would
// double the drawing work.
import Konva from 'konva';
import type { Card, Link } from '@redstring/model';
import type { BoardMirror, MirrorChange } from '../board/board-mirror';
import type { RemotePeer } from '../ui/presence';
import { CardPainter, DETAIL_MIN_SCALE, roundRect, UI_FONT, type CardPaintContext } from './card-painter';
import { CardSprites } from './card-sprites';
import { cardActionAt, type CardAction } from './card-layout';
import type { Point, Rect, Size } from './geometry';
import { boundsOf, inflateRect, rectFromPoints, rectsIntersect } from './geometry';
import { cardsInMarquee, HANDLE_RADIUS_PX, hitTest, linkHandleCenter, resizeHandleCenter, topCardAt, type Hit } from './hit-test';
import { routeLink, type LinkRoute } from './link-geometry';
import { DotGrid } from './dot-grid';
import { FarBoardCache } from './far-board-cache';
import { LinkPainter } from './link-painter';
import { SpatialIndex } from './spatial-index';
import { snapshotStillFaithful, snapshotTransform } from './view-snapshot';
import {
  centerOn,
  fitRect,
  nextZoomStep,
  panBy,
  screenToWorld,
  viewportsEqual,
  visibleWorldRect,
  worldRectToScreen,
  worldToScreen,
  zoomAt,
  type Viewport,
} from './viewport';
import { wheelIntent } from './wheel-intent';

export type Tool = 'select' | 'hand';

export interface CanvasSelection {
  cards: string[];
  link: string | null;
}

export interface CanvasCallbacks {
  isEditable(): boolean;
  selectionChanged(selection: CanvasSelection): void;
  /** Live during a drag; the host writes them to the board. */
  moveCards(moves: { id: string; x: number; y: number }[]): void;
  resizeCard(id: string, size: { x: number; y: number; w: number; h: number }): void;
  /** A drag (move/resize) starts or ends: the host groups it into one undo step. */
  gestureStart(): void;
  gestureEnd(): void;
  linkDropped(fromId: string, toId: string, screen: Point): void;
  /** Double-click on empty board. */
  createAt(world: Point): void;
  editCard(id: string, field: 'title' | 'body'): void;
  cardAction(id: string, action: CardAction, screen: Point): void;
  viewportChanged(viewport: Viewport): void;
  pointerMoved(world: Point | null): void;
  /** The user panned or zoomed by hand (stops following someone). */
  userNavigated(): void;
  /** The user pressed on a card or empty board (closes popovers). */
  pointerDown(): void;
}

export interface CanvasStats {
  cards: number;
  links: number;
  visibleCards: number;
  lastDrawMs: number;
  draws: number;
  scale: number;
  /** performance.now() of the first draw that put cards on screen (time to first paint of a board). */
  firstCardsDrawAt: number | null;
}

type Interaction =
  | { kind: 'none' }
  | { kind: 'pan'; startScreen: Point; startViewport: Viewport; moved: boolean }
  | { kind: 'press-card'; cardId: string; startScreen: Point; startWorld: Point; action: CardAction | undefined; wasSelected: boolean; additive: boolean }
  | { kind: 'move'; startWorld: Point; origins: Map<string, Point> }
  | { kind: 'resize'; cardId: string; origin: Rect }
  | { kind: 'link'; fromId: string; current: Point; targetId: string | undefined }
  | { kind: 'marquee'; startWorld: Point; current: Point; base: Set<string> }
  | { kind: 'press-empty'; startScreen: Point; additive: boolean };

const MIN_CARD_W = 140;
const MIN_CARD_H = 84;
const DRAG_THRESHOLD_PX = 3;
const CULL_MARGIN_PX = 80;
const SELECTION_COLOR = '#0a66e4';
/** The view counts as settled (full-quality redraw) this long after it last moved. */
const SETTLE_MS = 140;
/**
 * While the view moves, a picture that misses content or looks soft is redrawn at most this often per ms
 * the last full drawing took (capped): cheap boards redraw every frame, a whole 2,000-card board a few
 * times a second, so redraw frames stay a small share of all frames.
 */
const REDRAW_INTERVAL_PER_DRAW_MS = 40;
const MAX_REDRAW_INTERVAL_MS = 400;

export interface DrawInfo {
  /** performance.now() when the board layer finished drawing. */
  at: number;
  visibleCards: number;
}
export class BoardCanvas {
  private readonly stage: Konva.Stage;
  private readonly boardLayer: Konva.Layer;
  private readonly overlayLayer: Konva.Layer;
  private readonly presenceLayer: Konva.Layer;
  private readonly painter: CardPainter;
  private readonly sprites: CardSprites;
  private readonly paintContext: CardPaintContext;
  private readonly index = new SpatialIndex(600);
  private readonly links = new LinkPainter((id) => this.index.rectOf(id));
  private readonly grid: DotGrid;
  private readonly farCache: FarBoardCache;
  /** The board layer's canvas element (CSS-transformed while the view moves). */
  private readonly boardElement: HTMLCanvasElement;
  /** Viewport of the board layer's last full drawing; undefined when the canvas holds no usable drawing. */
  private drawnViewport: Viewport | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFullDrawAt = 0;
  private readonly drawListeners = new Set<(info: DrawInfo) => void>();
  private mirror: BoardMirror | undefined;
  private mirrorOff: (() => void) | undefined;
  private viewport: Viewport = { x: 0, y: 0, scale: 1 };
  private size: Size = { width: 1, height: 1 };
  private selection = new Set<string>();
  private selectedLink: string | null = null;
  private hover: Hit = { kind: 'empty' };
  private findMatches = new Set<string>();
  private activeFind: string | null = null;
  private peers: RemotePeer[] = [];
  private editingCardId: string | null = null;
  private interaction: Interaction = { kind: 'none' };
  private tool: Tool = 'select';
  private spaceDown = false;
  private pendingFrame: number | undefined;
  private pendingMoves: { id: string; x: number; y: number }[] | undefined;
  private pendingResize: { id: string; x: number; y: number; w: number; h: number } | undefined;
  private exporting = false;
  private readonly statsData: CanvasStats = { cards: 0, links: 0, visibleCards: 0, lastDrawMs: 0, draws: 0, scale: 1, firstCardsDrawAt: null };
  private readonly disposers: (() => void)[] = [];
  private containerRect: DOMRect;
  private overlayHadContent = false;
  private presenceHadContent = false;

  constructor(
    private readonly container: HTMLDivElement,
    private readonly callbacks: CanvasCallbacks,
  ) {
    this.containerRect = container.getBoundingClientRect();
    this.size = { width: Math.max(1, container.clientWidth), height: Math.max(1, container.clientHeight) };
    this.stage = new Konva.Stage({ container, width: this.size.width, height: this.size.height, listening: false });
    this.grid = new DotGrid(container);
    this.boardLayer = new Konva.Layer({ listening: false });
    this.overlayLayer = new Konva.Layer({ listening: false });
    this.presenceLayer = new Konva.Layer({ listening: false });
    this.stage.add(this.boardLayer, this.overlayLayer, this.presenceLayer);
    this.boardElement = this.boardLayer.getNativeCanvasElement();
    this.farCache = new FarBoardCache(
      (ctx, pixelsPerUnit) => this.paintWholeBoardFar(ctx, pixelsPerUnit / this.boardLayer.getCanvas().getPixelRatio()),
      () => this.index.bounds(),
      { maxPixelsPerUnit: DETAIL_MIN_SCALE * (window.devicePixelRatio || 1), maxSidePx: 4096, maxPixels: 8_000_000 },
    );
    this.boardElement.style.transformOrigin = '0 0';
    const measureCanvas = document.createElement('canvas').getContext('2d');
    if (!measureCanvas) throw new Error('Canvas 2D is not available in this browser');
    this.painter = new CardPainter(measureCanvas);
    this.paintContext = {
      scale: 1,
      authorName: (id) => this.mirror?.participantName(id),
      statusReason: (id) => this.mirror?.lastStatusChange(id)?.reason,
      timeFormat: shortTime,
    };
    // Sprites are painted at full detail whatever the current zoom.
    const spriteContext: CardPaintContext = { ...this.paintContext, scale: 1 };
    this.sprites = new CardSprites(
      (ctx, card) => this.painter.paint(ctx, card, spriteContext),
      (card) => this.painter.signature(card, this.paintContext),
    );

    this.boardLayer.add(
      new Konva.Shape({ listening: false, perfectDrawEnabled: false, sceneFunc: (ctx) => this.drawBoard(ctx._context, ctx.canvas.getPixelRatio()) }),
    );
    this.overlayLayer.add(
      new Konva.Shape({ listening: false, perfectDrawEnabled: false, sceneFunc: (ctx) => this.drawOverlay(ctx._context, this.overlayLayer) }),
    );
    this.presenceLayer.add(
      new Konva.Shape({ listening: false, perfectDrawEnabled: false, sceneFunc: (ctx) => this.drawPresence(ctx._context, this.presenceLayer) }),
    );
    this.attachEvents();
    this.applyViewport();
  }

  // ---------------------------------------------------------------------------------------------
  // Data
  // ---------------------------------------------------------------------------------------------
  setMirror(mirror: BoardMirror): void {
    this.mirrorOff?.();
    this.mirror = mirror;
    this.index.clear();
    this.painter.clearCache();
    this.sprites.clear();
    for (const card of mirror.cards.values()) this.index.set(card.id, card);
    this.recomputeLinkBends();
    this.mirrorOff = mirror.onChange((change) => this.onMirrorChange(change));
    this.redrawAll();
  }

  private onMirrorChange(change: MirrorChange): void {
    const mirror = this.mirror;
    if (!mirror) return;
    let selectionChanged = false;
    for (const id of change.cards) {
      const card = mirror.cards.get(id);
      if (card) this.index.set(id, card);
      else {
        this.index.delete(id);
        this.painter.forget(id);
        this.sprites.forget(id);
        if (this.selection.delete(id)) selectionChanged = true;
      }
    }
    if (change.links) {
      this.recomputeLinkBends();
      if (this.selectedLink && !mirror.links.has(this.selectedLink)) {
        this.selectedLink = null;
        selectionChanged = true;
      }
    }
    if (change.participants) this.painter.clearCache();
    if (selectionChanged) this.emitSelection();
    this.redrawAll();
  }

  private recomputeLinkBends(): void {
    this.links.linksChanged(this.mirror?.links.values() ?? []);
  }

  // ---------------------------------------------------------------------------------------------
  // State from the host
  // ---------------------------------------------------------------------------------------------
  setTool(tool: Tool): void {
    this.tool = tool;
    this.updateCursor();
  }

  getSelection(): CanvasSelection {
    return { cards: [...this.selection], link: this.selectedLink };
  }

  setSelection(sel: CanvasSelection, notify = true): void {
    this.selection = new Set(sel.cards.filter((id) => this.mirror?.cards.has(id)));
    this.selectLink(sel.link);
    if (notify) this.emitSelection();
    this.refreshOverlayLayers();
  }

  /** The selected link is drawn on the board layer (highlighted under its arrow): redraw when it changes. */
  private selectLink(id: string | null): void {
    if (this.selectedLink === id) return;
    this.selectedLink = id;
    this.redrawAll();
  }

  setFindMatches(ids: Iterable<string>, active: string | null): void {
    this.findMatches = new Set(ids);
    this.activeFind = active;
    this.refreshOverlayLayers();
  }

  setPeers(peers: RemotePeer[]): void {
    this.peers = peers;
    this.refreshOverlayLayers();
  }

  setEditingCard(id: string | null): void {
    this.editingCardId = id;
    this.refreshOverlayLayers();
  }

  getViewport(): Viewport {
    return { ...this.viewport };
  }

  getSize(): Size {
    return { ...this.size };
  }

  setViewport(v: Viewport): void {
    this.viewport = { ...v };
    this.applyViewport();
  }

  resize(): void {
    this.containerRect = this.container.getBoundingClientRect();
    this.size = { width: Math.max(1, this.container.clientWidth), height: Math.max(1, this.container.clientHeight) };
    this.stage.size(this.size);
    // Resizing cleared the layer canvases.
    this.drawnViewport = undefined;
    this.grid.update(this.viewport, this.size);
    this.redrawAll();
  }

  zoomToFit(ids?: string[]): void {
    const rects = (ids ?? [...this.index.query({ x: -1e9, y: -1e9, w: 2e9, h: 2e9 })])
      .map((id) => this.index.rectOf(id))
      .filter((r): r is Rect => r !== undefined);
    const bounds = boundsOf(rects);
    if (!bounds) {
      this.setViewport(centerOn({ x: 0, y: 0 }, 1, this.size));
    } else {
      this.setViewport(fitRect(bounds, this.size, 64, ids ? 1.25 : 1));
    }
    this.callbacks.userNavigated();
  }

  zoomStep(direction: 1 | -1): void {
    const target = nextZoomStep(this.viewport.scale, direction);
    this.setViewport(zoomAt(this.viewport, { x: this.size.width / 2, y: this.size.height / 2 }, target / this.viewport.scale));
    this.callbacks.userNavigated();
  }

  zoomTo(scale: number): void {
    this.setViewport(zoomAt(this.viewport, { x: this.size.width / 2, y: this.size.height / 2 }, scale / this.viewport.scale));
    this.callbacks.userNavigated();
  }

  /** Bring a card into view without changing the zoom unless it is unreadably small. */
  revealCard(id: string): void {
    const r = this.index.rectOf(id);
    if (!r) return;
    const scale = Math.max(this.viewport.scale, 0.6);
    this.setViewport(centerOn({ x: r.x + r.w / 2, y: r.y + r.h / 2 }, scale, this.size));
  }

  panBy(dx: number, dy: number): void {
    this.setViewport(panBy(this.viewport, dx, dy));
    this.callbacks.userNavigated();
  }

  viewCenterWorld(): Point {
    return screenToWorld(this.viewport, { x: this.size.width / 2, y: this.size.height / 2 });
  }

  /** Screen rectangle (relative to the canvas container) of a card, for overlays and tests. */
  cardScreenRect(id: string): Rect | undefined {
    const r = this.index.rectOf(id);
    return r ? worldRectToScreen(this.viewport, r) : undefined;
  }

  worldToScreen(p: Point): Point {
    return worldToScreen(this.viewport, p);
  }

  /** A free spot near `p` (world) for a new w×h card: rings of card-sized steps around it, nearest first. */
  freeSpotNear(p: Point, w: number, h: number): Point {
    const origin = { x: p.x - w / 2, y: p.y - h / 2 };
    const gapX = w + 32;
    const gapY = h + 32;
    for (let ring = 0; ring <= 4; ring++) {
      const candidates: Point[] = [];
      for (let i = -ring; i <= ring; i++) {
        for (let j = -ring; j <= ring; j++) {
          if (Math.max(Math.abs(i), Math.abs(j)) === ring) candidates.push({ x: origin.x + i * gapX, y: origin.y + j * gapY });
        }
      }
      candidates.sort((a, b) => Math.hypot(a.x - origin.x, a.y - origin.y) - Math.hypot(b.x - origin.x, b.y - origin.y));
      const free = candidates.find((c) => this.index.query({ x: c.x - 8, y: c.y - 8, w: w + 16, h: h + 16 }).size === 0);
      if (free) return free;
    }
    return { x: origin.x + 28, y: origin.y + 28 };
  }

  stats(): CanvasStats {
    return { ...this.statsData, cards: this.mirror?.cards.size ?? 0, links: this.mirror?.links.size ?? 0, scale: this.viewport.scale };
  }

  /** Forces a synchronous draw of every layer (benchmark and tests). */
  drawNow(): void {
    this.stage.draw();
  }

  /** Called after every full drawing of the board layer (benchmark: when a change reached the screen). */
  onDraw(listener: (info: DrawInfo) => void): () => void {
    this.drawListeners.add(listener);
    return () => this.drawListeners.delete(listener);
  }

  /** The whole board as a PNG data URL, on white, without cursors or selection. */
  exportPng(pixelRatio = 2): string | undefined {
    const bounds = boundsOf([...this.index.query({ x: -1e9, y: -1e9, w: 2e9, h: 2e9 })].map((id) => this.index.rectOf(id)).filter((r): r is Rect => !!r));
    if (!bounds) return undefined;
    const padded = inflateRect(bounds, 40);
    // Keep the image within what browsers can encode.
    const scale = Math.min(1, 8000 / (padded.w * pixelRatio), 8000 / (padded.h * pixelRatio));
    const saved = { viewport: this.viewport, size: this.size };
    this.exporting = true;
    try {
      this.size = { width: Math.ceil(padded.w * scale), height: Math.ceil(padded.h * scale) };
      this.viewport = { scale, x: -padded.x * scale, y: -padded.y * scale };
      this.stage.size(this.size);
      this.overlayLayer.visible(false);
      this.presenceLayer.visible(false);
      return this.stage.toDataURL({ pixelRatio, mimeType: 'image/png' });
    } finally {
      this.exporting = false;
      this.overlayLayer.visible(true);
      this.presenceLayer.visible(true);
      this.size = saved.size;
      this.viewport = saved.viewport;
      this.stage.size(this.size);
      this.drawnViewport = undefined;
      this.applyViewport();
    }
  }

  destroy(): void {
    if (this.pendingFrame !== undefined) cancelAnimationFrame(this.pendingFrame);
    clearTimeout(this.settleTimer);
    this.drawListeners.clear();
    this.grid.destroy();
    this.farCache.destroy();
    this.mirrorOff?.();
    for (const d of this.disposers) d();
    this.stage.destroy();
  }

  // ---------------------------------------------------------------------------------------------
  // Drawing
  // ---------------------------------------------------------------------------------------------
  private applyViewport(): void {
    const v = this.viewport;
    this.grid.update(v, this.size);
    if (!this.showMovedDrawing()) this.boardLayer.batchDraw();
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.settle(), SETTLE_MS);
    this.refreshOverlayLayers();
    this.callbacks.viewportChanged({ ...v });
  }

  /**
   * While the view moves, show the last drawing moved by the compositor instead of drawing thousands of
   * cards each frame, as long as that picture is faithful; draw at full quality once the view settles.
   */
  private showMovedDrawing(): boolean {
    const drawn = this.drawnViewport;
    if (!drawn || this.exporting) return false;
    if (!snapshotStillFaithful(drawn, this.viewport, this.size, this.index.bounds())) {
      const interval = Math.min(MAX_REDRAW_INTERVAL_MS, this.statsData.lastDrawMs * REDRAW_INTERVAL_PER_DRAW_MS);
      if (performance.now() - this.lastFullDrawAt >= interval) return false;
    }
    const t = snapshotTransform(drawn, this.viewport);
    // Whole pixels for a pan: a fractional offset makes the software compositor resample the layer.
    this.boardElement.style.transform =
      Math.abs(t.scale - 1) < 1e-9 ? `translate(${Math.round(t.x)}px, ${Math.round(t.y)}px)` : `matrix(${t.scale}, 0, 0, ${t.scale}, ${t.x}, ${t.y})`;
    return true;
  }

  /** The view stopped moving: everything at full quality for exactly this view. */
  private settle(): void {
    this.grid.update(this.viewport, this.size, true);
    const drawn = this.drawnViewport;
    if (!drawn || !viewportsEqual(drawn, this.viewport)) this.boardLayer.batchDraw();
  }

  private redrawAll(): void {
    this.farCache.invalidate();
    this.boardLayer.batchDraw();
    this.refreshOverlayLayers();
  }

  /**
   * Overlay and presence are full-size transparent canvases: each visible one costs a clear and a
   * composite per frame even when empty. Hide them (display: none) while they have nothing to show.
   */
  private refreshOverlayLayers(): void {
    const overlay = this.overlayHasContent();
    if (overlay || this.overlayHadContent) {
      this.overlayLayer.visible(true);
      this.overlayLayer.batchDraw();
    } else if (this.overlayLayer.visible()) this.overlayLayer.visible(false);
    const presence = this.peers.length > 0;
    if (presence || this.presenceHadContent) {
      this.presenceLayer.visible(true);
      this.presenceLayer.batchDraw();
    } else if (this.presenceLayer.visible()) this.presenceLayer.visible(false);
  }

  /**
   * The viewport transform is set here, not on the Konva layer: changing a layer's position makes Konva
   * redraw it, which is exactly what a moving view must avoid.
   */
  private drawBoard(ctx: CanvasRenderingContext2D, pixelRatio: number): void {
    const started = performance.now();
    const mirror = this.mirror;
    if (!mirror) return;
    const v = this.viewport;
    ctx.setTransform(pixelRatio * v.scale, 0, 0, pixelRatio * v.scale, pixelRatio * v.x, pixelRatio * v.y);
    if (this.exporting) {
      ctx.fillStyle = '#f6f7f9';
      const area = visibleWorldRect(v, this.size);
      ctx.fillRect(area.x, area.y, area.w, area.h);
    } else {
      // This drawing is for the current view: drop any transform left from showing an older one.
      if (this.boardElement.style.transform) this.boardElement.style.transform = '';
      this.drawnViewport = { ...v };
      this.lastFullDrawAt = started;
    }
    const view = visibleWorldRect(v, this.size, CULL_MARGIN_PX);
    const visible = this.index.query(view);
    const far = v.scale < DETAIL_MIN_SCALE && !this.exporting;
    if (far && this.farCache.draw(ctx, v.scale * pixelRatio)) {
      // The whole board from its cached picture.
    } else if (far) {
      this.links.draw(ctx, mirror.links.values(), view, v.scale, this.selectedLink);
      this.painter.paintFarBatch(ctx, this.cardsInZOrder(mirror, visible), { ...this.paintContext, scale: v.scale });
    } else if (this.exporting) {
      this.links.draw(ctx, mirror.links.values(), view, v.scale, this.selectedLink);
      for (const card of this.cardsInZOrder(mirror, visible)) this.painter.paint(ctx, card, { ...this.paintContext, scale: 1 });
    } else {
      this.links.draw(ctx, mirror.links.values(), view, v.scale, this.selectedLink);
      this.paintContext.scale = v.scale;
      this.sprites.beginFrame();
      const pixelsPerUnit = v.scale * pixelRatio;
      for (const card of this.cardsInZOrder(mirror, visible)) this.sprites.draw(ctx, card, pixelsPerUnit);
      // Sprites still to (re)build at this zoom: another frame builds the next few.
      if (this.sprites.deferredThisFrame > 0) requestAnimationFrame(() => this.boardLayer.batchDraw());
    }
    this.statsData.visibleCards = visible.size;
    this.statsData.draws += 1;
    const ended = performance.now();
    this.statsData.lastDrawMs = ended - started;
    if (this.statsData.firstCardsDrawAt === null && visible.size > 0) this.statsData.firstCardsDrawAt = ended;
    if (!this.exporting) for (const listener of this.drawListeners) listener({ at: ended, visibleCards: visible.size });
  }

  /** Cards bottom to top; a card being dragged is where the pointer has it (the index), ahead of the doc write. */
  private cardsInZOrder(mirror: BoardMirror, ids: Iterable<string>): Card[] {
    const sorted = [...ids].sort((a, b) => mirror.zOf(a) - mirror.zOf(b));
    const cards: Card[] = [];
    for (const id of sorted) {
      const card = mirror.cards.get(id);
      if (!card) continue;
      const r = this.index.rectOf(id);
      cards.push(r && (r.x !== card.x || r.y !== card.y || r.w !== card.w || r.h !== card.h) ? { ...card, ...r } : card);
    }
    return cards;
  }

  /** The whole board at far detail, for the far picture painted at `scale`. */
  private paintWholeBoardFar(ctx: CanvasRenderingContext2D, scale: number): void {
    const mirror = this.mirror;
    const bounds = this.index.bounds();
    if (!mirror || !bounds) return;
    this.links.draw(ctx, mirror.links.values(), bounds, scale, this.selectedLink);
    this.painter.paintFarBatch(ctx, this.cardsInZOrder(mirror, mirror.cards.keys()), { ...this.paintContext, scale });
  }

  private linkRoute(link: Link): LinkRoute | undefined {
    return this.links.route(link);
  }

  private screenSpace(ctx: CanvasRenderingContext2D, layer: Konva.Layer): void {
    const ratio = layer.getCanvas().getPixelRatio();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  private overlayHasContent(): boolean {
    const k = this.interaction.kind;
    return this.selection.size > 0 || this.findMatches.size > 0 || this.hover.kind !== 'empty' || !!this.selectedLink || k === 'marquee' || k === 'link';
  }

  private drawOverlay(ctx: CanvasRenderingContext2D, layer: Konva.Layer): void {
    this.overlayHadContent = this.overlayHasContent();
    if (!this.mirror) return;
    this.screenSpace(ctx, layer);
    const v = this.viewport;
    const view = visibleWorldRect(v, this.size, CULL_MARGIN_PX);

    for (const id of this.findMatches) {
      const r = this.index.rectOf(id);
      if (!r || !rectsIntersect(r, view)) continue;
      const s = worldRectToScreen(v, r);
      ctx.strokeStyle = id === this.activeFind ? '#d4a72c' : 'rgba(212, 167, 44, 0.75)';
      ctx.lineWidth = id === this.activeFind ? 5 : 3;
      roundRect(ctx, s.x - 5, s.y - 5, s.w + 10, s.h + 10, 12);
      ctx.stroke();
    }

    for (const id of this.selection) {
      const r = this.index.rectOf(id);
      if (!r) continue;
      const s = worldRectToScreen(v, r);
      ctx.strokeStyle = SELECTION_COLOR;
      ctx.lineWidth = 2;
      roundRect(ctx, s.x - 3, s.y - 3, s.w + 6, s.h + 6, 12);
      ctx.stroke();
    }

    const hoverId = this.hover.kind === 'card' || this.hover.kind === 'link-handle' || this.hover.kind === 'resize-handle' ? this.hover.cardId : null;
    if (hoverId && !this.selection.has(hoverId) && this.interaction.kind === 'none') {
      const r = this.index.rectOf(hoverId);
      if (r) {
        const s = worldRectToScreen(v, r);
        ctx.strokeStyle = 'rgba(10, 102, 228, 0.45)';
        ctx.lineWidth = 1.5;
        roundRect(ctx, s.x - 2, s.y - 2, s.w + 4, s.h + 4, 11);
        ctx.stroke();
      }
    }

    if (this.callbacks.isEditable() && this.interaction.kind !== 'move') {
      for (const id of this.handleCards()) {
        if (id === this.editingCardId) continue;
        const r = this.index.rectOf(id);
        if (!r) continue;
        const link = worldToScreen(v, linkHandleCenter(r, v.scale));
        drawHandle(ctx, link, '#e5484d', 'link', this.hover.kind === 'link-handle' && this.hover.cardId === id);
        if (this.selection.has(id) && this.selection.size === 1) {
          drawHandle(ctx, worldToScreen(v, resizeHandleCenter(r)), SELECTION_COLOR, 'resize', this.hover.kind === 'resize-handle');
        }
      }
    }

    const it = this.interaction;
    if (it.kind === 'marquee') {
      const a = worldToScreen(v, it.startWorld);
      const b = worldToScreen(v, it.current);
      const r = rectFromPoints(a, b);
      ctx.fillStyle = 'rgba(10, 102, 228, 0.08)';
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.strokeStyle = SELECTION_COLOR;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w, r.h);
      ctx.setLineDash([]);
    }
    if (it.kind === 'link') {
      const fromRect = this.index.rectOf(it.fromId);
      if (fromRect) {
        const target = it.targetId ? this.index.rectOf(it.targetId) : undefined;
        const startScreen = worldToScreen(v, linkHandleCenter(fromRect, v.scale));
        let end = worldToScreen(v, it.current);
        if (target) {
          const ts = worldRectToScreen(v, target);
          ctx.strokeStyle = '#e5484d';
          ctx.lineWidth = 2.5;
          roundRect(ctx, ts.x - 4, ts.y - 4, ts.w + 8, ts.h + 8, 12);
          ctx.stroke();
          const route = routeLink(fromRect, target);
          if (route) end = worldToScreen(v, route.end);
        }
        ctx.strokeStyle = '#e5484d';
        ctx.lineWidth = 2.5;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(startScreen.x, startScreen.y);
        ctx.lineTo(end.x, end.y);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = '#e5484d';
        ctx.beginPath();
        ctx.arc(end.x, end.y, 4, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }

  private drawPresence(ctx: CanvasRenderingContext2D, layer: Konva.Layer): void {
    this.presenceHadContent = this.peers.length > 0;
    this.screenSpace(ctx, layer);
    const v = this.viewport;
    ctx.font = `600 11.5px ${UI_FONT}`;
    ctx.textBaseline = 'middle';
    for (const peer of this.peers) {
      const color = peer.user.color;
      for (const id of peer.selection) {
        const r = this.index.rectOf(id);
        if (!r || id === peer.editingCardId) continue;
        const s = worldRectToScreen(v, r);
        ctx.strokeStyle = color;
        ctx.globalAlpha = 0.7;
        ctx.lineWidth = 1.5;
        roundRect(ctx, s.x - 3, s.y - 3, s.w + 6, s.h + 6, 12);
        ctx.stroke();
        ctx.globalAlpha = 1;
      }
      if (peer.editingCardId) {
        const r = this.index.rectOf(peer.editingCardId);
        if (r) {
          const s = worldRectToScreen(v, r);
          ctx.strokeStyle = color;
          ctx.lineWidth = 2.5;
          roundRect(ctx, s.x - 4, s.y - 4, s.w + 8, s.h + 8, 12);
          ctx.stroke();
          const text = `${peer.user.name} is editing`;
          const w = ctx.measureText(text).width + 14;
          ctx.fillStyle = color;
          roundRect(ctx, s.x - 4, s.y - 26, w, 20, 6);
          ctx.fill();
          ctx.fillStyle = readableOn(color);
          ctx.fillText(text, s.x + 3, s.y - 15.5);
        }
      }
      if (peer.cursor) {
        const p = worldToScreen(v, peer.cursor);
        if (p.x < -20 || p.y < -20 || p.x > this.size.width + 20 || p.y > this.size.height + 20) continue;
        ctx.fillStyle = color;
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(p.x, p.y);
        ctx.lineTo(p.x, p.y + 17);
        ctx.lineTo(p.x + 4.5, p.y + 13);
        ctx.lineTo(p.x + 8, p.y + 20);
        ctx.lineTo(p.x + 10.5, p.y + 19);
        ctx.lineTo(p.x + 7.2, p.y + 12.2);
        ctx.lineTo(p.x + 12.5, p.y + 12);
        ctx.closePath();
        ctx.fill();
        ctx.stroke();
        const label = peer.user.name;
        const w = ctx.measureText(label).width + 14;
        ctx.fillStyle = color;
        roundRect(ctx, p.x + 12, p.y + 18, w, 20, 10);
        ctx.fill();
        ctx.fillStyle = readableOn(color);
        ctx.fillText(label, p.x + 19, p.y + 28.5);
      }
    }
    ctx.textBaseline = 'alphabetic';
  }

  // ---------------------------------------------------------------------------------------------
  // Interaction
  // ---------------------------------------------------------------------------------------------
  private handleCards(): string[] {
    const ids = [...this.selection].slice(0, 50);
    if (this.hover.kind !== 'empty' && this.hover.kind !== 'link' && !this.selection.has(this.hover.cardId)) ids.unshift(this.hover.cardId);
    return ids;
  }

  private localPoint(e: { clientX: number; clientY: number }): Point {
    return { x: e.clientX - this.containerRect.left, y: e.clientY - this.containerRect.top };
  }

  private hitAt(screen: Point): Hit {
    const mirror = this.mirror;
    if (!mirror) return { kind: 'empty' };
    const world = screenToWorld(this.viewport, screen);
    const links: { id: string; route: LinkRoute }[] = [];
    const probe = inflateRect({ x: world.x, y: world.y, w: 0, h: 0 }, 8 / this.viewport.scale);
    for (const link of mirror.links.values()) {
      const from = this.index.rectOf(link.from);
      const to = this.index.rectOf(link.to);
      if (!from || !to) continue;
      const box = boundsOf([from, to]);
      if (!box || !rectsIntersect(box, probe)) continue;
      const route = this.linkRoute(link);
      if (route) links.push({ id: link.id, route });
    }
    return hitTest({
      point: world,
      scale: this.viewport.scale,
      index: this.index,
      zOrder: (id) => mirror.zOf(id),
      handleCards: this.handleCards(),
      editable: this.callbacks.isEditable(),
      links,
    });
  }

  private attachEvents(): void {
    const el = this.container;
    const on = <K extends keyof HTMLElementEventMap>(type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => {
      el.addEventListener(type, fn as EventListener, opts);
      this.disposers.push(() => el.removeEventListener(type, fn as EventListener, opts));
    };
    on('pointerdown', (e) => this.onPointerDown(e));
    on('pointermove', (e) => this.onPointerMove(e));
    on('pointerup', (e) => this.onPointerUp(e));
    on('pointercancel', () => this.cancelInteraction());
    on('pointerleave', () => {
      if (this.interaction.kind === 'none') this.callbacks.pointerMoved(null);
    });
    on('wheel', (e) => this.onWheel(e), { passive: false });
    on('dblclick', (e) => this.onDoubleClick(e));
    on('contextmenu', (e) => e.preventDefault());
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== ' ' || isTypingTarget(e.target)) return;
      const down = e.type === 'keydown';
      if (down) e.preventDefault();
      if (this.spaceDown !== down) {
        this.spaceDown = down;
        this.updateCursor();
      }
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKey);
    const onResize = () => (this.containerRect = el.getBoundingClientRect());
    window.addEventListener('scroll', onResize, true);
    this.disposers.push(
      () => window.removeEventListener('keydown', onKey),
      () => window.removeEventListener('keyup', onKey),
      () => window.removeEventListener('scroll', onResize, true),
    );
  }

  private onPointerDown(e: PointerEvent): void {
    this.containerRect = this.container.getBoundingClientRect();
    this.callbacks.pointerDown();
    const screen = this.localPoint(e);
    const world = screenToWorld(this.viewport, screen);
    this.container.setPointerCapture?.(e.pointerId);
    if (e.button === 1 || e.button === 2 || this.spaceDown || this.tool === 'hand') {
      this.interaction = { kind: 'pan', startScreen: screen, startViewport: { ...this.viewport }, moved: false };
      this.updateCursor();
      return;
    }
    if (e.button !== 0) return;
    const hit = this.hitAt(screen);
    const additive = e.shiftKey || e.metaKey || e.ctrlKey;
    switch (hit.kind) {
      case 'resize-handle': {
        const r = this.index.rectOf(hit.cardId);
        if (!r) return;
        this.callbacks.gestureStart();
        this.interaction = { kind: 'resize', cardId: hit.cardId, origin: { ...r } };
        return;
      }
      case 'link-handle':
        this.interaction = { kind: 'link', fromId: hit.cardId, current: world, targetId: undefined };
        this.refreshOverlayLayers();
        return;
      case 'card': {
        const card = this.mirror?.cards.get(hit.cardId);
        const action = card ? cardActionAt(card, this.painter.zones(card), world) : undefined;
        const wasSelected = this.selection.has(hit.cardId);
        if (!wasSelected) {
          if (!additive) this.selection.clear();
          this.selection.add(hit.cardId);
          this.selectLink(null);
          this.emitSelection();
        }
        this.interaction = { kind: 'press-card', cardId: hit.cardId, startScreen: screen, startWorld: world, action, wasSelected, additive };
        this.refreshOverlayLayers();
        return;
      }
      case 'link':
        this.selection.clear();
        this.selectLink(hit.linkId);
        this.emitSelection();
        return;
      case 'empty':
        this.interaction = { kind: 'press-empty', startScreen: screen, additive };
        return;
    }
  }

  private onPointerMove(e: PointerEvent): void {
    const screen = this.localPoint(e);
    const world = screenToWorld(this.viewport, screen);
    this.callbacks.pointerMoved(world);
    const it = this.interaction;
    switch (it.kind) {
      case 'none': {
        const hit = this.hitAt(screen);
        if (!sameHit(hit, this.hover)) {
          this.hover = hit;
          this.refreshOverlayLayers();
          this.updateCursor();
        }
        return;
      }
      case 'pan': {
        const dx = screen.x - it.startScreen.x;
        const dy = screen.y - it.startScreen.y;
        if (!it.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
        it.moved = true;
        this.viewport = { ...it.startViewport, x: it.startViewport.x + dx, y: it.startViewport.y + dy };
        this.applyViewport();
        this.callbacks.userNavigated();
        return;
      }
      case 'press-card': {
        if (Math.hypot(screen.x - it.startScreen.x, screen.y - it.startScreen.y) < DRAG_THRESHOLD_PX) return;
        if (!this.callbacks.isEditable()) {
          // Viewers pan the board by dragging cards too: nothing to move.
          this.interaction = { kind: 'pan', startScreen: it.startScreen, startViewport: { ...this.viewport }, moved: true };
          return;
        }
        const origins = new Map<string, Point>();
        for (const id of this.selection) {
          const r = this.index.rectOf(id);
          if (r) origins.set(id, { x: r.x, y: r.y });
        }
        this.callbacks.gestureStart();
        this.interaction = { kind: 'move', startWorld: it.startWorld, origins };
        this.updateCursor();
        this.onPointerMove(e);
        return;
      }
      case 'move': {
        const dx = world.x - it.startWorld.x;
        const dy = world.y - it.startWorld.y;
        this.pendingMoves = [...it.origins].map(([id, o]) => ({ id, x: Math.round(o.x + dx), y: Math.round(o.y + dy) }));
        // Show the move at once; the doc write follows on the next frame.
        for (const m of this.pendingMoves) {
          const r = this.index.rectOf(m.id);
          if (r) this.index.set(m.id, { ...r, x: m.x, y: m.y });
        }
        this.redrawAll();
        this.scheduleFlush();
        return;
      }
      case 'resize': {
        const w = Math.max(MIN_CARD_W, Math.round(world.x - it.origin.x));
        const h = Math.max(MIN_CARD_H, Math.round(world.y - it.origin.y));
        this.pendingResize = { id: it.cardId, x: it.origin.x, y: it.origin.y, w, h };
        this.index.set(it.cardId, { x: it.origin.x, y: it.origin.y, w, h });
        this.redrawAll();
        this.scheduleFlush();
        return;
      }
      case 'link': {
        it.current = world;
        const target = this.mirror ? topCardAt(world, this.index, (id) => this.mirror?.zOf(id) ?? 0) : undefined;
        it.targetId = target && target !== it.fromId ? target : undefined;
        this.refreshOverlayLayers();
        return;
      }
      case 'marquee': {
        it.current = world;
        const picked = cardsInMarquee(rectFromPoints(it.startWorld, world), this.index);
        this.selection = new Set([...it.base, ...picked]);
        this.refreshOverlayLayers();
        return;
      }
      case 'press-empty': {
        if (Math.hypot(screen.x - it.startScreen.x, screen.y - it.startScreen.y) < DRAG_THRESHOLD_PX) return;
        const startWorld = screenToWorld(this.viewport, it.startScreen);
        this.interaction = { kind: 'marquee', startWorld, current: world, base: it.additive ? new Set(this.selection) : new Set() };
        this.selectLink(null);
        this.onPointerMove(e);
        return;
      }
    }
  }

  private onPointerUp(e: PointerEvent): void {
    const screen = this.localPoint(e);
    const it = this.interaction;
    this.interaction = { kind: 'none' };
    this.container.releasePointerCapture?.(e.pointerId);
    switch (it.kind) {
      case 'press-card':
        if (it.action && (it.action !== 'status' || this.callbacks.isEditable())) {
          this.callbacks.cardAction(it.cardId, it.action, screen);
        } else if (it.wasSelected && it.additive) {
          this.selection.delete(it.cardId);
          this.emitSelection();
        } else if (it.wasSelected && !it.additive && this.selection.size > 1) {
          this.selection = new Set([it.cardId]);
          this.emitSelection();
        }
        break;
      case 'move':
      case 'resize':
        this.flushPending();
        this.callbacks.gestureEnd();
        break;
      case 'link':
        if (it.targetId) this.callbacks.linkDropped(it.fromId, it.targetId, screen);
        break;
      case 'marquee':
        this.emitSelection();
        break;
      case 'press-empty':
        if (!it.additive && (this.selection.size > 0 || this.selectedLink)) {
          this.selection.clear();
          this.selectLink(null);
          this.emitSelection();
        }
        break;
      case 'pan':
      case 'none':
        break;
    }
    this.hover = this.hitAt(screen);
    this.updateCursor();
    this.refreshOverlayLayers();
  }

  private cancelInteraction(): void {
    if (this.interaction.kind === 'move' || this.interaction.kind === 'resize') {
      this.flushPending();
      this.callbacks.gestureEnd();
    }
    this.interaction = { kind: 'none' };
    this.refreshOverlayLayers();
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const intent = wheelIntent(e);
    if (intent.kind === 'zoom') {
      this.viewport = zoomAt(this.viewport, this.localPoint(e), intent.factor);
    } else {
      this.viewport = panBy(this.viewport, intent.dx, intent.dy);
    }
    this.applyViewport();
    this.callbacks.userNavigated();
  }

  private onDoubleClick(e: MouseEvent): void {
    const screen = this.localPoint(e);
    const world = screenToWorld(this.viewport, screen);
    const hit = this.hitAt(screen);
    if (!this.callbacks.isEditable()) return;
    if (hit.kind === 'card') {
      const card = this.mirror?.cards.get(hit.cardId);
      if (!card) return;
      if (cardActionAt(card, this.painter.zones(card), world)) return;
      const zones = this.painter.zones(card);
      const inTitle = world.y < zones.content.y + 2 * 19;
      this.callbacks.editCard(hit.cardId, inTitle ? 'title' : 'body');
    } else if (hit.kind === 'empty') {
      this.callbacks.createAt(world);
    }
  }

  private scheduleFlush(): void {
    if (this.pendingFrame !== undefined) return;
    this.pendingFrame = requestAnimationFrame(() => {
      this.pendingFrame = undefined;
      this.flushPending();
    });
  }

  private flushPending(): void {
    if (this.pendingMoves) {
      const moves = this.pendingMoves;
      this.pendingMoves = undefined;
      this.callbacks.moveCards(moves);
    }
    if (this.pendingResize) {
      const r = this.pendingResize;
      this.pendingResize = undefined;
      this.callbacks.resizeCard(r.id, r);
    }
  }

  private emitSelection(): void {
    this.callbacks.selectionChanged(this.getSelection());
    this.refreshOverlayLayers();
  }

  private updateCursor(): void {
    const it = this.interaction;
    let cursor = 'default';
    if (it.kind === 'pan') cursor = 'grabbing';
    else if (it.kind === 'move') cursor = 'grabbing';
    else if (it.kind === 'link') cursor = 'crosshair';
    else if (it.kind === 'resize') cursor = 'nwse-resize';
    else if (this.spaceDown || this.tool === 'hand') cursor = 'grab';
    else if (this.hover.kind === 'resize-handle') cursor = 'nwse-resize';
    else if (this.hover.kind === 'link-handle') cursor = 'crosshair';
    else if (this.hover.kind === 'card') cursor = 'move';
    else if (this.hover.kind === 'link') cursor = 'pointer';
    this.container.style.cursor = cursor;
  }
}

function sameHit(a: Hit, b: Hit): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'empty' || b.kind === 'empty') return true;
  if (a.kind === 'link' && b.kind === 'link') return a.linkId === b.linkId;
  return 'cardId' in a && 'cardId' in b && a.cardId === b.cardId;
}

function drawHandle(ctx: CanvasRenderingContext2D, p: Point, color: string, kind: 'link' | 'resize', hot: boolean): void {
  const r = hot ? HANDLE_RADIUS_PX : HANDLE_RADIUS_PX - 2;
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  if (kind === 'resize') ctx.rect(p.x - r + 2, p.y - r + 2, 2 * r - 4, 2 * r - 4);
  else ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
  if (kind === 'link') {
    ctx.beginPath();
    ctx.moveTo(p.x - 3.5, p.y);
    ctx.lineTo(p.x + 3.5, p.y);
    ctx.moveTo(p.x, p.y - 3.5);
    ctx.lineTo(p.x, p.y + 3.5);
    ctx.stroke();
  }
}

/** Black or white text, whichever reads better on `hex`. */
export function readableOn(hex: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m || !m[1]) return '#ffffff';
  const n = parseInt(m[1], 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '#1f2328' : '#ffffff';
}

function shortTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

export type { Card };
