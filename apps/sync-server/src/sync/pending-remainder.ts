// A Y.Doc keeps what it received but cannot integrate yet — structs whose predecessors it has not seen,
// deletions of items it does not have — in `store.pendingStructs` and `store.pendingDs` (both in the V2
// update format). Nothing of it is emitted by the doc's 'update' event until it integrates, so the
// server stores it separately: one row per board, replaced whenever it changes (see BoardSession).
import * as Y from 'yjs';

/** The doc's pending remainder as one update (V1, like every other stored update), or null if none. */
export function encodePendingRemainder(doc: Y.Doc): Uint8Array | null {
  const parts: Uint8Array[] = [];
  if (doc.store.pendingStructs) parts.push(doc.store.pendingStructs.update);
  if (doc.store.pendingDs) parts.push(doc.store.pendingDs);
  if (parts.length === 0) return null;
  return Y.convertUpdateFormatV2ToV1(parts.length === 1 ? parts[0]! : Y.mergeUpdatesV2(parts));
}

/**
 * Identity of the doc's pending state. Yjs replaces these buffers whenever the pending state may have
 * changed, so comparing them tells cheaply when the remainder must be encoded again.
 */
export interface PendingMarker {
  structs: Uint8Array | null;
  ds: Uint8Array | null;
}

export function pendingMarker(doc: Y.Doc): PendingMarker {
  return { structs: doc.store.pendingStructs?.update ?? null, ds: doc.store.pendingDs };
}

export function samePendingMarker(a: PendingMarker, b: PendingMarker): boolean {
  return a.structs === b.structs && a.ds === b.ds;
}

/** Applies `update` and returns what the doc emitted for it (what became part of the doc), or null. */
export function applyCapturingEmitted(doc: Y.Doc, update: Uint8Array): Uint8Array | null {
  const emitted: Uint8Array[] = [];
  const capture = (u: Uint8Array): void => {
    emitted.push(u);
  };
  doc.on('update', capture);
  try {
    Y.applyUpdate(doc, update);
  } finally {
    doc.off('update', capture);
  }
  if (emitted.length === 0) return null;
  return emitted.length === 1 ? emitted[0]! : Y.mergeUpdates(emitted);
}

export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
