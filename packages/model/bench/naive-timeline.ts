// The baseline the benchmark compares against: the least a timeline can do. One object per record,
// one sort by time, one Markdown row per event, no threads, findings or checks. What buildTimeline +
// exportMarkdown cost on top of this is the price of everything else they do.
import type { GeneratedBoard } from './generate-board';

interface NaiveEvent {
  time: number;
  id: string;
  who: string;
  text: string;
}

export function naiveTimelineMarkdown(input: GeneratedBoard): string {
  const events: NaiveEvent[] = [];
  for (const c of input.board.cards) {
    events.push({ time: c.observedAt ?? c.createdAt, id: `card:${c.id}`, who: c.author, text: `${c.kind} "${c.title}"` });
  }
  for (const s of input.board.statusLog) {
    events.push({ time: s.at, id: `status:${s.id}`, who: s.by, text: `${s.cardId}: ${s.from} → ${s.to} — ${s.reason}` });
  }
  for (const l of input.board.links) {
    events.push({ time: l.createdAt, id: `link:${l.id}`, who: l.author, text: `${l.from} ${l.relation} ${l.to}` });
  }
  for (const c of input.callouts) {
    events.push({ time: c.createdAt, id: `callout:${c.id}`, who: c.from.name, text: c.issue });
  }
  for (const r of input.roles) {
    events.push({ time: r.takenAt, id: `role:${r.id}`, who: r.userName, text: r.role });
  }
  events.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows = ['| Time | Who | What |', '|---|---|---|'];
  for (const e of events) rows.push(`| ${new Date(e.time).toISOString()} | ${e.who} | ${e.text.replace(/\|/g, '\\|')} |`);
  return rows.join('\n');
}
