// When to fold a board's update log into its snapshot. Compaction encodes the whole board on the event
// loop (tens of milliseconds for a large one), so it has to pay for itself: it runs once the log has
// enough rows AND weighs at least half the snapshot. A stretch of card drags on a big board makes many
// tiny rows; folding them every few hundred would stall the loop every second for little gain. The
// row cap bounds what a load has to replay, however small the rows.

/** However small its rows, a log longer than this many times compactAfterUpdates is folded. */
export const COMPACTION_ROW_CAP_FACTOR = 20;

export interface LogSize {
  /** Log rows after the snapshot. */
  rows: number;
  /** Their bytes. */
  logBytes: number;
  snapshotBytes: number;
  /** The configured row threshold (REDSTRING_COMPACT_AFTER_UPDATES). */
  compactAfterUpdates: number;
}

export function compactionDue({ rows, logBytes, snapshotBytes, compactAfterUpdates }: LogSize): boolean {
  if (rows <= compactAfterUpdates) return false;
  return logBytes * 2 >= snapshotBytes || rows > compactAfterUpdates * COMPACTION_ROW_CAP_FACTOR;
}
