// The benchmark must time a realistic board: if the generator made records the validators reject,
// buildTimeline would skip them and the figures would flatter it. Every generated record must pass.
import { describe, expect, it } from 'vitest';
import { generateBoard, LARGE, SMALL } from '../../bench/generate-board';
import { seededBoards } from '../../bench/seeded-boards';
import { buildTimeline } from './build';

const invalidRecords = (timeline: ReturnType<typeof buildTimeline>) => timeline.warnings.filter((w) => w.code === 'invalid-record');

describe('benchmark boards', () => {
  it.each([
    ['10k cards (the benchmark board)', LARGE, 42],
    ['1k cards (the baseline board)', SMALL, 42],
    ['1k cards, another seed', SMALL, 7],
  ] as const)('%s: every callout and role is used, none left out', (_name, size, seed) => {
    const generated = generateBoard(size, seed);
    const timeline = buildTimeline(generated);
    expect(invalidRecords(timeline)).toEqual([]);
    expect(timeline.callouts).toHaveLength(size.callouts);
    expect(timeline.events.filter((e) => e.kind === 'role-taken')).toHaveLength(size.roleChanges);
    // Every callout state is represented, closed ones with who closed them.
    expect(new Set(timeline.callouts.map((c) => c.state))).toEqual(new Set(['open', 'escalated', 'acknowledged', 'closed', 'withdrawn']));
    expect(timeline.events.filter((e) => e.kind === 'callout-closed').every((e) => e.actor !== null)).toBe(true);
  });

  // withBadTimes spoils the callouts at positions 8, 21, 34, 47 (in time order) and the first role.
  it('the seeded fingerprint boards lose only the records spoiled on purpose', () => {
    const lost = Object.fromEntries(
      seededBoards().map((b) => [b.name, invalidRecords(buildTimeline(b.input)).map((w) => w.message.replace(/ \(.*$/, ''))]),
    );
    expect(lost).toEqual({
      'medium board, seed 1': [],
      'medium board, seed 2, times to the minute': [],
      'medium board, seed 3, bad times and markup': [
        'Callout c-0 was left out of the timeline',
        'Callout c-13 was left out of the timeline',
        'Callout c-22 was left out of the timeline',
        'Callout c-51 was left out of the timeline',
        'Role assignment r-0 was left out of the timeline',
      ],
      'tiny board, seed 4': [],
      'tiny board, seed 5, to the minute, bad times': [
        'Callout c-10 was left out of the timeline',
        'Role assignment r-0 was left out of the timeline',
      ],
      'medium board, seed 1, with now': [],
    });
  });
});
