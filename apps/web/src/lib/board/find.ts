// Find on the board: which cards match a query (title, body, evidence source), in reading order.
import type { Card } from '@redstring/model';

export function cardMatches(card: Card, terms: string[]): boolean {
  const haystack = `${card.title}\n${card.body}\n${card.source?.value ?? ''}\n${card.source?.label ?? ''}\n${card.tags?.join(' ') ?? ''}`.toLowerCase();
  return terms.every((t) => haystack.includes(t));
}

/** Ids of matching cards, top-to-bottom then left-to-right (rows of 80 units), so "next" walks the board. */
export function findCards(cards: Iterable<Card>, query: string): string[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [];
  const hits: Card[] = [];
  for (const c of cards) if (cardMatches(c, terms)) hits.push(c);
  hits.sort((a, b) => Math.floor(a.y / 80) - Math.floor(b.y / 80) || a.x - b.x);
  return hits.map((c) => c.id);
}
