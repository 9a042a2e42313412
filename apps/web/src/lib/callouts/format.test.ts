import { describe, expect, it } from 'vitest';
import { formatCountdown, formatDuration, formatRelative } from './format';

describe('callout time formatting', () => {
  it('counts down to the deadline and then counts overdue time', () => {
    expect(formatCountdown(65_400)).toBe('1:05');
    expect(formatCountdown(9_000)).toBe('0:09');
    expect(formatCountdown(-12_300)).toBe('overdue 0:12');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
  });

  it('formats acknowledgement latency', () => {
    expect(formatDuration(334)).toBe('0.3 s');
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
    expect(formatDuration(-5)).toBe('0.0 s');
  });

  it('says how long ago', () => {
    const now = 1_700_000_000_000;
    expect(formatRelative(now - 10_000, now)).toBe('just now');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatRelative(now - 3 * 3_600_000, now)).toBe('3 h ago');
  });
});
