import { describe, expect, it } from 'vitest';
import { cachedMeasure, wrapText } from './text-layout';

// Monospace fake: every character is 10 px wide.
const measure = (t: string) => t.length * 10;

describe('text wrapping', () => {
  it('wraps on words within the width', () => {
    expect(wrapText('the quick brown fox jumps', 100, 5, measure)).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  it('cuts to the line limit with an ellipsis', () => {
    const lines = wrapText('one two three four five six seven', 100, 2, measure);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(measure(lines[1]!)).toBeLessThanOrEqual(100);
  });

  it('breaks words longer than a line and keeps paragraphs', () => {
    expect(wrapText('abcdefghijklmno', 50, 5, measure)).toEqual(['abcde', 'fghij', 'klmno']);
    expect(wrapText('first\nsecond', 200, 5, measure)).toEqual(['first', 'second']);
  });

  it('returns nothing when nothing fits', () => {
    expect(wrapText('text', 100, 0, measure)).toEqual([]);
  });

  it('caches measurements', () => {
    let calls = 0;
    const m = cachedMeasure((t) => {
      calls++;
      return t.length;
    });
    m('abc');
    m('abc');
    expect(calls).toBe(1);
  });
});
