// The per-board digest: nothing before the window ends, then everything of that board in order, once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoticeDigest } from '../src/realtime/notice-digest';

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
});
