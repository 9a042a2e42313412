// Equality and containment of board documents, the yardsticks of every durability row.
import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';

/** The roots of a board document (docs/model-contract.md, "Yjs binding"). */
export function boardContent(doc: Y.Doc): Record<string, unknown> {
  return {
    meta: doc.getMap('meta').toJSON(),
    cards: doc.getMap('cards').toJSON(),
    links: doc.getMap('links').toJSON(),
    statusLog: doc.getArray('statusLog').toJSON(),
    participants: doc.getMap('participants').toJSON(),
  };
}

export function stateVector(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

function describeVector(sv: Map<number, number>): string {
  return JSON.stringify([...sv.entries()].sort((a, b) => a[0] - b[0]));
}

/** Differences between two copies of a board: state vector, delete set, content. Empty means identical. */
export function docDifferences(a: Y.Doc, b: Y.Doc, labels: [string, string] = ['a', 'b']): string[] {
  const out: string[] = [];
  const [svA, svB] = [stateVector(a), stateVector(b)];
  if (!isDeepStrictEqual(svA, svB)) {
    out.push(`state vectors differ: ${labels[0]}=${describeVector(svA)} ${labels[1]}=${describeVector(svB)}`);
  }
  if (!Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b))) out.push('snapshots (state vector + delete set) differ');
  const [contentA, contentB] = [boardContent(a), boardContent(b)];
  for (const key of Object.keys(contentA)) {
    if (!isDeepStrictEqual(contentA[key], contentB[key])) {
      out.push(`${key} differs: ${labels[0]}=${clip(JSON.stringify(contentA[key]))} ${labels[1]}=${clip(JSON.stringify(contentB[key]))}`);
    }
  }
  if (a.store.pendingStructs !== null || b.store.pendingStructs !== null) out.push('a copy has pending (undeliverable) structs');
  return out;
}

function clip(text: string | undefined, max = 400): string {
  if (text === undefined) return 'undefined';
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/**
 * Checks many updates against one document: is everything an update inserts or deletes in the document?
 * (What Y.snapshotContainsUpdate answers, without re-merging the whole delete set for every update.)
 */
export class ContainmentChecker {
  private readonly stateVector: Map<number, number>;
  /** Deleted ranges per client, sorted by clock, adjacent ranges merged (as Yjs builds them). */
  private readonly deleted: Map<number, { clock: number; len: number }[]>;

  constructor(doc: Y.Doc) {
    this.stateVector = stateVector(doc);
    this.deleted = Y.snapshot(doc).ds.clients;
  }

  contains(update: Uint8Array): boolean {
    const { structs, ds } = Y.decodeUpdate(update);
    for (const struct of structs) {
      // Skips are gaps in a merged update, not content.
      if (struct instanceof Y.Skip) continue;
      if ((this.stateVector.get(struct.id.client) ?? 0) < struct.id.clock + struct.length) return false;
    }
    for (const [client, items] of ds.clients) {
      for (const item of items) if (!this.isDeleted(client, item.clock, item.len)) return false;
    }
    return true;
  }

  /** Updates from `updates` missing (wholly or partly) from the document. */
  missing(updates: readonly Uint8Array[]): Uint8Array[] {
    return updates.filter((u) => !this.contains(u));
  }

  private isDeleted(client: number, clock: number, len: number): boolean {
    const ranges = this.deleted.get(client);
    if (!ranges) return false;
    // The last range starting at or before `clock` must reach past the end of the deleted span.
    let low = 0;
    let high = ranges.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (ranges[mid]!.clock <= clock) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (found < 0) return false;
    const range = ranges[found]!;
    return range.clock + range.len >= clock + len;
  }
}

/** A document holding everything in `docs` (what a perfect server would hold). */
export function unionOf(docs: readonly Y.Doc[]): Y.Doc {
  const out = new Y.Doc();
  for (const doc of docs) Y.applyUpdate(out, Y.encodeStateAsUpdate(doc));
  return out;
}
