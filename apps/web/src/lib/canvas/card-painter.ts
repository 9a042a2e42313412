// Draws cards straight onto a 2-D context in world coordinates. One Konva shape calls this for every
// visible card: thousands of Konva nodes would cost far more in scene-graph bookkeeping than drawing.
import type { Card } from '@redstring/model';
import { ACTION_STATE_STYLES, HYPOTHESIS_STATUS_STYLES, KIND_STYLES } from './card-style';
import { CARD_METRICS, cardZones, isCopyableSource, isOpenableSource, linesThatFit, type CardZones } from './card-layout';
import { cachedMeasure, wrapText, type Measure } from './text-layout';

export const UI_FONT = "Inter, 'Segoe UI', 'Liberation Sans', 'DejaVu Sans', system-ui, sans-serif";
export const MONO_FONT = "'JetBrains Mono', 'SF Mono', 'Liberation Mono', 'DejaVu Sans Mono', monospace";

const FONTS = {
  kind: `700 10.5px ${UI_FONT}`,
  pill: `600 10.5px ${UI_FONT}`,
  title: `600 ${CARD_METRICS.titleFont}px ${UI_FONT}`,
  body: `400 ${CARD_METRICS.bodyFont}px ${UI_FONT}`,
  footer: `400 11px ${UI_FONT}`,
  mono: `400 11px ${MONO_FONT}`,
  far: `600 48px ${UI_FONT}`,
};

/** Level of detail: below these zoom levels text becomes unreadable anyway, so it is not drawn. */
export const DETAIL_MIN_SCALE = 0.32;
export const FAR_TITLE_MIN_SCALE = 0.12;

export interface CardPaintContext {
  scale: number;
  authorName: (userId: string) => string | undefined;
  statusReason: (cardId: string) => string | undefined;
  timeFormat: (at: number) => string;
}

interface TextCacheEntry {
  signature: string;
  titleLines: string[];
  bodyLines: string[];
  reasonLines: string[];
  farTitle: string[];
  pillText: string;
  pillWidth: number;
  sourceText: string;
}

const icons = new Map<string, Path2D>();
function iconPath(d: string): Path2D {
  let p = icons.get(d);
  if (!p) icons.set(d, (p = new Path2D(d)));
  return p;
}

export class CardPainter {
  private readonly measures = new Map<string, Measure>();
  private readonly textCache = new Map<string, TextCacheEntry>();

  constructor(private readonly measureCtx: CanvasRenderingContext2D) {}

  private readonly signatures = new WeakMap<Card, string>();

  forget(cardId: string): void {
    this.textCache.delete(cardId);
  }

  /** Everything that changes how a card looks (not where): the key of its cached bitmap. */
  signature(card: Card, pc: CardPaintContext): string {
    let sig = this.signatures.get(card);
    if (sig === undefined) {
      const reason = card.kind === 'hypothesis' && card.status === 'ruled-out' ? (pc.statusReason(card.id) ?? '') : '';
      sig = [card.kind, card.title, card.body, card.w, card.h, card.status, card.actionState, card.answered, card.source?.kind, card.source?.value, card.source?.label, card.observedAt, reason].join('\u0000');
      this.signatures.set(card, sig);
    }
    return sig;
  }

  /**
   * Zoomed far out, cards are coloured blocks: batch them into one path per colour (a few fill calls for
   * thousands of cards). Overlapping cards of different kinds may stack out of order at this distance.
   */
  paintFarBatch(ctx: CanvasRenderingContext2D, cards: Card[], pc: CardPaintContext): void {
    const tints = new Map<string, Card[]>();
    for (const card of cards) {
      const ruledOut = card.kind === 'hypothesis' && card.status === 'ruled-out';
      const key = ruledOut ? 'ruled-out' : card.kind;
      const list = tints.get(key);
      if (list) list.push(card);
      else tints.set(key, [card]);
    }
    const strip = Math.min(40, 10 / Math.max(pc.scale, 0.05));
    for (const [key, list] of tints) {
      const style = key === 'ruled-out' ? { tint: '#eceef1', accent: '#8c959f' } : KIND_STYLES[key as Card['kind']];
      ctx.fillStyle = style.tint;
      ctx.beginPath();
      for (const c of list) ctx.rect(c.x, c.y, c.w, c.h);
      ctx.fill();
      ctx.fillStyle = style.accent;
      ctx.beginPath();
      for (const c of list) ctx.rect(c.x, c.y, c.w, Math.min(c.h, strip));
      ctx.fill();
    }
    if (pc.scale >= FAR_TITLE_MIN_SCALE) {
      ctx.font = FONTS.far;
      ctx.fillStyle = '#1f2328';
      ctx.textBaseline = 'top';
      for (const card of cards) {
        if (!card.title) continue;
        let ty = card.y + 24;
        for (const line of this.layout(card, pc).farTitle) {
          ctx.fillText(line, card.x + 14, ty);
          ty += 54;
        }
      }
      ctx.textBaseline = 'alphabetic';
    }
  }

  clearCache(): void {
    this.textCache.clear();
  }

  zones(card: Card): CardZones {
    return cardZones(card, this.pillWidth(card));
  }

  private pillWidth(card: Card): number {
    const text = pillLabel(card);
    if (!text) return 0;
    const caret = card.kind === 'hypothesis' || card.kind === 'action' ? 12 : 0;
    return this.measure(FONTS.pill)(text) + 2 * CARD_METRICS.pillPadX + caret;
  }

  paint(ctx: CanvasRenderingContext2D, card: Card, pc: CardPaintContext): void {
    const style = KIND_STYLES[card.kind];
    const m = CARD_METRICS;
    const ruledOut = card.kind === 'hypothesis' && card.status === 'ruled-out';
    const done = card.kind === 'action' && (card.actionState === 'done' || card.actionState === 'abandoned');
    const { x, y, w, h } = card;

    ctx.globalAlpha = ruledOut ? 0.62 : 1;
    if (pc.scale < DETAIL_MIN_SCALE) {
      this.paintFar(ctx, card, pc);
      ctx.globalAlpha = 1;
      return;
    }
    // Soft shadow without shadowBlur (which is slow for thousands of cards).
    ctx.fillStyle = 'rgba(31, 35, 40, 0.07)';
    roundRect(ctx, x, y + 3, w, h, m.radius);
    ctx.fill();
    ctx.fillStyle = 'rgba(31, 35, 40, 0.05)';
    roundRect(ctx, x - 0.5, y + 1, w + 1, h + 1, m.radius);
    ctx.fill();

    ctx.fillStyle = '#ffffff';
    roundRect(ctx, x, y, w, h, m.radius);
    ctx.fill();

    // Header band.
    ctx.save();
    roundRect(ctx, x, y, w, h, m.radius);
    ctx.clip();
    ctx.fillStyle = ruledOut ? '#f3f4f6' : style.tint;
    ctx.fillRect(x, y, w, m.header);
    ctx.fillStyle = ruledOut ? '#8c959f' : style.accent;
    ctx.fillRect(x, y, 4, h);
    ctx.restore();

    ctx.strokeStyle = card.kind === 'hypothesis' && card.status === 'confirmed' ? '#146c2e' : '#d0d7de';
    ctx.lineWidth = card.kind === 'hypothesis' && card.status === 'confirmed' ? 2.5 : 1;
    roundRect(ctx, x, y, w, h, m.radius);
    ctx.stroke();

    const layout = this.layout(card, pc);
    const zones = cardZones(card, layout.pillWidth);

    // Icon + kind label.
    ctx.save();
    ctx.translate(x + m.padX, y + (m.header - m.iconSize) / 2);
    ctx.scale(m.iconSize / 24, m.iconSize / 24);
    ctx.strokeStyle = ruledOut ? '#6e7781' : style.accent;
    ctx.lineWidth = 2.2;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.stroke(iconPath(style.icon));
    ctx.restore();
    ctx.font = FONTS.kind;
    ctx.fillStyle = ruledOut ? '#6e7781' : style.accent;
    ctx.textBaseline = 'middle';
    ctx.fillText(style.label.toUpperCase(), x + m.padX + m.iconSize + 6, y + m.header / 2 + 0.5);

    if (zones.pill && layout.pillText) this.paintPill(ctx, card, zones.pill, layout.pillText);

    // Title and body.
    ctx.textBaseline = 'alphabetic';
    let cursorY = zones.content.y + m.titleFont;
    ctx.font = FONTS.title;
    ctx.fillStyle = card.title ? (ruledOut ? '#57606a' : '#1f2328') : '#8c959f';
    const titleLines = layout.titleLines.length ? layout.titleLines : ['Untitled'];
    for (const line of titleLines) {
      if (cursorY > zones.content.y + zones.content.h + 2) break;
      ctx.fillText(line, zones.content.x, cursorY);
      if (ruledOut || done) {
        const width = ctx.measureText(line).width;
        ctx.strokeStyle = ruledOut ? '#b3131f' : '#57606a';
        ctx.lineWidth = ruledOut ? 2 : 1.3;
        ctx.beginPath();
        ctx.moveTo(zones.content.x - 1, cursorY - m.titleFont * 0.32);
        ctx.lineTo(zones.content.x + width + 1, cursorY - m.titleFont * 0.32);
        ctx.stroke();
      }
      cursorY += m.titleLine;
    }
    cursorY += 3;
    if (layout.reasonLines.length) {
      ctx.font = `italic ${FONTS.body}`;
      ctx.fillStyle = '#b3131f';
      for (const line of layout.reasonLines) {
        if (cursorY > zones.content.y + zones.content.h + 2) break;
        ctx.fillText(line, zones.content.x, cursorY);
        cursorY += m.bodyLine;
      }
    }
    ctx.font = FONTS.body;
    ctx.fillStyle = '#57606a';
    const remaining = linesThatFit(zones.content.y + zones.content.h - cursorY + m.bodyLine, m.bodyLine);
    for (const line of layout.bodyLines.slice(0, remaining)) {
      ctx.fillText(line, zones.content.x, cursorY);
      cursorY += m.bodyLine;
    }

    if (zones.footer) this.paintFooter(ctx, card, zones, layout, pc);
    ctx.globalAlpha = 1;
  }

  private paintFar(ctx: CanvasRenderingContext2D, card: Card, pc: CardPaintContext): void {
    const style = KIND_STYLES[card.kind];
    const ruledOut = card.kind === 'hypothesis' && card.status === 'ruled-out';
    ctx.fillStyle = ruledOut ? '#eceef1' : style.tint;
    ctx.fillRect(card.x, card.y, card.w, card.h);
    ctx.fillStyle = ruledOut ? '#8c959f' : style.accent;
    ctx.fillRect(card.x, card.y, card.w, Math.min(card.h, 10 / Math.max(pc.scale, 0.05)));
    if (pc.scale >= FAR_TITLE_MIN_SCALE && card.title) {
      // A big, short title keeps the overview readable while zoomed out.
      const layout = this.layout(card, pc);
      ctx.font = FONTS.far;
      ctx.fillStyle = '#1f2328';
      ctx.textBaseline = 'top';
      let ty = card.y + 24;
      for (const line of layout.farTitle) {
        ctx.fillText(line, card.x + 14, ty);
        ty += 54;
      }
      ctx.textBaseline = 'alphabetic';
    }
  }

  private paintPill(ctx: CanvasRenderingContext2D, card: Card, r: { x: number; y: number; w: number; h: number }, text: string): void {
    let colors = { color: '#57606a', background: '#eef1f4' };
    if (card.kind === 'hypothesis') colors = HYPOTHESIS_STATUS_STYLES[card.status ?? 'open'];
    else if (card.kind === 'action' && card.actionState) colors = ACTION_STATE_STYLES[card.actionState];
    else if (card.kind === 'question') colors = card.answered ? { color: '#146c2e', background: '#dcf3e3' } : { color: '#a8306f', background: '#ffffff' };
    ctx.fillStyle = colors.background;
    roundRect(ctx, r.x, r.y, r.w, r.h, r.h / 2);
    ctx.fill();
    if (card.kind === 'hypothesis' || card.kind === 'action') {
      // A caret says "click to change".
      ctx.strokeStyle = colors.color;
      ctx.lineWidth = 1.2;
      ctx.beginPath();
      const cx = r.x + r.w - 10;
      const cy = r.y + r.h / 2;
      ctx.moveTo(cx - 3, cy - 1.5);
      ctx.lineTo(cx, cy + 1.5);
      ctx.lineTo(cx + 3, cy - 1.5);
      ctx.stroke();
    }
    ctx.font = FONTS.pill;
    ctx.fillStyle = colors.color;
    ctx.textBaseline = 'middle';
    ctx.fillText(text, r.x + CARD_METRICS.pillPadX, r.y + r.h / 2 + 0.5);
    ctx.textBaseline = 'alphabetic';
  }

  private paintFooter(ctx: CanvasRenderingContext2D, card: Card, zones: CardZones, layout: TextCacheEntry, pc: CardPaintContext): void {
    const footer = zones.footer;
    if (!footer) return;
    ctx.strokeStyle = '#eaeef2';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(footer.x + 10, footer.y + 0.5);
    ctx.lineTo(footer.x + footer.w - 10, footer.y + 0.5);
    ctx.stroke();
    const midY = footer.y + footer.h / 2 + 0.5;
    ctx.textBaseline = 'middle';
    if (zones.source && layout.sourceText) {
      const openable = isOpenableSource(card);
      ctx.font = isCopyableSource(card) ? FONTS.mono : FONTS.footer;
      ctx.fillStyle = openable ? '#0a5cc2' : '#3d444d';
      ctx.fillText(layout.sourceText, zones.source.x, midY);
      if (openable) {
        const width = Math.min(zones.source.w, ctx.measureText(layout.sourceText).width);
        ctx.fillRect(zones.source.x, midY + 6, width, 1);
      }
    }
    if (zones.copy) {
      ctx.fillStyle = '#f6f8fa';
      roundRect(ctx, zones.copy.x, zones.copy.y, zones.copy.w, zones.copy.h, 4);
      ctx.fill();
      ctx.strokeStyle = '#d0d7de';
      ctx.stroke();
      ctx.font = FONTS.pill;
      ctx.fillStyle = '#3d444d';
      ctx.fillText('Copy', zones.copy.x + 6, midY);
    }
    if (card.observedAt !== undefined) {
      ctx.font = FONTS.footer;
      ctx.fillStyle = '#57606a';
      const text = `◷ ${pc.timeFormat(card.observedAt)}`;
      const width = ctx.measureText(text).width;
      ctx.fillText(text, footer.x + footer.w - CARD_METRICS.padX - width, midY);
    }
    ctx.textBaseline = 'alphabetic';
  }

  private layout(card: Card, pc: CardPaintContext): TextCacheEntry {
    const reason = card.kind === 'hypothesis' && card.status === 'ruled-out' ? (pc.statusReason(card.id) ?? '') : '';
    const signature = `${card.title}\u0000${card.body}\u0000${card.w}\u0000${card.h}\u0000${card.status ?? ''}\u0000${card.actionState ?? ''}\u0000${card.answered ?? ''}\u0000${card.source?.value ?? ''}\u0000${card.observedAt ?? ''}\u0000${reason}`;
    const cached = this.textCache.get(card.id);
    if (cached && cached.signature === signature) return cached;

    const m = CARD_METRICS;
    const pillText = pillLabel(card);
    const pillWidth = this.pillWidth(card);
    const zones = cardZones(card, pillWidth);
    const titleMax = Math.max(1, Math.min(3, linesThatFit(zones.content.h, m.titleLine)));
    const titleLines = wrapText(card.title, zones.content.w, titleMax, this.measure(FONTS.title));
    const titleHeight = Math.max(1, titleLines.length) * m.titleLine + 3;
    const reasonLines = reason
      ? wrapText(`Ruled out: ${reason}`, zones.content.w, Math.max(0, Math.min(2, linesThatFit(zones.content.h - titleHeight, m.bodyLine))), this.measure(`italic ${FONTS.body}`))
      : [];
    const bodyMax = linesThatFit(zones.content.h - titleHeight - reasonLines.length * m.bodyLine, m.bodyLine);
    const bodyLines = wrapText(card.body, zones.content.w, bodyMax, this.measure(FONTS.body));
    const farTitle = wrapText(card.title, card.w - 28, Math.max(1, Math.floor((card.h - 30) / 54)), this.measure(FONTS.far));
    let sourceText = '';
    if (card.source && zones.source) {
      const raw = card.source.label ? card.source.label : card.source.value.replace(/\s+/g, ' ');
      const font = isCopyableSource(card) ? FONTS.mono : FONTS.footer;
      sourceText = wrapText(raw, zones.source.w, 1, this.measure(font))[0] ?? '';
      if (sourceText && this.measure(font)(raw) > zones.source.w && !sourceText.endsWith('…')) sourceText += '…';
    }
    const entry: TextCacheEntry = { signature, titleLines, bodyLines, reasonLines, farTitle, pillText, pillWidth, sourceText };
    this.textCache.set(card.id, entry);
    return entry;
  }

  private measure(font: string): Measure {
    let m = this.measures.get(font);
    if (!m) {
      const ctx = this.measureCtx;
      m = cachedMeasure((text) => {
        ctx.font = font;
        return ctx.measureText(text).width;
      });
      this.measures.set(font, m);
    }
    return m;
  }
}

export function pillLabel(card: Pick<Card, 'kind' | 'status' | 'actionState' | 'answered'>): string {
  switch (card.kind) {
    case 'hypothesis':
      return HYPOTHESIS_STATUS_STYLES[card.status ?? 'open'].label;
    case 'action':
      return ACTION_STATE_STYLES[card.actionState ?? 'planned'].label;
    case 'question':
      return card.answered ? 'Answered' : 'Unanswered';
    case 'theory':
    case 'evidence':
    case 'note':
      return '';
  }
}

export function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  const radius = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + radius, y);
  ctx.arcTo(x + w, y, x + w, y + h, radius);
  ctx.arcTo(x + w, y + h, x, y + h, radius);
  ctx.arcTo(x, y + h, x, y, radius);
  ctx.arcTo(x, y, x + w, y, radius);
  ctx.closePath();
}
