// The timeline half of the convergence fuzz: replicas that converged (see convergence.fuzz.test.ts) must
// also build identical timelines from their snapshots. A separate file so vitest runs it in parallel.
//
// Replay one seed:   FUZZ_SEED=123 pnpm exec vitest run --project model convergence
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../src/timeline';
import { replayHint, runSeed, seedsToRun } from './fuzz-simulation';

/** Seeds whose timelines are compared (each seed's board after 300 operations). */
const TIMELINE_SEEDS = 25;

describe('convergence fuzz: timelines', () => {
  it.each(seedsToRun().slice(0, TIMELINE_SEEDS))('seed %i: replicas build identical timelines', (seed) => {
    const { reads } = runSeed(seed, 300);
    const timelines = reads.map((r) => buildTimeline({ board: r.board, callouts: [], roles: [] }));
    for (const [i, timeline] of timelines.entries()) expect(timeline, `timeline of replica ${i}, ${replayHint(seed)}`).toEqual(timelines[0]);
  });

});
