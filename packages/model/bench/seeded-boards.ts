// Seeded boards for the output-equivalence test (src/timeline/output-fingerprint.test.ts): the benchmark's
// generator at small sizes, plus variants that stress what a faster build could get wrong: many events
// sharing a millisecond (every tiebreak of the event order is used), and invalid or missing times
// (events without a time sort last; warnings name them; callout and role records with one are left out).
import type { TimelineInput } from '../src/timeline/build';
import { buildTimeline } from '../src/timeline/build';
import { exportCsv } from '../src/timeline/csv';
import { exportJson } from '../src/timeline/json';
import { exportMarkdown } from '../src/timeline/markdown';
import type { BoardSize } from './generate-board';
import { generateBoard } from './generate-board';

export interface SeededBoard {
  name: string;
  input: TimelineInput;
  /** `now` for the future-timestamp check, when the case wants it. */
  now?: number;
}

const MEDIUM: BoardSize = { cards: 600, statusChanges: 3_000, links: 900, callouts: 60, roleChanges: 12, participants: 8 };
/** Under THREAD_LISTING_LIMIT events, so the Markdown lists every thread's events by default. */
const TINY: BoardSize = { cards: 120, statusChanges: 400, links: 150, callouts: 15, roleChanges: 6, participants: 5 };

/** Every time rounded down to the minute: thousands of events share a time and fall back to the tiebreaks. */
function toTheMinute(input: TimelineInput): TimelineInput {
  const minute = (t: number) => Math.floor(t / 60_000) * 60_000;
  const floorOpt = (t: number | undefined) => (t === undefined ? undefined : minute(t));
  const b = input.board;
  return {
    board: {
      ...b,
      cards: b.cards.map((c) => {
        const copy = { ...c, createdAt: minute(c.createdAt) };
        if (c.observedAt !== undefined) copy.observedAt = floorOpt(c.observedAt);
        if (c.noticedAt !== undefined) copy.noticedAt = floorOpt(c.noticedAt);
        if (c.doneAt !== undefined) copy.doneAt = floorOpt(c.doneAt);
        return copy;
      }),
      links: b.links.map((l) => ({ ...l, createdAt: minute(l.createdAt) })),
      statusLog: b.statusLog.map((s) => ({ ...s, at: minute(s.at) })),
    },
    callouts: input.callouts.map((c) => {
      const copy = { ...c, createdAt: minute(c.createdAt) };
      if (c.acknowledgedAt !== undefined) copy.acknowledgedAt = floorOpt(c.acknowledgedAt);
      return copy;
    }),
    roles: input.roles.map((r) => {
      const copy = { ...r, takenAt: minute(r.takenAt) };
      if (r.handedOverAt !== undefined) copy.handedOverAt = floorOpt(r.handedOverAt);
      return copy;
    }),
  };
}

/**
 * Every 13th record gets an unusable time (NaN, ±Infinity) or loses an optional one, and some titles and
 * reasons get Markdown-special characters and line breaks: what an old export or a buggy replica may hold.
 * Callouts and roles with an unusable time fail their validator, so buildTimeline leaves them out with an
 * `invalid-record` warning; the callouts with markup in their issue stay valid, so it still reaches every
 * exporter.
 */
function withBadTimes(input: TimelineInput): TimelineInput {
  const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const spoil = (i: number) => bad[i % bad.length] as number;
  const b = input.board;
  return {
    board: {
      ...b,
      cards: b.cards.map((c, i) => {
        if (i % 13 === 1) return { ...c, createdAt: spoil(i) };
        if (i % 13 === 5) return { ...c, observedAt: spoil(i), doneAt: spoil(i + 1) };
        if (i % 13 === 7) return { ...c, title: `${c.title} *bold* _x_ [link](y) <b>\nline two` };
        return c;
      }),
      links: b.links.map((l, i) => (i % 13 === 2 ? { ...l, createdAt: spoil(i), note: ' see | here ' } : l)),
      statusLog: b.statusLog.map((s, i) =>
        i % 13 === 3 ? { ...s, at: spoil(i) } : i % 13 === 4 ? { ...s, reason: `  ${s.reason} \r\n\`code\` ~x~ & more  ` } : s,
      ),
    },
    callouts: input.callouts.map((c, i) =>
      i % 13 === 6 ? { ...c, issue: 'pipes | and\nbreaks' } : i % 13 === 8 ? { ...c, acknowledgedAt: spoil(i) } : c,
    ),
    roles: input.roles.map((r, i) => (i % 13 === 0 ? { ...r, takenAt: spoil(i) } : r)),
  };
}

export function seededBoards(): SeededBoard[] {
  const medium = generateBoard(MEDIUM, 1);
  return [
    { name: 'medium board, seed 1', input: medium },
    { name: 'medium board, seed 2, times to the minute', input: toTheMinute(generateBoard(MEDIUM, 2)) },
    { name: 'medium board, seed 3, bad times and markup', input: withBadTimes(generateBoard(MEDIUM, 3)) },
    { name: 'tiny board, seed 4', input: generateBoard(TINY, 4) },
    { name: 'tiny board, seed 5, to the minute, bad times', input: withBadTimes(toTheMinute(generateBoard(TINY, 5))) },
    { name: 'medium board, seed 1, with now', input: medium, now: Date.UTC(2025, 2, 14, 12, 0, 0) },
  ];
}

/** cyrb53: a 53-bit string hash, enough to tell two multi-megabyte outputs apart without storing them. */
export function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Fingerprints of everything a board's timeline is turned into: each part of the Timeline as JSON (so a
 * difference names the part), and every exporter in the variants that take different paths.
 */
export function outputFingerprints(board: SeededBoard): Record<string, string> {
  const timeline = buildTimeline(board.input, board.now === undefined ? {} : { now: board.now });
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(timeline)) out[`timeline.${key}`] = fingerprint(JSON.stringify(value));
  out.markdown = fingerprint(exportMarkdown(timeline));
  out['markdown, Europe/Berlin'] = fingerprint(exportMarkdown(timeline, { timeZone: 'Europe/Berlin' }));
  out['markdown, America/St_Johns, thread events'] = fingerprint(
    exportMarkdown(timeline, { timeZone: 'America/St_Johns', threadDetail: 'events' }),
  );
  out['markdown, thread summary'] = fingerprint(exportMarkdown(timeline, { threadDetail: 'summary' }));
  out.json = fingerprint(exportJson(timeline));
  out.csv = fingerprint(exportCsv(timeline));
  out['csv, Asia/Kolkata'] = fingerprint(exportCsv(timeline, { timeZone: 'Asia/Kolkata' }));
  return out;
}
