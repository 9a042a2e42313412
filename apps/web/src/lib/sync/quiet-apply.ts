// Applying what the server sends without Yjs encoding it all over again. Yjs encodes every transaction
// into an update for the doc's 'update' listeners; for a large board's first sync that costs about as much
// as applying it. The bytes that arrived are already an update, so the board connection's listeners get
// those instead.
import * as Y from 'yjs';

export type UpdateListener = (update: Uint8Array, origin: unknown) => void;

/**
 * Applies `update` with `origin` while `listeners` are detached from the doc's 'update' event, then hands
 * each of them `update` itself (it may repeat content the doc already had, which Yjs ignores). Any other
 * transaction that runs meanwhile (an observer writing to the doc in reaction) is encoded here and handed
 * over too, so no local edit is ever kept from the listeners.
 */
export function applyWithoutReencoding(doc: Y.Doc, update: Uint8Array, origin: unknown, listeners: readonly UpdateListener[]): void {
  const missed: { update: Uint8Array; origin: unknown }[] = [];
  const guard = (tr: Y.Transaction) => {
    if (tr.origin === origin || (tr.changed.size === 0 && tr.deleteSet.clients.size === 0)) return;
    missed.push({ update: Y.encodeStateAsUpdate(doc, Y.encodeStateVector(tr.beforeState)), origin: tr.origin });
  };
  for (const l of listeners) doc.off('update', l);
  doc.on('afterTransaction', guard);
  try {
    Y.applyUpdate(doc, update, origin);
  } finally {
    doc.off('afterTransaction', guard);
    for (const l of listeners) doc.on('update', l);
  }
  for (const l of listeners) l(update, origin);
  for (const m of missed) for (const l of listeners) l(m.update, m.origin);
}
