import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyWithoutReencoding } from './quiet-apply';

const SERVER = Symbol('server');

describe('applying server updates without re-encoding them', () => {
  it('applies the update and hands the listeners the very bytes that arrived', () => {
    const remote = new Y.Doc();
    remote.getMap('cards').set('a', 'Disk full');
    const update = Y.encodeStateAsUpdate(remote);
    const doc = new Y.Doc();
    const heard: { update: Uint8Array; origin: unknown }[] = [];
    const listener = (u: Uint8Array, origin: unknown) => heard.push({ update: u, origin });
    doc.on('update', listener);
    applyWithoutReencoding(doc, update, SERVER, [listener]);
    expect(doc.getMap('cards').get('a')).toBe('Disk full');
    expect(heard).toEqual([{ update, origin: SERVER }]);
    // Reattached: a local edit afterwards is heard as usual.
    doc.getMap('cards').set('b', 'local');
    expect(heard.map((h) => h.origin)).toEqual([SERVER, null]);
  });

  it('still hands over a local edit an observer makes while the server update is applied', () => {
    const remote = new Y.Doc();
    remote.getMap('cards').set('a', 'Disk full');
    const doc = new Y.Doc();
    // An observer that reacts to remote content by writing (e.g. recording a participant).
    doc.getMap('cards').observe((e) => {
      if (e.transaction.origin === SERVER) doc.transact(() => doc.getMap('participants').set('me', 'Ana'), 'local');
    });
    const forwarded: { update: Uint8Array; origin: unknown }[] = [];
    const listener = (update: Uint8Array, origin: unknown) => forwarded.push({ update, origin });
    doc.on('update', listener);
    applyWithoutReencoding(doc, Y.encodeStateAsUpdate(remote), SERVER, [listener]);
    expect(forwarded.map((f) => f.origin)).toEqual([SERVER, 'local']);
    // What was forwarded as local carries the edit: the server (here: `remote`) ends up with it.
    Y.applyUpdate(remote, forwarded[1]!.update);
    expect(remote.getMap('participants').get('me')).toBe('Ana');
    expect(remote.store.pendingStructs).toBeNull();
  });
});
