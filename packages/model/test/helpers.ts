import * as Y from 'yjs';
import { type Actor, BoardDoc } from '../src/index';

export const ANA: Actor = { userId: 'ana', name: 'Ana' };
export const BO: Actor = { userId: 'bo', name: 'Bo' };
export const T0 = 1_700_000_000_000;

/** A clock that advances 1 s per reading from `start` (each operation gets its own time). */
export function steppingClock(start = T0, step = 1_000): () => number {
  let now = start - step;
  return () => (now += step);
}

/** A seeded id generator: predictable ids in tests. */
export function sequentialIds(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

export function newBoard(actor: Actor = ANA, options: { clock?: () => number; doc?: Y.Doc } = {}): BoardDoc {
  const doc = options.doc ?? new Y.Doc();
  BoardDoc.initialize(doc, { id: 'board-1', title: 'Checkout latency spike', createdBy: actor.userId, createdAt: T0 });
  return new BoardDoc(doc, { actor, clock: options.clock ?? steppingClock(), newId: sequentialIds(`${actor.userId}-`) });
}

/** Exchanges everything each document is missing (state-vector based). */
export function syncDocs(...docs: Y.Doc[]): void {
  for (const a of docs) {
    for (const b of docs) {
      if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync');
    }
  }
}
