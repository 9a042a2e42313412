// The shared whole-board encoding for fresh joiners: shared while the document is unchanged, rebuilt
// after a change, not held for small documents, freed after a quiet while, and all boards' encodings
// kept within one budget.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { FULL_STATE_KEEP_MS, FullStateBudget, FullStateCache, isEmptyStateVector } from '../src/sync/full-state-cache';
import { encodeSyncStep2 } from '../src/sync/frames';

function largeDoc(cardCount = 400): Y.Doc {
  const doc = new Y.Doc();
  const cards = doc.getMap('cards');
  for (let i = 0; i < cardCount; i++) cards.set(`card-${i}`, `evidence ${i}: p99 latency above the alert threshold`);
  return doc;
}

afterEach(() => vi.useRealTimers());

describe('FullStateCache', () => {
  it('recognises the state vector of a client without a local copy', () => {
    expect(isEmptyStateVector(Y.encodeStateVector(new Y.Doc()))).toBe(true);
    expect(isEmptyStateVector(Y.encodeStateVector(largeDoc()))).toBe(false);
  });

  it('shares one encoding between joiners until the document changes, then encodes the new state', () => {
    const doc = largeDoc();
    const cache = new FullStateCache(new FullStateBudget());
    const first = cache.frameFor(doc);
    expect(first).toEqual(encodeSyncStep2(Y.encodeStateAsUpdate(doc)));
    expect(cache.frameFor(doc)).toBe(first);

    doc.getMap('cards').set('card-new', 'H3 a cache stampede');
    cache.drop();
    const second = cache.frameFor(doc);
    expect(second).not.toBe(first);
    expect(second).toEqual(encodeSyncStep2(Y.encodeStateAsUpdate(doc)));
    cache.drop();
  });

  it('does not hold small documents, and frees a large one after a quiet while', () => {
    vi.useFakeTimers();
    let now = 0;
    const budget = new FullStateBudget();
    const small = new Y.Doc();
    small.getMap('cards').set('only', 'one card');
    const smallCache = new FullStateCache(budget, () => now);
    smallCache.frameFor(small);
    expect(smallCache.holdsFrame).toBe(false);

    const cache = new FullStateCache(budget, () => now);
    cache.frameFor(largeDoc());
    expect(cache.holdsFrame).toBe(true);
    // Still in use half-way through: kept past the first deadline.
    now = FULL_STATE_KEEP_MS / 2;
    cache.frameFor(largeDoc());
    now = FULL_STATE_KEEP_MS;
    vi.advanceTimersByTime(FULL_STATE_KEEP_MS);
    expect(cache.holdsFrame).toBe(true);
    now = FULL_STATE_KEEP_MS * 2;
    vi.advanceTimersByTime(FULL_STATE_KEEP_MS);
    expect(cache.holdsFrame).toBe(false);
    expect(budget.heldBytes).toBe(0);
  });

  it('keeps all boards within one budget, dropping the least recently used frames first', () => {
    const docs = [largeDoc(), largeDoc(401), largeDoc(402)];
    const frameBytes = docs.map((doc) => encodeSyncStep2(Y.encodeStateAsUpdate(doc)).byteLength);
    // Room for two of the three frames.
    const budget = new FullStateBudget(Math.max(...frameBytes) * 2 + 100);
    const caches = docs.map(() => new FullStateCache(budget));
    const [a, b, c] = caches as [FullStateCache, FullStateCache, FullStateCache];
    const [docA, docB, docC] = docs as [Y.Doc, Y.Doc, Y.Doc];

    const frameA = a.frameFor(docA);
    b.frameFor(docB);
    expect(budget.heldBytes).toBe((frameBytes[0] ?? 0) + (frameBytes[1] ?? 0));
    // A fresh joiner on board A makes it the most recently used: C's frame pushes B's out.
    expect(a.frameFor(docA)).toBe(frameA);
    c.frameFor(docC);
    expect(caches.map((cache) => cache.holdsFrame)).toEqual([true, false, true]);
    expect(budget.heldBytes).toBe((frameBytes[0] ?? 0) + (frameBytes[2] ?? 0));
    // B's next joiner still gets the whole board, encoded again.
    expect(b.frameFor(docB)).toEqual(encodeSyncStep2(Y.encodeStateAsUpdate(docB)));
    expect(caches.map((cache) => cache.holdsFrame)).toEqual([false, true, true]);

    for (const cache of caches) cache.drop();
    expect(budget.heldBytes).toBe(0);
  });

  it('does not hold a frame larger than the whole budget', () => {
    const doc = largeDoc();
    const budget = new FullStateBudget(1024);
    const cache = new FullStateCache(budget);
    expect(cache.frameFor(doc)).toEqual(encodeSyncStep2(Y.encodeStateAsUpdate(doc)));
    expect(cache.holdsFrame).toBe(false);
    expect(budget.heldBytes).toBe(0);
  });
});
