import { describe, expect, it } from 'vitest';
import type { Card } from '@redstring/model';
import { findCards } from './find';

const card = (id: string, title: string, x: number, y: number, extra: Partial<Card> = {}): Card => ({
  id,
  kind: 'note',
  title,
  body: '',
  author: 'u',
  x,
  y,
  w: 200,
  h: 100,
  createdAt: 0,
  updatedAt: 0,
  ...extra,
});

describe('find on board', () => {
  const cards = [
    card('a', 'Cache eviction storm', 500, 0),
    card('b', 'Payment provider', 0, 0, { body: 'cache looks fine' }),
    card('c', 'Error rate', 0, 400, { kind: 'evidence', source: { kind: 'query', value: 'sum(rate(cache_miss[5m]))' } }),
  ];

  it('matches title, body and source, case-insensitively, in reading order', () => {
    expect(findCards(cards, 'CACHE')).toEqual(['b', 'a', 'c']);
  });

  it('requires every word to match and finds nothing for an empty query', () => {
    expect(findCards(cards, 'cache storm')).toEqual(['a']);
    expect(findCards(cards, '   ')).toEqual([]);
  });
});
