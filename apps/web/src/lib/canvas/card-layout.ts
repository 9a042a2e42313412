// Geometry inside a card (world units), shared by the renderer and hit-testing so that what is drawn
// is exactly what is clickable.
import type { Card } from '@redstring/model';
import type { Point, Rect } from './geometry';
import { rectContainsPoint } from './geometry';

export const CARD_METRICS = {
  radius: 10,
  header: 30,
  padX: 12,
  titleFont: 15,
  titleLine: 19,
  bodyFont: 13,
  bodyLine: 17,
  footer: 26,
  pillHeight: 18,
  pillPadX: 8,
  iconSize: 16,
} as const;

export interface CardZones {
  header: Rect;
  /** Status pill (hypothesis status, action state, question answered) in the header's right corner. */
  pill?: Rect;
  /** Title and body. */
  content: Rect;
  footer?: Rect;
  /** The evidence source text in the footer (opens a URL). */
  source?: Rect;
  /** Copy button for query / command / log sources. */
  copy?: Rect;
}

export type CardLayoutInput = Pick<Card, 'x' | 'y' | 'w' | 'h' | 'kind' | 'source' | 'observedAt'>;

export function hasFooter(card: CardLayoutInput): boolean {
  return card.kind === 'evidence' && (card.source !== undefined || card.observedAt !== undefined);
}

export function isCopyableSource(card: CardLayoutInput): boolean {
  const kind = card.source?.kind;
  return kind === 'query' || kind === 'command' || kind === 'log';
}

export function isOpenableSource(card: CardLayoutInput): boolean {
  const s = card.source;
  return !!s && (s.kind === 'url' || s.kind === 'dashboard') && /^https?:\/\//i.test(s.value);
}

/** `pillWidth` is the measured width of the pill's text plus padding, or 0 for no pill. */
export function cardZones(card: CardLayoutInput, pillWidth: number): CardZones {
  const m = CARD_METRICS;
  const header: Rect = { x: card.x, y: card.y, w: card.w, h: m.header };
  const footerH = hasFooter(card) ? m.footer : 0;
  const content: Rect = {
    x: card.x + m.padX,
    y: card.y + m.header + 8,
    w: Math.max(0, card.w - 2 * m.padX),
    h: Math.max(0, card.h - m.header - 8 - footerH - 6),
  };
  const zones: CardZones = { header, content };
  if (pillWidth > 0) {
    zones.pill = { x: card.x + card.w - m.padX + 4 - pillWidth, y: card.y + (m.header - m.pillHeight) / 2, w: pillWidth, h: m.pillHeight };
  }
  if (footerH > 0) {
    const footer: Rect = { x: card.x, y: card.y + card.h - footerH, w: card.w, h: footerH };
    zones.footer = footer;
    if (card.source) {
      const copyW = isCopyableSource(card) ? 44 : 0;
      const observedW = card.observedAt !== undefined ? 86 : 0;
      zones.source = { x: footer.x + m.padX, y: footer.y, w: Math.max(0, footer.w - 2 * m.padX - copyW - observedW), h: footerH };
      if (copyW) zones.copy = { x: footer.x + footer.w - m.padX - copyW - observedW + 4, y: footer.y + 4, w: copyW - 8, h: footerH - 8 };
    }
  }
  return zones;
}

export type CardAction = 'status' | 'open-source' | 'copy-source';

/** A clickable part of a card under `p`, if any. */
export function cardActionAt(card: CardLayoutInput, zones: CardZones, p: Point): CardAction | undefined {
  if (zones.pill && (card.kind === 'hypothesis' || card.kind === 'action') && rectContainsPoint(zones.pill, p)) return 'status';
  if (zones.copy && rectContainsPoint(zones.copy, p)) return 'copy-source';
  if (zones.source && isOpenableSource(card) && rectContainsPoint(zones.source, p)) return 'open-source';
  return undefined;
}

/** How many text lines fit in `height` at `lineHeight`. */
export function linesThatFit(height: number, lineHeight: number): number {
  return Math.max(0, Math.floor(height / lineHeight));
}
