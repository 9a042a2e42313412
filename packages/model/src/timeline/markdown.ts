// The post-incident document: written to be read by someone who was not there. Sections follow what
// useful reviews cover (who responded, triggering event, contributors, mitigators, difficulties,
// follow-ups), and the false leads and unanswered callouts are in it on purpose.
import { formatDuration } from './duration';
import { CARD_KIND_LABEL, OUTCOME_LABEL, ROLE_LABEL, STATUS_LABEL } from './labels';
import { flat } from './flat-string';
import { mdCell, mdParagraph, mdText } from './markdown-text';
import type { ZoneClock } from './zone-time';
import { zoneClock } from './zone-time';
import type {
  ContributorRole,
  Person,
  Timeline,
  TimelineCallout,
  TimelineEvent,
  TimelineParticipant,
  TimelineThread,
} from './types';

export interface MarkdownOptions {
  /** IANA time zone for every time in the document (default UTC). Throws RangeError if unknown. */
  timeZone?: string;
  /**
   * How the Threads section shows each thread: 'events' lists its events (a timeline per thread),
   * 'summary' gives its span, size and hypotheses. 'auto' (default) lists events when the whole timeline
   * has at most THREAD_LISTING_LIMIT events; beyond that a second full listing makes the document
   * twice as long without making it easier to read (the Timeline table's Thread column has it all).
   */
  threadDetail?: 'auto' | 'events' | 'summary';
}

export const THREAD_LISTING_LIMIT = 2_000;

/** Formats times as the document shows them: time of day only when everything happened on one day. */
interface DocClock {
  clock: ZoneClock;
  /** "09:05:40", or "2025-03-14 09:05:40" on a multi-day timeline; "unknown time" for null. */
  at(t: number | null | undefined): string;
  /** Like `at`, with a cache of its own, for the second and third clock of an event. */
  noteAt(t: number | null | undefined): string;
  /** Always with the date. */
  full(t: number | null | undefined): string;
  /** The single day everything happened on, if so. */
  day: string | null;
}

function docClock(timeline: Timeline, timeZone: string | undefined): DocClock {
  const clock = zoneClock(timeZone);
  const first = timeline.span.start;
  const last = Math.max(timeline.span.end ?? -Infinity, lastEventTime(timeline.events) ?? -Infinity);
  const day = first !== null && Number.isFinite(last) && clock.date(first) === clock.date(last) ? clock.date(first) : null;
  return {
    clock,
    day,
    at: cachedTimeText(clock, day),
    noteAt: cachedTimeText(clock, day),
    full: (t) => (t === null || t === undefined ? UNKNOWN_TIME : clock.dateTime(t)),
  };
}

const UNKNOWN_TIME = 'unknown time';

/** Beyond this the clock may answer "invalid time" for one millisecond of a second and not the next. */
const CACHEABLE_LIMIT_MS = 8e15;

/**
 * Time of day (or date and time) that reuses the last string: events come in time order and often share
 * a second. Zone offsets are whole seconds and change only on minute boundaries, so one UTC second is
 * one wall-clock second.
 */
function cachedTimeText(clock: ZoneClock, day: string | null): (t: number | null | undefined) => string {
  let lastSecond = Number.NaN;
  let lastText = UNKNOWN_TIME;
  return (t) => {
    if (t === null || t === undefined) return UNKNOWN_TIME;
    if (!(Math.abs(t) < CACHEABLE_LIMIT_MS)) return day ? clock.time(t) : clock.dateTime(t);
    const second = Math.floor(t / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastText = day ? clock.time(t) : clock.dateTime(t);
    }
    return lastText;
  };
}

function lastEventTime(events: readonly TimelineEvent[]): number | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const t = events[i]?.time;
    if (t !== null && t !== undefined) return t;
  }
  return null;
}

const who = (p: Person | null | undefined): string => (p ? mdText(p.name) : '—');

export function exportMarkdown(timeline: Timeline, options: MarkdownOptions = {}): string {
  const c = docClock(timeline, options.timeZone);
  const out = new Lines();

  out.push(`# ${mdText(timeline.board.title)}`, '');
  out.push(
    `Post-incident timeline exported from Redstring. All times are ${c.clock.zoneName}${c.day ? `, on ${c.day}` : ''}.`,
    '',
  );
  summary(timeline, c, out);
  whoResponded(timeline, c, out);
  triggeringEvent(timeline, c, out);
  const listThreadEvents = listsThreadEvents(timeline, options.threadDetail ?? 'auto');
  // Listing every thread's events shows each event twice: escape its text once for both.
  const what = listThreadEvents ? timeline.events.map((e) => mdCell(e.text)) : undefined;
  eventTable(timeline, c, what, out);
  threads(timeline, c, what, out);
  contributors(timeline, out);
  mitigators(timeline, c, out);
  difficulties(timeline, c, out);
  callouts(timeline, c, out);
  followUps(timeline, out);
  openQuestions(timeline, c, out);
  warnings(timeline, out);
  return out.toString();
}

/**
 * Collects the document as pieces (each line's parts, then a newline), joining every few thousand pieces into
 * one flat string as it goes. A big board has 70,000+ table rows: building each row with `+` or a template
 * would make several short-lived fragment strings per row (and copying them walks each tree), while most of
 * a row's parts already exist (times, thread and person cells, event texts). Joining in batches keeps the
 * copying within the CPU cache, and the batch array is filled to the same length every time, so it is
 * reused rather than reallocated (emptying an array frees its storage).
 */
class Lines {
  private readonly chunks: string[] = [];
  private readonly pending = new Array<string>(PIECES_PER_CHUNK).fill('');
  private count = 0;

  push(...lines: string[]): void {
    for (const line of lines) this.line(line);
  }

  /** One whole line (no array made for it). */
  line(text: string): void {
    this.piece(text);
    this.piece('\n');
  }

  /** Part of the line being written; `endLine` finishes it. */
  piece(text: string): void {
    this.pending[this.count++] = text;
    if (this.count === PIECES_PER_CHUNK) {
      this.chunks.push(this.pending.join(''));
      this.count = 0;
    }
  }

  /** Finishes the line being written with its last piece, which must end with a newline. */
  endLine(lastPiece: string): void {
    this.piece(lastPiece);
  }

  /** The lines joined by newlines (no newline after the last one). */
  toString(): string {
    if (this.count > 0) {
      this.pending.length = this.count;
      this.chunks.push(this.pending.join(''));
      this.count = 0;
    }
    const last = this.chunks.length - 1;
    const tail = this.chunks[last];
    if (tail !== undefined) this.chunks[last] = tail.slice(0, -1);
    return this.chunks.join('');
  }
}

/** About 500 table rows. */
const PIECES_PER_CHUNK = 4096;

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function section(out: Lines, title: string): void {
  out.push(`## ${title}`, '');
}

function none(out: Lines, text = 'None recorded.'): void {
  out.push(text, '');
}

function summary(t: Timeline, c: DocClock, out: Lines): void {
  section(out, 'Summary');
  const b = t.board;
  const outcome = b.outcome ? ` (outcome: ${OUTCOME_LABEL[b.outcome]})` : '';
  const lines = [`- **Status:** ${b.status}${outcome}`];
  if (b.severity) lines.push(`- **Severity:** ${b.severity}`);
  if (t.span.durationMs !== null) {
    lines.push(
      `- **Duration:** ${formatDuration(t.span.durationMs)}, from ${c.full(t.span.start)} to ${c.full(t.span.end)} ${c.clock.zoneName}`,
    );
  }
  lines.push(`- **Board opened:** ${c.full(b.createdAt)} by ${who(b.createdBy)}`);
  if (b.closedAt !== undefined) lines.push(`- **Board closed:** ${c.full(b.closedAt)}`);
  lines.push(
    `- **On the board:** ${plural(t.events.length, 'event')} in ${plural(t.threads.length, 'thread')}; ` +
      `${plural(t.falseLeads.length, 'false lead')}; ${plural(t.callouts.length, 'callout')}; ` +
      `${plural(t.warnings.length, 'coherence warning')}`,
  );
  out.push(...lines, '');
  if (b.summary) out.push(mdParagraph(b.summary), '');
}

function rolesHeld(p: TimelineParticipant, c: DocClock): string {
  return p.roles
    .map((r) => {
      const until = r.handedOverAt !== undefined ? `–${c.at(r.handedOverAt)}` : ' onwards';
      return `${ROLE_LABEL[r.role]} ${c.at(r.takenAt)}${until}`;
    })
    .join('; ');
}

function whoResponded(t: Timeline, c: DocClock, out: Lines): void {
  section(out, 'Who responded');
  if (t.participants.length === 0) return none(out);
  out.push(
    '| Who | Roles | Hypotheses raised | Evidence added | Actions done | Status changes | Links | Callouts sent | Callouts acknowledged |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const p of t.participants) {
    const a = p.activity;
    out.push(
      `| ${mdCell(p.name)} | ${mdCell(rolesHeld(p, c)) || '—'} | ${a.hypothesesRaised} | ${a.evidenceAdded} | ${a.actionsDone} | ${a.statusChanges} | ${a.linksCreated} | ${a.calloutsSent} | ${a.calloutsAcknowledged} |`,
    );
  }
  out.push('');
}

function triggeringEvent(t: Timeline, c: DocClock, out: Lines): void {
  section(out, 'Triggering event');
  const trigger = t.triggeringEvent;
  if (!trigger) return none(out, 'Not identified on the board.');
  if (trigger.basis === 'trigger-link') {
    const targets = trigger.triggers.map((r) => `"${mdText(r.title)}"`).join(', ');
    out.push(`**${mdText(trigger.title)}** at ${c.at(trigger.time)}, which triggers ${targets}.`, '');
  } else {
    out.push(
      `No card is linked as the trigger. The earliest evidence is **${mdText(trigger.title)}**, observed at ${c.at(trigger.time)}.`,
      '',
    );
  }
}

function threadLabel(thread: TimelineThread): string {
  if (thread.kind === 'general') return 'General';
  return thread.title.length > 60 ? `${thread.title.slice(0, 59)}…` : thread.title;
}

/** Extra clocks worth showing next to the event: when it was posted and noticed, if not the same. */
function timeNotes(e: TimelineEvent, c: DocClock): string {
  let notes = '';
  if (e.timeSource === 'observed' && e.recordedAt !== null && e.recordedAt !== e.time) {
    notes = `posted ${c.noteAt(e.recordedAt)}`;
  }
  if (e.noticedAt !== undefined) notes += `${notes ? ', ' : ''}noticed ${c.noteAt(e.noticedAt)}`;
  return notes ? ` (${notes})` : '';
}

/** Escaped once per person (then followed by `after`), not once per event. */
function whoCells(after = ''): (actor: Person | null) => string {
  const nobody = `—${after}`;
  const cells = new Map<string, string>();
  return (actor) => {
    if (!actor) return nobody;
    let cell = cells.get(actor.userId);
    if (cell === undefined) {
      cell = flat(mdCell(actor.name) + after);
      cells.set(actor.userId, cell);
    }
    return cell;
  };
}

const ROW_END = ' |\n';

function eventTable(t: Timeline, c: DocClock, what: readonly string[] | undefined, out: Lines): void {
  section(out, `Timeline (${c.clock.zoneName}${c.day ? `, ${c.day}` : ''})`);
  if (t.events.length === 0) return none(out);
  out.push(
    'Ordered by when things happened: evidence at the time it was observed, everything else when it was recorded.',
    '',
    '| Time | Thread | Who | What |',
    '|---|---|---|---|',
  );
  // A row is `| time | ` + `thread | ` + `who | ` + what + ` |`: the separators are part of the (cached)
  // cells before them, so a row is five or six pieces, nearly all of them strings that already exist.
  // Keyed by the thread ids the events hold (the same string objects): the lookups compare references.
  const threadCells = new Map(t.threads.map((th) => [th.id, flat(`${mdCell(threadLabel(th))} | `)]));
  const who = whoCells(' | ');
  let time = '';
  let rowStart = '';
  const events = t.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as TimelineEvent;
    const at = c.at(e.time);
    if (at !== time) {
      // Consecutive events mostly share a second, and `at` then returns the very same string.
      time = at;
      rowStart = flat(`| ${at} | `);
    }
    out.piece(rowStart);
    out.piece(threadCells.get(e.threadId) ?? `${mdCell(e.threadId)} | `);
    out.piece(who(e.actor));
    out.piece(what?.[i] ?? mdCell(e.text));
    if (e.timeSource === 'observed' || e.noticedAt !== undefined) {
      const notes = timeNotes(e, c);
      if (notes) out.piece(notes);
    }
    out.endLine(ROW_END);
  }
  out.push('');
}

function listsThreadEvents(t: Timeline, detail: MarkdownOptions['threadDetail']): boolean {
  return detail === 'events' || (detail !== 'summary' && t.events.length <= THREAD_LISTING_LIMIT);
}

/** `what` holds each event's escaped text when the threads list their events, else it is undefined. */
function threads(t: Timeline, c: DocClock, what: readonly string[] | undefined, out: Lines): void {
  section(out, 'Threads');
  out.push(
    what
      ? 'Each line of inquiry on its own, as the team followed it.'
      : `Each line of inquiry in brief; the Timeline table above lists every event with its thread.`,
    '',
  );
  const position = what ? new Map(t.events.map((e, i) => [e.id, i])) : undefined;
  const who = whoCells();
  for (const thread of t.threads) {
    const heading =
      thread.kind === 'general' ? 'General' : `${thread.kind === 'theory' ? 'Theory' : 'Hypothesis'}: ${mdText(thread.title)}`;
    const status =
      thread.kind === 'hypothesis' && thread.hypotheses[0] ? ` (${STATUS_LABEL[thread.hypotheses[0].status]})` : '';
    out.push(`### ${heading}${status}`, '');
    if (thread.kind === 'theory' && thread.hypotheses.length > 0) {
      out.push(
        `Hypotheses: ${thread.hypotheses.map((h) => `"${mdText(h.title)}" (${STATUS_LABEL[h.status]})`).join(', ')}.`,
        '',
      );
    }
    if (thread.eventIds.length === 0) {
      out.push('No events.', '');
      continue;
    }
    if (!what || !position) {
      const span =
        thread.start !== null && thread.end !== null
          ? ` from ${c.at(thread.start)} to ${c.at(thread.end)} (${formatDuration(thread.end - thread.start)})`
          : '';
      out.push(`${plural(thread.eventIds.length, 'event')}${span}.`, '');
      continue;
    }
    for (const id of thread.eventIds) {
      const i = position.get(id);
      if (i === undefined) continue;
      const e = t.events[i] as TimelineEvent;
      out.line(`- ${c.at(e.time)} **${who(e.actor)}** — ${what[i]}${timeNotes(e, c)}`);
    }
    out.push('');
  }
}

const CONTRIBUTOR_ROLE_LABEL: Readonly<Record<ContributorRole, string>> = {
  trigger: 'trigger',
  enabler: 'enabler',
  'led-to': 'led to it',
  'confirmed-hypothesis': 'confirmed hypothesis',
};

function refs(list: readonly { title: string }[]): string {
  return list.map((r) => `"${mdText(r.title)}"`).join(', ');
}

function contributors(t: Timeline, out: Lines): void {
  section(out, 'Contributors and enablers');
  if (t.contributors.length === 0) return none(out);
  for (const k of t.contributors) {
    const roles = k.roles.map((r) => CONTRIBUTOR_ROLE_LABEL[r]).join(', ');
    const affects = k.affects.length > 0 ? ` of ${refs(k.affects)}` : '';
    out.push(`- **${mdText(k.title)}** (${CARD_KIND_LABEL[k.kind]}, by ${who(k.author)}) — ${roles}${affects}`);
  }
  out.push('');
}

function mitigators(t: Timeline, c: DocClock, out: Lines): void {
  section(out, 'Mitigators');
  if (t.mitigators.length === 0) return none(out);
  for (const m of t.mitigators) {
    const details = [CARD_KIND_LABEL[m.kind]];
    if (m.doneAt !== undefined) details.push(`done ${c.at(m.doneAt)}`);
    else if (m.actionState) details.push(m.actionState);
    if (m.owner) details.push(`owner ${who(m.owner)}`);
    else details.push(`by ${who(m.author)}`);
    out.push(`- **${mdText(m.title)}** (${details.join(', ')}) — mitigates ${refs(m.mitigates)}`);
  }
  out.push('');
}

function calloutLine(k: TimelineCallout): string {
  return `${who(k.from)} → ${mdText(k.to.label)}: "${mdText(k.issue)}"`;
}

function difficulties(t: Timeline, c: DocClock, out: Lines): void {
  section(out, 'False leads and difficulties during handling');
  const unanswered = t.callouts.filter((k) => k.unacknowledged || k.escalated);
  const slow = t.callouts.filter((k) => k.lateAck);
  if (t.falseLeads.length === 0 && unanswered.length === 0 && slow.length === 0) return none(out);

  out.push('### False leads', '');
  if (t.falseLeads.length === 0) none(out);
  else {
    out.push(
      '| Hypothesis | Raised by | Raised | Ruled out | Time cost | Why ruled out | Refuted by |',
      '|---|---|---|---|---|---|---|',
    );
    for (const f of t.falseLeads) {
      out.push(
        `| ${mdCell(f.title)} | ${mdCell(f.raisedBy.name)} | ${c.at(f.raisedAt)} | ${c.at(f.ruledOutAt)} | ${f.costMs === null ? 'unknown' : formatDuration(f.costMs)} | ${mdCell(f.reason) || '—'} | ${f.refutedBy.map((r) => `"${mdCell(r.title)}"`).join(', ') || '—'} |`,
      );
    }
    const total = t.falseLeads.reduce((sum, f) => sum + (f.costMs ?? 0), 0);
    out.push('', `Time spent on leads that were ruled out: ${formatDuration(total)}.`, '');
  }

  out.push('### Callouts escalated or never acknowledged', '');
  if (unanswered.length === 0) none(out);
  else {
    for (const k of unanswered) {
      const fate = k.unacknowledged
        ? k.escalated
          ? `escalated at ${c.at(k.escalatedAt)}, never acknowledged`
          : 'never acknowledged'
        : `escalated at ${c.at(k.escalatedAt)}, acknowledged after ${formatDuration(k.ackLatencyMs ?? 0)}`;
      out.push(`- ${c.at(k.createdAt)} ${calloutLine(k)} — ${fate}`);
    }
    out.push('');
  }

  out.push('### Slow acknowledgements', '');
  if (slow.length === 0) none(out, 'None: every acknowledgement came within its deadline.');
  else {
    for (const k of slow) {
      out.push(
        `- ${c.at(k.createdAt)} ${calloutLine(k)} — acknowledged after ${formatDuration(k.ackLatencyMs ?? 0)}, deadline was ${formatDuration(k.ackDeadline - k.createdAt)}`,
      );
    }
    out.push('');
  }
}

function callouts(t: Timeline, c: DocClock, out: Lines): void {
  section(out, 'Callouts');
  if (t.callouts.length === 0) return none(out);
  out.push('| Sent | From | To | Urgency | Callout | State | Ack latency | Read-back |', '|---|---|---|---|---|---|---:|---|');
  for (const k of t.callouts) {
    const body = [`**Issue:** ${mdCell(k.issue)}`];
    if (k.noticedHow.trim()) body.push(`**Noticed via:** ${mdCell(k.noticedHow)}`);
    if (k.intent.trim()) body.push(`**Intent:** ${mdCell(k.intent)}`);
    if (k.withdrawReason?.trim()) body.push(`**Withdrawn:** ${mdCell(k.withdrawReason)}`);
    const latency = k.ackLatencyMs === null ? '—' : formatDuration(k.ackLatencyMs);
    out.push(
      `| ${c.at(k.createdAt)} | ${mdCell(k.from.name)} | ${mdCell(k.to.label)} | ${k.urgency} | ${body.join('<br>')} | ${k.state} | ${latency} | ${k.readBack ? `"${mdCell(k.readBack)}"` : '—'} |`,
    );
  }
  out.push('');
}

function followUps(t: Timeline, out: Lines): void {
  section(out, 'Follow-ups');
  if (t.followUps.length === 0) return none(out);
  for (const f of t.followUps) {
    const done = f.actionState === 'done' ? 'x' : ' ';
    const owner = f.owner ? `owner ${who(f.owner)}` : `raised by ${who(f.author)}`;
    out.push(`- [${done}] **${mdText(f.title)}** (${CARD_KIND_LABEL[f.kind]}, ${owner})`);
  }
  out.push('');
}

function openQuestions(t: Timeline, c: DocClock, out: Lines): void {
  section(out, 'Open questions');
  if (t.openQuestions.length === 0) return none(out, 'None: every question on the board was answered.');
  for (const q of t.openQuestions) {
    out.push(`- **${mdText(q.title)}** (asked by ${who(q.askedBy)} at ${c.at(q.askedAt)})`);
  }
  out.push('');
}

function warnings(t: Timeline, out: Lines): void {
  section(out, 'Coherence warnings');
  if (t.warnings.length === 0) return none(out, 'None: the times and links on the board are consistent.');
  out.push('Check these before relying on the timeline above.', '');
  for (const w of t.warnings) out.push(`- \`${w.code}\` ${mdText(w.message)}`);
  out.push('');
}
