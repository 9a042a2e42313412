import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration';
import { mdCell, mdParagraph, mdText } from './markdown-text';
import { zoneClock } from './zone-time';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [250, '250 ms'],
    [2_500, '2.5 s'],
    [40_000, '40 s'],
    [59_600, '1 min'],
    [180_000, '3 min'],
    [200_000, '3 min 20 s'],
    [3_600_000, '1 h'],
    [3_900_000, '1 h 5 min'],
    [86_400_000 * 2 + 3_600_000 * 3, '2 d 3 h'],
    [-90_000, '-1 min 30 s'],
    [Number.NaN, 'unknown'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('zoneClock', () => {
  const t = Date.UTC(2025, 2, 14, 8, 55, 7, 42);

  it('formats UTC by default, with Z in ISO form', () => {
    const c = zoneClock();
    expect(c.zoneName).toBe('UTC');
    expect([c.date(t), c.time(t), c.dateTime(t), c.iso(t)]).toEqual([
      '2025-03-14',
      '08:55:07',
      '2025-03-14 08:55:07',
      '2025-03-14T08:55:07.042Z',
    ]);
  });

  it('agrees with Intl across a daylight-saving change', () => {
    // Europe/Berlin moves from +01:00 to +02:00 at 01:00 UTC on 2025-03-30.
    const c = zoneClock('Europe/Berlin');
    const before = Date.UTC(2025, 2, 30, 0, 59, 59);
    const after = Date.UTC(2025, 2, 30, 1, 0, 0);
    expect(c.iso(before)).toBe('2025-03-30T01:59:59.000+01:00');
    expect(c.iso(after)).toBe('2025-03-30T03:00:00.000+02:00');
    const intl = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    for (let s = before - 7_200_000; s < after + 7_200_000; s += 977_000) expect(c.time(s)).toBe(intl.format(s));
  });

  it('handles zones with half-hour offsets and dates across midnight', () => {
    const c = zoneClock('Asia/Kolkata');
    expect(c.dateTime(Date.UTC(2025, 2, 14, 20, 0, 0))).toBe('2025-03-15 01:30:00');
    expect(zoneClock('America/Los_Angeles').dateTime(Date.UTC(2025, 2, 14, 3, 0, 0))).toBe('2025-03-13 20:00:00');
  });

  it('rejects an unknown zone', () => {
    expect(() => zoneClock('Nowhere/Special')).toThrow(RangeError);
  });
});

describe('Markdown escaping', () => {
  it('escapes markup characters in running text and folds line breaks', () => {
    expect(mdText('a|b *c* _d_ [e](f) <g> `h` ~i~ &j \\k\nl')).toBe('a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\`h\\` \\~i\\~ \\&j \\\\k l');
  });

  it('keeps table cells on one row', () => {
    expect(mdCell('one | two\r\nthree')).toBe('one \\| two<br>three');
  });

  it('stops paragraph lines from turning into headings, quotes or lists', () => {
    expect(mdParagraph('# title\n> quote\n- item\n+ item\n2. item\n10) item\nplain')).toBe(
      ['\\# title', '\\> quote', '\\- item', '\\+ item', '2\\. item', '10\\) item', 'plain'].join('  \n'),
    );
  });
});
