// S8: the model's timeline build and Markdown export on a large finished board: 10,000 cards and
// 50,000 history entries (hypothesis status changes), plus links, participants, callouts and roles.
// The board is the model benchmark's own (`pnpm --filter @redstring/model bench`, seeded), so both
// report the same work. Runs in the load-generator process (its own core); no server involved.
//
// Two figures, because an export is often the first thing a process does with the timeline code: the
// first build + Markdown in this process (before the JIT has compiled it), and the median once warm.
import { buildTimeline, exportMarkdown, exportJson, exportCsv } from '@redstring/model';
import { generateBoard, LARGE } from '@redstring/model/bench-board';
import { median, round } from '../lib/stats';
import type { LocalContext } from './context';

/** The model benchmark's target for build + Markdown once warm (issue: under 100 ms on this machine). */
export const S8_TARGET_MS = 100;

export interface S8Result {
  cards: number;
  history: number;
  events: number;
  markdownBytes: number;
  /** The first build and the first Markdown export in this process, milliseconds. */
  coldBuildMs: number;
  coldMarkdownMs: number;
  /** Medians over the measured rounds after the warm-up rounds, milliseconds. */
  buildMs: number | null;
  markdownMs: number | null;
  totalMs: number | null;
  jsonMs: number | null;
  csvMs: number | null;
  warmupRounds: number;
  rounds: number;
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

export async function runS8(ctx: LocalContext): Promise<S8Result> {
  const input = generateBoard(LARGE, 42);
  const warmupRounds = ctx.quick ? 1 : 3;
  const rounds = ctx.quick ? 2 : 9;

  const coldBuild = time(() => buildTimeline(input));
  const coldMarkdown = time(() => exportMarkdown(coldBuild.value));
  ctx.log(`first run: build ${coldBuild.ms.toFixed(0)} ms, markdown ${coldMarkdown.ms.toFixed(0)} ms`);

  const builds: number[] = [];
  const markdowns: number[] = [];
  const totals: number[] = [];
  const jsons: number[] = [];
  const csvs: number[] = [];
  for (let i = 0; i < warmupRounds + rounds; i++) {
    const built = time(() => buildTimeline(input));
    const markdown = time(() => exportMarkdown(built.value));
    const json = time(() => exportJson(built.value));
    const csv = time(() => exportCsv(built.value));
    if (i < warmupRounds) continue;
    builds.push(built.ms);
    markdowns.push(markdown.ms);
    totals.push(built.ms + markdown.ms);
    jsons.push(json.ms);
    csvs.push(csv.ms);
  }
  ctx.log(`warm: build + markdown median ${median(totals)?.toFixed(0)} ms over ${rounds} rounds`);
  return {
    cards: input.board.cards.length,
    history: input.board.statusLog.length,
    events: coldBuild.value.events.length,
    markdownBytes: Buffer.byteLength(coldMarkdown.value),
    coldBuildMs: round(coldBuild.ms, 1) as number,
    coldMarkdownMs: round(coldMarkdown.ms, 1) as number,
    buildMs: round(median(builds), 1),
    markdownMs: round(median(markdowns), 1),
    totalMs: round(median(totals), 1),
    jsonMs: round(median(jsons), 1),
    csvMs: round(median(csvs), 1),
    warmupRounds,
    rounds,
  };
}
