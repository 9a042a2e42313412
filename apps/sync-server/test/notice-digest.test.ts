// The per-board digest: nothing before the window ends, then everything of that board in order, once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIGEST_WRITES_PER_SECOND, digestWindowMs, MAX_DIGEST_WINDOW_MS, NoticeDigest } from '../src/realtime/notice-digest';

describe('NoticeDigest', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers a board’s items once per window, in order, no later than one window after the first', () => {
    const delivered: Array<[string, string[]]> = [];
    const digest = new NoticeDigest<string>(250, (boardId, items) => delivered.push([boardId, items]));
    digest.add('board-a', 'created 1');
    vi.advanceTimersByTime(200);
    digest.add('board-a', 'created 2');
    digest.add('board-b', 'created 3');
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(50); // board-a's window started at 0
    expect(delivered).toEqual([['board-a', ['created 1', 'created 2']]]);
    expect(digest.waitingBoards).toBe(1);
    digest.add('board-a', 'acknowledged 1');
    vi.advanceTimersByTime(200); // board-b's window started at 200
    expect(delivered.slice(1)).toEqual([['board-b', ['created 3']]]);
    vi.advanceTimersByTime(50);
    expect(delivered.slice(2)).toEqual([['board-a', ['acknowledged 1']]]);
    vi.advanceTimersByTime(10_000);
    expect(delivered).toHaveLength(3);
    expect(digest.waitingBoards).toBe(0);
  });

  it('flushAll delivers what waits at once and leaves no timer behind', () => {
    const delivered: Array<[string, number[]]> = [];
    const digest = new NoticeDigest<number>(250, (boardId, items) => delivered.push([boardId, items]));
    digest.add('board-a', 1);
    digest.add('board-b', 2);
    digest.flushAll();
    expect(delivered).toEqual([['board-a', [1]], ['board-b', [2]]]);
    vi.advanceTimersByTime(1000);
    expect(delivered).toHaveLength(2);
  });

  it('widens a crowded board’s window so its digests cost at most the write budget', () => {
    expect(digestWindowMs(0, 250)).toBe(250);
    expect(digestWindowMs(200, 250)).toBe(250);
    expect(digestWindowMs(1_000, 250)).toBe(1_000);
    // 1,000 tabs at one digest a second is the budget exactly.
    expect((1_000 * 1000) / digestWindowMs(1_000, 250)).toBeLessThanOrEqual(DIGEST_WRITES_PER_SECOND);
    expect(digestWindowMs(50_000, 250)).toBe(MAX_DIGEST_WINDOW_MS);
  });

  it('asks for each board’s window when that window opens', () => {
    const delivered: string[] = [];
    const tabs = new Map([['small', 10], ['crowded', 1_500]]);
    const digest = new NoticeDigest<string>(
      (boardId) => digestWindowMs(tabs.get(boardId) ?? 0, 250),
      (boardId, items) => delivered.push(`${boardId}: ${items.join(', ')}`),
    );
    digest.add('small', 'a');
    digest.add('crowded', 'b');
    vi.advanceTimersByTime(250);
    expect(delivered).toEqual(['small: a']);
    vi.advanceTimersByTime(1_249);
    expect(delivered).toEqual(['small: a']);
    vi.advanceTimersByTime(1);
    expect(delivered).toEqual(['small: a', 'crowded: b']);
  });
});
