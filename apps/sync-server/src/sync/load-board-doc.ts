// Builds a board's Y.Doc from storage: the snapshot, the log after it, then the pending remainder. A
// board that exists but has no stored state, or whose state does not apply, is an error — never an empty
// document.
import * as Y from 'yjs';
import type { Storage } from '../storage/storage';
import { applyCapturingEmitted } from './pending-remainder';

export class BoardNotFound extends Error {}
export class BoardLoadError extends Error {}

export interface LoadedBoardDoc {
  doc: Y.Doc;
  snapshotSeq: number;
  lastSeq: number;
  /** Size of the stored snapshot, and of the log rows after it (the compaction policy weighs them). */
  snapshotBytes: number;
  logBytes: number;
  /**
   * What of the stored pending remainder the snapshot and log now complete: it is part of the doc but
   * stored in no snapshot or log row, so the session must append it to the log (normally null: the
   * remainder is stored in the same transaction as the updates that could complete it).
   */
  integratedFromPending: Uint8Array | null;
}

export async function loadBoardDoc(storage: Storage, boardId: string): Promise<LoadedBoardDoc> {
  let state;
  try {
    state = await storage.loadBoardState(boardId);
  } catch (error) {
    throw new BoardLoadError(`reading the board from storage failed: ${(error as Error).message}`);
  }
  if (state === null) throw new BoardNotFound(`board ${boardId} does not exist`);
  if (state.snapshot === null && state.updates.length === 0) {
    throw new BoardLoadError(`board ${boardId} has no stored state`);
  }
  const doc = new Y.Doc();
  let integratedFromPending: Uint8Array | null = null;
  try {
    // One transaction: Yjs integrates the whole log at once instead of update by update.
    Y.transact(doc, () => {
      if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
      for (const update of state.updates) Y.applyUpdate(doc, update);
    });
    // Separately, so that what of it integrates can be told apart (see integratedFromPending).
    if (state.pending) integratedFromPending = applyCapturingEmitted(doc, state.pending);
  } catch (error) {
    doc.destroy();
    throw new BoardLoadError(`the stored state of board ${boardId} does not apply: ${(error as Error).message}`);
  }
  return {
    doc,
    snapshotSeq: state.snapshotSeq,
    lastSeq: state.lastSeq,
    snapshotBytes: state.snapshot?.byteLength ?? 0,
    logBytes: state.updates.reduce((sum, update) => sum + update.byteLength, 0),
    integratedFromPending,
  };
}
