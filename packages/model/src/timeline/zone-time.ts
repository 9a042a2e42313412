// Wall-clock formatting in UTC or an IANA time zone. Intl.DateTimeFormat is slow per call, so it is asked
// only for a zone's UTC offset once per distinct minute (offsets change on minute boundaries), and the
// digits are produced by arithmetic. A 70,000-event timeline spans a few hundred minutes.

export interface ZoneClock {
  /** "UTC" or the IANA name, for headings. */
  readonly zoneName: string;
  /** "2025-03-14" */
  date(t: number): string;
  /** "09:05:40" */
  time(t: number): string;
  /** "2025-03-14 09:05:40" */
  dateTime(t: number): string;
  /** "2025-03-14T09:05:40.000+01:00" (Z in UTC): unambiguous, for machine-readable exports. */
  iso(t: number): string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function pad2(n: number): string {
  return TWO_DIGITS[n] ?? String(n).padStart(2, '0');
}

/** What a time that is not a usable instant prints as (records from storage are not all trustworthy). */
export const INVALID_TIME = 'invalid time';
const MAX_DATE_MS = 8.64e15;

function isFormattable(t: number): boolean {
  return Number.isFinite(t) && Math.abs(t) <= MAX_DATE_MS - DAY;
}

/** Throws RangeError for a time zone the runtime does not know. */
export function zoneClock(timeZone?: string): ZoneClock {
  const zone = timeZone === undefined || timeZone === '' ? 'UTC' : timeZone;
  const isUtc = zone === 'UTC' || zone === 'Etc/UTC';
  let format: Intl.DateTimeFormat | undefined;
  if (!isUtc) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new RangeError(`Unknown time zone "${zone}"`);
    }
  }

  const offsets = new Map<number, number>();
  // Timelines are formatted in order, so the previous minute is nearly always the next one asked for.
  let lastMinute = Number.NaN;
  let lastOffset = 0;
  const offsetAt = (t: number): number => {
    if (!format) return 0;
    const minute = Math.floor(t / MINUTE) * MINUTE;
    if (minute === lastMinute) return lastOffset;
    let offset = offsets.get(minute);
    if (offset === undefined) {
      const parts: Record<string, number> = {};
      for (const part of format.formatToParts(minute)) {
        if (part.type !== 'literal') parts[part.type] = Number(part.value);
      }
      const wall = Date.UTC(
        parts.year ?? 1970,
        (parts.month ?? 1) - 1,
        parts.day ?? 1,
        parts.hour ?? 0,
        parts.minute ?? 0,
        parts.second ?? 0,
      );
      offset = wall - minute;
      offsets.set(minute, offset);
    }
    lastMinute = minute;
    lastOffset = offset;
    return offset;
  };

  const days = new Map<number, string>();
  /** "YYYY-MM-DD" of a wall-clock time (ms, already shifted into the zone). */
  const ymd = (wall: number): string => {
    const day = Math.floor(wall / DAY);
    let text = days.get(day);
    if (text === undefined) {
      const d = new Date(day * DAY);
      text = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
      days.set(day, text);
    }
    return text;
  };
  /** "hh:mm:ss" of a wall-clock time. */
  const hms = (wall: number): string => {
    const ms = ((wall % DAY) + DAY) % DAY;
    const seconds = Math.floor(ms / 1000);
    return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
  };

  return {
    zoneName: isUtc ? 'UTC' : zone,
    date: (t) => (isFormattable(t) ? ymd(t + offsetAt(t)) : INVALID_TIME),
    time: (t) => (isFormattable(t) ? hms(t + offsetAt(t)) : INVALID_TIME),
    dateTime: (t) => {
      if (!isFormattable(t)) return INVALID_TIME;
      const wall = t + offsetAt(t);
      return `${ymd(wall)} ${hms(wall)}`;
    },
    iso: (t) => {
      if (!isFormattable(t)) return INVALID_TIME;
      const offset = offsetAt(t);
      const wall = t + offset;
      const millis = String((((wall % 1000) + 1000) % 1000) | 0).padStart(3, '0');
      const stamp = `${ymd(wall)}T${hms(wall)}.${millis}`;
      if (isUtc) return `${stamp}Z`;
      const abs = Math.round(Math.abs(offset) / MINUTE);
      return `${stamp}${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
    },
  };
}
