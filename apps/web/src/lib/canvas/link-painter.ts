// Draws the board's links (arrows coloured and dashed by relation, with labels when close enough to
// read), batched into one path per relation. Routes are cached per link and recomputed only when one of
// its cards moved or resized, so a frame costs a pass over the links, not thousands of route computations.
import type { Link, LinkRelation } from '@redstring/model';
import { roundRect, UI_FONT } from './card-painter';
import { RELATION_STYLES } from './card-style';
import type { Rect } from './geometry';
import { arrowHead, pairKey, routeLink, type LinkRoute } from './link-geometry';

/** Below this zoom, labels are unreadable: not drawn. */
const LABEL_MIN_SCALE = 0.4;
/** Arrow heads smaller than this on screen are invisible specks: not drawn. */
const MIN_HEAD_PX = 4;

interface CachedRoute {
  from: Rect;
  to: Rect;
  bend: number;
  route: LinkRoute | undefined;
}

export class LinkPainter {
  private readonly routes = new Map<string, CachedRoute>();
  private readonly bends = new Map<string, number>();
  private readonly byRelation = new Map<LinkRelation, LinkRoute[]>();
  private readonly labels: { route: LinkRoute; relation: LinkRelation }[] = [];
  private readonly labelWidths = new Map<LinkRelation, number>();

  constructor(private readonly rectOf: (cardId: string) => Rect | undefined) {}

  /** Spreads parallel links between the same two cards symmetrically; call when the links change. */
  linksChanged(links: Iterable<Link>): void {
    const groups = new Map<string, Link[]>();
    for (const link of links) {
      const key = pairKey(link.from, link.to);
      const list = groups.get(key);
      if (list) list.push(link);
      else groups.set(key, [link]);
    }
    this.bends.clear();
    for (const list of groups.values()) {
      if (list.length === 1) continue;
      list.forEach((link, i) => {
        const offset = (i - (list.length - 1) / 2) * 22;
        // A reversed link flips the offset's sign by itself.
        this.bends.set(link.id, link.from < link.to ? offset : -offset);
      });
    }
    this.routes.clear();
  }

  /** The link's current route (cached while neither card moved), or undefined when the cards overlap. */
  route(link: Link): LinkRoute | undefined {
    const from = this.rectOf(link.from);
    const to = this.rectOf(link.to);
    if (!from || !to) return undefined;
    const bend = this.bends.get(link.id) ?? 0;
    const cached = this.routes.get(link.id);
    // The spatial index replaces a card's rectangle object whenever it changes: identity is enough.
    if (cached && cached.from === from && cached.to === to && cached.bend === bend) return cached.route;
    const route = routeLink(from, to, 6, bend);
    this.routes.set(link.id, { from, to, bend, route });
    return route;
  }

  forget(linkId: string): void {
    this.routes.delete(linkId);
  }

  /** Draws every link whose cards' bounding box meets `view` (world coordinates; `ctx` carries the viewport). */
  draw(ctx: CanvasRenderingContext2D, links: Iterable<Link>, view: Rect, scale: number, selectedLinkId: string | null): void {
    const showLabels = scale >= LABEL_MIN_SCALE;
    const widthScale = 1 / Math.max(scale, 0.5);
    const headLen = 12 * widthScale;
    const showHeads = headLen * scale >= MIN_HEAD_PX;
    const viewRight = view.x + view.w;
    const viewBottom = view.y + view.h;
    for (const list of this.byRelation.values()) list.length = 0;
    this.labels.length = 0;
    let selected: LinkRoute | undefined;
    for (const link of links) {
      const from = this.rectOf(link.from);
      const to = this.rectOf(link.to);
      if (!from || !to) continue;
      if (Math.max(from.x + from.w, to.x + to.w) < view.x || Math.max(from.y + from.h, to.y + to.h) < view.y) continue;
      if (Math.min(from.x, to.x) > viewRight || Math.min(from.y, to.y) > viewBottom) continue;
      const route = this.route(link);
      if (!route) continue;
      let list = this.byRelation.get(link.relation);
      if (!list) this.byRelation.set(link.relation, (list = []));
      list.push(route);
      if (link.id === selectedLinkId) selected = route;
      if (showLabels) this.labels.push({ route, relation: link.relation });
    }

    ctx.lineCap = 'round';
    if (selected) {
      ctx.strokeStyle = 'rgba(10, 102, 228, 0.28)';
      ctx.lineWidth = 3 * widthScale + 8 / scale;
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(selected.start.x, selected.start.y);
      ctx.lineTo(selected.end.x, selected.end.y);
      ctx.stroke();
    }
    for (const [relation, routes] of this.byRelation) {
      if (routes.length === 0) continue;
      const style = RELATION_STYLES[relation];
      ctx.strokeStyle = style.color;
      ctx.fillStyle = style.color;
      ctx.lineWidth = style.width * widthScale;
      ctx.setLineDash(style.dash.length ? style.dash.map((d) => d * widthScale) : style.dash);
      ctx.beginPath();
      const inset = showHeads ? headLen * 0.8 : 0;
      for (const r of routes) {
        ctx.moveTo(r.start.x, r.start.y);
        // Stop short of the tip so the arrow head stays sharp.
        ctx.lineTo(r.end.x - Math.cos(r.angle) * inset, r.end.y - Math.sin(r.angle) * inset);
      }
      ctx.stroke();
      if (!showHeads) continue;
      ctx.setLineDash([]);
      ctx.beginPath();
      for (const r of routes) {
        const [a, b] = arrowHead(r.end, r.angle, headLen);
        // fill() closes each triangle itself.
        ctx.moveTo(r.end.x, r.end.y);
        ctx.lineTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
      }
      ctx.fill();
    }
    ctx.setLineDash([]);
    // Labels after all lines, so no line crosses a label.
    if (this.labels.length === 0) return;
    ctx.font = `600 11px ${UI_FONT}`;
    ctx.textBaseline = 'middle';
    for (const { route, relation } of this.labels) {
      const style = RELATION_STYLES[relation];
      const text = relation === 'refutes' ? '✕ refutes' : style.label;
      let w = this.labelWidths.get(relation);
      if (w === undefined) this.labelWidths.set(relation, (w = ctx.measureText(text).width + 12));
      const h = 18;
      ctx.fillStyle = '#ffffff';
      roundRect(ctx, route.mid.x - w / 2, route.mid.y - h / 2, w, h, 9);
      ctx.fill();
      ctx.strokeStyle = style.color;
      ctx.lineWidth = 1;
      ctx.stroke();
      ctx.fillStyle = style.color;
      ctx.fillText(text, route.mid.x - w / 2 + 6, route.mid.y + 0.5);
    }
    ctx.textBaseline = 'alphabetic';
  }
}
