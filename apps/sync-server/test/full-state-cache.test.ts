// The shared whole-board encoding for fresh joiners: shared while the document is unchanged, rebuilt
// after a change, not held for small documents, and freed after a quiet while.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { FULL_STATE_KEEP_MS, FullStateCache, isEmptyStateVector } from '../src/sync/full-state-cache';
import { encodeSyncStep2 } from '../src/sync/frames';

function largeDoc(): Y.Doc {
  const doc = new Y.Doc();
  const cards = doc.getMap('cards');
  for (let i = 0; i < 400; i++) cards.set(`card-${i}`, `evidence ${i}: p99 latency above the alert threshold`);
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
    const cache = new FullStateCache();
    const first = cache.frameFor(doc);
    expect(first).toEqual(encodeSyncStep2(Y.encodeStateAsUpdate(doc)));
    expect(cache.frameFor(doc)).toBe(first);

    doc.getMap('cards').set('card-new', 'H3 a cache stampede');
    cache.invalidate();
    const second = cache.frameFor(doc);
    expect(second).not.toBe(first);
    expect(second).toEqual(encodeSyncStep2(Y.encodeStateAsUpdate(doc)));
    cache.invalidate();
  });

  it('does not hold small documents, and frees a large one after a quiet while', () => {
    vi.useFakeTimers();
    let now = 0;
    const small = new Y.Doc();
    small.getMap('cards').set('only', 'one card');
    const smallCache = new FullStateCache(() => now);
    smallCache.frameFor(small);
    expect(smallCache.holdsFrame).toBe(false);

    const cache = new FullStateCache(() => now);
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
  });
});
