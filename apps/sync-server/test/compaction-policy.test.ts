import { describe, expect, it } from 'vitest';
import { COMPACTION_ROW_CAP_FACTOR, compactionDue } from '../src/sync/compaction-policy';

describe('compactionDue', () => {
  const base = { compactAfterUpdates: 500, snapshotBytes: 200_000 };

  it('waits for the row threshold, however heavy the rows', () => {
    expect(compactionDue({ ...base, rows: 500, logBytes: 10_000_000 })).toBe(false);
    expect(compactionDue({ ...base, rows: 501, logBytes: 100_000 })).toBe(true);
  });

  it('lets many tiny rows (drags on a big board) grow until they weigh half the snapshot', () => {
    expect(compactionDue({ ...base, rows: 2_000, logBytes: 60_000 })).toBe(false);
    expect(compactionDue({ ...base, rows: 2_000, logBytes: 100_000 })).toBe(true);
  });

  it('folds a log past the row cap even when its rows are tiny', () => {
    const cap = 500 * COMPACTION_ROW_CAP_FACTOR;
    expect(compactionDue({ ...base, rows: cap, logBytes: 1_000 })).toBe(false);
    expect(compactionDue({ ...base, rows: cap + 1, logBytes: 1_000 })).toBe(true);
  });

  it('folds a board without a snapshot as soon as it passes the row threshold', () => {
    expect(compactionDue({ compactAfterUpdates: 25, snapshotBytes: 0, rows: 26, logBytes: 26 })).toBe(true);
  });
});
