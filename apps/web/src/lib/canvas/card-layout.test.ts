import { describe, expect, it } from 'vitest';
import { cardActionAt, cardZones, hasFooter, isCopyableSource, isOpenableSource } from './card-layout';

const evidence = {
  kind: 'evidence' as const,
  x: 0,
  y: 0,
  w: 260,
  h: 160,
  source: { kind: 'query' as const, value: 'sum(rate(http_errors[5m]))' },
  observedAt: 1_700_000_000_000,
};

describe('card layout', () => {
  it('gives evidence a footer with its source and a copy button for queries', () => {
    const zones = cardZones(evidence, 0);
    expect(hasFooter(evidence)).toBe(true);
    expect(isCopyableSource(evidence)).toBe(true);
    expect(zones.copy).toBeDefined();
    expect(cardActionAt(evidence, zones, { x: zones.copy!.x + 2, y: zones.copy!.y + 2 })).toBe('copy-source');
    // A query is not a link.
    expect(cardActionAt(evidence, zones, { x: zones.source!.x + 2, y: zones.source!.y + 5 })).toBeUndefined();
  });

  it('opens http(s) sources only', () => {
    const link = { ...evidence, source: { kind: 'url' as const, value: 'https://grafana.example/d/checkout' } };
    const zones = cardZones(link, 0);
    expect(isOpenableSource(link)).toBe(true);
    expect(cardActionAt(link, zones, { x: zones.source!.x + 2, y: zones.source!.y + 5 })).toBe('open-source');
    expect(isOpenableSource({ ...evidence, source: { kind: 'url', value: 'javascript:alert(1)' } })).toBe(false);
  });

  it('places a clickable status pill on hypotheses', () => {
    const h = { kind: 'hypothesis' as const, x: 10, y: 10, w: 240, h: 140 };
    const zones = cardZones(h, 80);
    expect(zones.pill!.x + zones.pill!.w).toBeLessThanOrEqual(h.x + h.w);
    expect(cardActionAt(h, zones, { x: zones.pill!.x + 5, y: zones.pill!.y + 5 })).toBe('status');
    expect(hasFooter(h)).toBe(false);
    expect(zones.content.y + zones.content.h).toBeLessThanOrEqual(h.y + h.h);
  });
});
