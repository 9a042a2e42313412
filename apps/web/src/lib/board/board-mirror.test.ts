import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc } from '@redstring/model';
import { BoardMirror, type MirrorChange } from './board-mirror';

function setup() {
  const doc = new Y.Doc();
  BoardDoc.initialize(doc, { id: 'board1', title: 'Checkout latency', createdBy: 'ana', createdAt: 1000 });
  let now = 5000;
  const boardDoc = new BoardDoc(doc, { actor: { userId: 'ana', name: 'Ana' }, clock: () => now++ });
  const mirror = new BoardMirror(doc, (o) => o === boardDoc.origin);
  const changes: MirrorChange[] = [];
  mirror.onChange((c) => changes.push(c));
  return { doc, boardDoc, mirror, changes };
}

describe('board mirror (incremental read model)', () => {
  it('re-reads only the cards a transaction touched, and marks my own changes local', () => {
    const { boardDoc, mirror, changes } = setup();
    const a = boardDoc.createCard({ kind: 'evidence', title: 'p99 4 s', x: 0, y: 0 });
    const b = boardDoc.createCard({ kind: 'hypothesis', title: 'Provider degraded', x: 300, y: 0 });
    changes.length = 0;
    boardDoc.moveCards([{ id: a, x: 50, y: 60 }]);
    expect(changes).toHaveLength(1);
    expect([...changes[0]!.cards]).toEqual([a]);
    expect(changes[0]!.local).toBe(true);
    expect(mirror.cards.get(a)).toMatchObject({ x: 50, y: 60 });
    boardDoc.editText(b, 'title', 0, 0, 'H1: ');
    expect(mirror.cards.get(b)?.title).toBe('H1: Provider degraded');
    expect(mirror.cardOrder()).toEqual([a, b]);
  });

  it('derives hypothesis status from the status log and follows links and deletions', () => {
    const { boardDoc, mirror } = setup();
    const e = boardDoc.createCard({ kind: 'evidence', title: 'Provider status green', x: 0, y: 0 });
    const h = boardDoc.createCard({ kind: 'hypothesis', title: 'Provider degraded', x: 300, y: 0 });
    const link = boardDoc.link(e, h, 'refutes');
    expect(mirror.links.get(link)?.relation).toBe('refutes');
    expect(mirror.statusOf(h)).toBe('open');
    const r = boardDoc.setHypothesisStatus(h, 'ruled-out', 'status page green');
    expect(r.ok).toBe(true);
    expect(mirror.cards.get(h)?.status).toBe('ruled-out');
    expect(mirror.lastStatusChange(h)?.reason).toBe('status page green');
    boardDoc.deleteCards([e]);
    expect(mirror.cards.has(e)).toBe(false);
    expect(mirror.links.size).toBe(0);
  });

  it('applies remote updates and marks them not local', () => {
    const { doc, mirror, changes } = setup();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const bo = new BoardDoc(other, { actor: { userId: 'bo', name: 'Bo' } });
    const id = bo.createCard({ kind: 'note', title: 'from Bo', x: 1, y: 2 });
    changes.length = 0;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'remote');
    expect(mirror.cards.get(id)?.title).toBe('from Bo');
    expect(changes.at(-1)?.local).toBe(false);
    expect(mirror.meta?.title).toBe('Checkout latency');
  });
});
