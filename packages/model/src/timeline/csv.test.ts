import { describe, expect, it } from 'vitest';
import { buildTimeline } from './build';
import { CSV_COLUMNS, csvField, exportCsv } from './csv';
import { at, TestBoard } from './test-board';

/** A minimal RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (ch === '"' || ch === '\n' || ch === '\r') {
      throw new Error(`bare ${JSON.stringify(ch)} at ${i}: not RFC 4180`);
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('last record lacks its CRLF');
  return rows;
}

function board(): TestBoard {
  const b = new TestBoard().person('ana', 'Ana, the "commander"').person('bo', 'Bo');
  b.evidence('p99 latency, 4 s\nstarted "suddenly"', 'ana', at('09:02'), at('08:55'), 'ev1');
  b.card({ kind: 'note', title: '=HYPERLINK("http://evil.example","click")', author: 'bo', createdAt: at('09:03'), id: 'n1' });
  b.card({ kind: 'note', title: '+1 from Bo', author: 'bo', createdAt: at('09:04'), id: 'n2' });
  b.card({ kind: 'note', title: '-rf', author: 'bo', createdAt: at('09:05'), id: 'n3' });
  b.card({ kind: 'note', title: '@SUM(A1)', author: 'bo', createdAt: at('09:06'), id: 'n4' });
  b.card({ kind: 'evidence', title: 'noticed', author: 'ana', createdAt: at('09:07'), observedAt: at('09:01'), noticedAt: at('09:05'), id: 'ev2' });
  return b;
}

describe('exportCsv', () => {
  const timeline = buildTimeline(board().input());

  it('is RFC 4180: a header, one CRLF-terminated record per event, and parses back field for field', () => {
    const rows = parseCsv(exportCsv(timeline));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(timeline.events.length + 1);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const byId = new Map(rows.slice(1).map((r) => [r[CSV_COLUMNS.indexOf('event_id')], r]));
    const ev1 = byId.get('card:ev1');
    const col = (r: string[] | undefined, name: (typeof CSV_COLUMNS)[number]) => r?.[CSV_COLUMNS.indexOf(name)];
    expect(col(ev1, 'text')).toBe('Evidence "p99 latency, 4 s\nstarted "suddenly""');
    expect(col(ev1, 'actor')).toBe('Ana, the "commander"');
    expect(col(ev1, 'time')).toBe('2025-03-14T08:55:00.000Z');
    expect(col(ev1, 'time_source')).toBe('observed');
    expect(col(ev1, 'recorded_at')).toBe('2025-03-14T09:02:00.000Z');
    expect(col(ev1, 'card_kind')).toBe('evidence');
    expect(col(byId.get('card:ev2'), 'noticed_at')).toBe('2025-03-14T09:05:00.000Z');
    expect(rows.slice(1).map((r) => col(r, 'event_id'))).toEqual(timeline.events.map((e) => e.id));
  });

  it('neutralises spreadsheet formulas in text cells', () => {
    const rows = parseCsv(exportCsv(timeline));
    const texts = rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('text')]);
    // Event texts start with a word; the card titles themselves are checked through csvField.
    expect(texts).toContain('Noted "=HYPERLINK("http://evil.example","click")"');
    for (const title of ['=HYPERLINK("a","b")', '+1 from Bo', '-rf', '@SUM(A1)', '\tx', '\rx']) {
      const cell = parseCsv(`${csvField(title)}\r\n`)[0]?.[0];
      expect(cell).toBe(`'${title}`);
    }
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it('writes times in the requested zone with their UTC offset', () => {
    const rows = parseCsv(exportCsv(timeline, { timeZone: 'America/New_York' }));
    const ev1 = rows.find((r) => r[CSV_COLUMNS.indexOf('event_id')] === 'card:ev1');
    // 2025-03-14 is after the US switch to daylight time (March 9): UTC−4.
    expect(ev1?.[CSV_COLUMNS.indexOf('time')]).toBe('2025-03-14T04:55:00.000-04:00');
    const kolkata = parseCsv(exportCsv(timeline, { timeZone: 'Asia/Kolkata' }));
    expect(kolkata[1]?.[0]).toBe('2025-03-14T14:25:00.000+05:30');
  });

  it('leaves unknown times empty', () => {
    const b = board();
    b.card({ kind: 'note', title: 'no time', author: 'bo', createdAt: Number.NaN, id: 'nt' });
    const rows = parseCsv(exportCsv(buildTimeline(b.input())));
    expect(rows.at(-1)?.slice(0, 4)).toEqual(['', 'recorded', '', '']);
  });
});
