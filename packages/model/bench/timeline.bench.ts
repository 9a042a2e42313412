// Benchmark (not a test): how long a 10,000-card board with 50,000 status changes takes to become a
// timeline and a Markdown document. Run: pnpm --filter @redstring/model bench
//
// Baselines in the same run: a naive timeline (one object per record, one sort, one Markdown row each),
// the real thing on a 1,000-card board (how it scales), and floors no implementation gets under on this
// machine: making the timeline's events as objects and sorting them by time, joining the Markdown
// document's lines into one string, and putting the timeline table's rows together from their finished
// cells (time, thread, who, what), which any writer of the same document has to do at the least.
// Measurements are interleaved round by round, so a busy machine slows every row alike and the ratios
// stay meaningful.
import { buildTimeline } from '../src/timeline/build';
import { exportCsv } from '../src/timeline/csv';
import { exportJson } from '../src/timeline/json';
import { flat } from '../src/timeline/flat-string';
import { exportMarkdown } from '../src/timeline/markdown';
import type { GeneratedBoard } from './generate-board';
import { generateBoard, LARGE, SMALL } from './generate-board';
import { naiveTimelineMarkdown } from './naive-timeline';

// The package compiles without DOM or Node typings (it must run anywhere); the bench only needs these.
declare const console: { log(...values: unknown[]): void };
declare const performance: { now(): number };
declare const process: { cpuUsage(previous?: { user: number; system: number }): { user: number; system: number } };

const WARMUP_ROUNDS = 3;
const ROUNDS = 15;
const TARGET_MS = 100;

interface Measurement {
  name: string;
  run: () => unknown;
  samples: number[];
  /** CPU time of this process (all its threads, garbage collection included): steadier on a busy machine. */
  cpu: number[];
}

function quantile(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function describeBoard(b: GeneratedBoard): string {
  return `${b.board.cards.length} cards, ${b.board.statusLog.length} status changes, ${b.board.links.length} links, ${b.callouts.length} callouts, ${b.roles.length} role records`;
}

const large = generateBoard(LARGE, 42);
const small = generateBoard(SMALL, 7);
const largeTimeline = buildTimeline(large);
const largeMarkdownLines = exportMarkdown(largeTimeline).split('\n');
const markdownSize = largeMarkdownLines.join('\n').length;
const byTime = (a: { time: number | null }, b: { time: number | null }) => (a.time ?? 0) - (b.time ?? 0);
const tableCells = timelineTableCells(largeMarkdownLines);

const measurements: Measurement[] = [
  { name: '10k cards: buildTimeline', run: () => buildTimeline(large) },
  { name: '10k cards: exportMarkdown', run: () => exportMarkdown(largeTimeline) },
  { name: '10k cards: build + Markdown', run: () => exportMarkdown(buildTimeline(large)) },
  { name: '10k cards: build + Markdown, Europe/Berlin', run: () => exportMarkdown(buildTimeline(large), { timeZone: 'Europe/Berlin' }) },
  { name: '10k cards: exportMarkdown, every thread listed', run: () => exportMarkdown(largeTimeline, { threadDetail: 'events' }) },
  { name: '10k cards: exportJson', run: () => exportJson(largeTimeline) },
  { name: '10k cards: exportCsv', run: () => exportCsv(largeTimeline) },
  { name: 'baseline: naive sort-everything + Markdown rows, 10k cards', run: () => naiveTimelineMarkdown(large) },
  { name: 'baseline: build + Markdown, 1k cards', run: () => exportMarkdown(buildTimeline(small)) },
  { name: 'floor: the 10k timeline\'s events copied as new objects, sorted by time', run: () => largeTimeline.events.map((e) => ({ ...e })).sort(byTime) },
  { name: 'floor: the 10k Markdown\'s lines joined into one string', run: () => largeMarkdownLines.join('\n').charCodeAt(0) },
  { name: 'floor: the 10k Markdown\'s timeline rows joined from their finished cells', run: () => joinRows(tableCells).charCodeAt(0) },
].map((m) => ({ ...m, samples: [], cpu: [] }));

/**
 * The timeline table's rows of the Markdown document, each split into its finished cells (time, thread,
 * who, what, notes): whatever builds the document has to put at least these pieces together.
 */
function timelineTableCells(lines: readonly string[]): string[][] {
  const rows: string[][] = [];
  const start = lines.findIndex((line) => line.startsWith('## Timeline')) + 6;
  for (let i = start; i < lines.length && lines[i]?.startsWith('| '); i++) {
    const row = lines[i] as string;
    const cells = row.slice(2, -2).split(/(?<!\\) \| /);
    rows.push(cells.map((cell, c) => flat(c === 0 ? `| ${cell} | ` : c < cells.length - 1 ? `${cell} | ` : `${cell} |\n`)));
  }
  const table = lines.slice(start, start + rows.length);
  if (joinRows(rows) !== `${table.join('\n')}\n`) throw new Error('the timeline table did not split into its cells');
  return rows;
}

/** The rows joined the cheapest way measured here: cells pushed into a batch, batches joined. */
function joinRows(rows: readonly string[][]): string {
  const batches: string[] = [];
  let batch: string[] = [];
  for (const cells of rows) {
    for (const cell of cells) batch.push(cell);
    if (batch.length >= 4096) {
      batches.push(batch.join(''));
      batch = [];
    }
  }
  batches.push(batch.join(''));
  return batches.join('');
}

for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
  for (const m of measurements) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    m.run();
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    if (round >= WARMUP_ROUNDS) {
      m.samples.push(elapsed);
      m.cpu.push((cpu.user + cpu.system) / 1000);
    }
  }
}

console.log(`Large board: ${describeBoard(large)}`);
console.log(
  `  → ${largeTimeline.events.length} events, ${largeTimeline.threads.length} threads, ${largeTimeline.warnings.length} warnings (${largeTimeline.warnings.filter((w) => w.code === 'invalid-record').length} records left out as invalid), ${(markdownSize / 1e6).toFixed(1)} MB of Markdown`,
);
console.log(`Small board: ${describeBoard(small)}`);
console.log(`${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up rounds; wall-clock ms\n`);
console.log('| measurement | median | p95 | min | CPU median |');
console.log('|---|---:|---:|---:|---:|');
const medians = new Map<string, number>();
for (const m of measurements) {
  const sorted = [...m.samples].sort((a, b) => a - b);
  medians.set(m.name, quantile(sorted, 0.5));
  const fmt = (n: number) => n.toFixed(1);
  const cpu = quantile([...m.cpu].sort((a, b) => a - b), 0.5);
  console.log(
    `| ${m.name} | ${fmt(quantile(sorted, 0.5))} | ${fmt(quantile(sorted, 0.95))} | ${fmt(sorted[0] ?? Number.NaN)} | ${fmt(cpu)} |`,
  );
}
const total = medians.get('10k cards: build + Markdown') ?? Number.NaN;
const naive = medians.get('baseline: naive sort-everything + Markdown rows, 10k cards') ?? Number.NaN;
const eventsFloor = medians.get("floor: the 10k timeline's events copied as new objects, sorted by time") ?? Number.NaN;
const rowsFloor = medians.get("floor: the 10k Markdown's timeline rows joined from their finished cells") ?? Number.NaN;
console.log(
  `\nbuild + Markdown: median ${total.toFixed(1)} ms (${(total / naive).toFixed(2)}× the naive baseline); target < ${TARGET_MS} ms: ${total < TARGET_MS ? 'met' : 'NOT met'}` +
    `\nfloors: events made and sorted ${eventsFloor.toFixed(1)} ms + table rows joined ${rowsFloor.toFixed(1)} ms = ${(eventsFloor + rowsFloor).toFixed(1)} ms,` +
    ' before any text is composed or escaped, or any thread, finding or warning worked out',
);
