// Seeded convergence fuzz: 3–5 replicas, each a BoardDoc with its own user and (skewed) clock, make
// random model operations while their updates travel through a network that reorders, drops and
// duplicates messages. After a final state-vector sync every replica must hold the same document and read
// the same snapshot (and build the same timeline: convergence-timeline.fuzz.test.ts).
//
// Replay one seed:   FUZZ_SEED=123 pnpm exec vitest run --project model convergence
// Run more seeds:    FUZZ_SEEDS=2000 pnpm exec vitest run --project model convergence
import { describe, expect, it } from 'vitest';
import { replayHint, runSeed, seedsToRun } from './fuzz-simulation';

describe('convergence fuzz', () => {
  it.each(seedsToRun())('seed %i: replicas converge to the same document and snapshot', (seed) => {
    const { reads, snapshots, contents } = runSeed(seed);
    const [first, ...rest] = reads;
    for (const [i, read] of rest.entries()) {
      expect(snapshots[i + 1], `state vector + delete set of replica ${i + 1}, ${replayHint(seed)}`).toEqual(snapshots[0]);
      expect(contents[i + 1], `document content of replica ${i + 1}, ${replayHint(seed)}`).toEqual(contents[0]);
      expect(read, `read() of replica ${i + 1}, ${replayHint(seed)}`).toEqual(first);
    }
    // Every operation was valid, so only the legitimate merge outcomes may be reported: text over the limit
    // after concurrent typing, and a layout field emptied by an undo that conflicted with another user.
    const unexpected = first!.problems.filter((p) => !/over the limit|missing, shown as/.test(p.message));
    expect(unexpected, replayHint(seed)).toEqual([]);
    expect(first!.board.cards.length, replayHint(seed)).toBeGreaterThan(0);
  });

  it('replays a seed exactly', () => {
    const a = runSeed(7, 200);
    const b = runSeed(7, 200);
    expect(b.snapshots).toEqual(a.snapshots);
    expect(b.contents).toEqual(a.contents);
    expect(b.reads).toEqual(a.reads);
  });
});
