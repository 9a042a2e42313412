// CSV export of the events (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line
// break, quotes doubled). Spreadsheets execute cells that start with = + - @ (and tab or CR), so such
// text cells get a leading apostrophe: a card titled "=HYPERLINK(…)" stays text.
import type { Timeline } from './types';
import { zoneClock } from './zone-time';

export interface CsvOptions {
  /** IANA time zone for the time columns (default UTC). Times carry their UTC offset either way. */
  timeZone?: string;
}

export const CSV_COLUMNS = [
  'time',
  'time_source',
  'recorded_at',
  'noticed_at',
  'thread_id',
  'thread',
  'actor_id',
  'actor',
  'kind',
  'card_kind',
  'text',
  'card_ids',
  'event_id',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell, made inert for spreadsheets and quoted as RFC 4180 requires. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function exportCsv(timeline: Timeline, options: CsvOptions = {}): string {
  const clock = zoneClock(options.timeZone);
  const threadTitles = new Map(timeline.threads.map((t) => [t.id, t.title]));
  const time = (t: number | null | undefined) => (t === null || t === undefined ? '' : clock.iso(t));
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const e of timeline.events) {
    rows.push(
      [
        time(e.time),
        e.timeSource,
        time(e.recordedAt),
        time(e.noticedAt),
        csvField(e.threadId),
        csvField(threadTitles.get(e.threadId) ?? ''),
        csvField(e.actor?.userId ?? ''),
        csvField(e.actor?.name ?? ''),
        e.kind,
        e.cardKind ?? '',
        csvField(e.text),
        csvField(e.cardIds.join(' ')),
        csvField(e.id),
      ].join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
