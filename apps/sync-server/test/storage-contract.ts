// The storage contract: every Storage implementation must pass this suite (SQLite and memory today,
// PostgreSQL later). Behaviour a caller relies on, not implementation details.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { assignRole, newCallout, type Callout, type RoleAssignment } from '@redstring/model';
import type { Storage } from '../src/index';

const T0 = 1_700_000_000_000;

function update(write: (doc: Y.Doc) => void, doc = new Y.Doc()): Uint8Array {
  let captured: Uint8Array = new Uint8Array(0);
  doc.once('update', (u: Uint8Array) => (captured = u));
  write(doc);
  return captured;
}

function newBoard(id: string, title = `Board ${id}`) {
  const doc = new Y.Doc();
  doc.getMap('meta').set('title', title);
  return {
    id,
    title,
    createdAt: T0,
    createdBy: 'u-ana',
    editorTokenHash: `${id}-editor-hash`,
    viewerTokenHash: `${id}-viewer-hash`,
    initialState: Y.encodeStateAsUpdate(doc),
  };
}

function callout(
  boardId: string,
  id: string,
  to: Callout['to'],
  ackWithinSeconds = 60,
  now = T0,
  actor = { userId: 'u-ana', name: 'Ana' },
): Callout {
  const result = newCallout(
    { boardId, to, issue: 'p99 latency 4 s', noticedHow: 'dashboard', intent: 'investigate', urgency: 'normal', ackWithinSeconds },
    { actor, now, id },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function replay(state: { snapshot: Uint8Array | null; updates: Uint8Array[]; pending?: Uint8Array | null }): Y.Doc {
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const u of state.updates) Y.applyUpdate(doc, u);
  if (state.pending) Y.applyUpdate(doc, state.pending);
  return doc;
}

export function runStorageContract(name: string, open: () => Promise<Storage>): void {
  describe(`storage contract: ${name}`, () => {
    it('creates boards, finds them by token hash, and starts them with their initial state', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('b1', 'Checkout latency spike'));
      expect(await storage.getBoard('b1')).toMatchObject({ id: 'b1', title: 'Checkout latency spike', status: 'investigating', cardCount: 0 });
      expect(await storage.getBoard('nope')).toBeNull();
      expect(await storage.findBoardByTokenHash('b1-editor-hash')).toEqual({ boardId: 'b1', access: 'editor' });
      expect(await storage.findBoardByTokenHash('b1-viewer-hash')).toEqual({ boardId: 'b1', access: 'viewer' });
      expect(await storage.findBoardByTokenHash('unknown')).toBeNull();
      const state = await storage.loadBoardState('b1');
      expect(state).toMatchObject({ snapshotSeq: 0, updates: [], lastSeq: 0 });
      expect(replay(state!).getMap('meta').get('title')).toBe('Checkout latency spike');
      expect(await storage.loadBoardState('nope')).toBeNull();
      await expect(storage.createBoard(newBoard('b1'))).rejects.toThrow();
    });

    it('appends updates of several boards in one call, numbering each board’s log in order', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('a'));
      await storage.createBoard(newBoard('b'));
      const docA = new Y.Doc();
      const u1 = update((d) => d.getMap('m').set('x', 1), docA);
      const u2 = update((d) => d.getMap('m').set('y', 2), docA);
      const u3 = update((d) => d.getArray('list').push(['b']));
      const seqs = await storage.appendUpdates(
        [
          { boardId: 'a', update: u1 },
          { boardId: 'b', update: u3 },
          { boardId: 'a', update: u2 },
        ],
        T0 + 5,
      );
      expect(seqs).toEqual([1, 1, 2]);
      const a = await storage.loadBoardState('a');
      expect(a?.lastSeq).toBe(2);
      expect(replay(a!).getMap('m').toJSON()).toEqual({ x: 1, y: 2 });
      expect((await storage.getBoard('a'))?.lastActivityAt).toBe(T0 + 5);
    });

    it('appends nothing when any update in the call is for an unknown board', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('a'));
      const u = update((d) => d.getMap('m').set('x', 1));
      await expect(
        storage.appendUpdates(
          [
            { boardId: 'a', update: u },
            { boardId: 'ghost', update: u },
          ],
          T0,
        ),
      ).rejects.toThrow();
      expect((await storage.loadBoardState('a'))?.updates).toEqual([]);
    });

    it('compacts atomically: the snapshot replaces the folded log, numbering continues, nothing is lost', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('a'));
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await storage.loadBoardState('a'))!.snapshot!);
      const updates = Array.from({ length: 5 }, (_, i) => update((d) => d.getMap('m').set(`k${i}`, i), doc));
      await storage.appendUpdates(updates.slice(0, 3).map((u) => ({ boardId: 'a', update: u })), T0);
      // The snapshot holds everything up to seq 3; a 4th update arrives before the compaction lands.
      const snapshot = Y.encodeStateAsUpdate(doc);
      await storage.appendUpdates([{ boardId: 'a', update: updates[3]! }], T0);
      expect(await storage.compactBoard('a', snapshot, 3, T0)).toBe(3);
      await storage.appendUpdates([{ boardId: 'a', update: updates[4]! }], T0);
      const state = await storage.loadBoardState('a');
      expect(state).toMatchObject({ snapshotSeq: 3, lastSeq: 5 });
      expect(state?.updates).toHaveLength(2);
      expect(replay(state!).getMap('m').toJSON()).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
      // An older snapshot never replaces a newer one; compacting beyond what is stored is refused.
      expect(await storage.compactBoard('a', new Uint8Array([0, 0]), 2, T0)).toBe(0);
      expect((await storage.loadBoardState('a'))?.snapshotSeq).toBe(3);
      await expect(storage.compactBoard('a', snapshot, 99, T0)).rejects.toThrow();
    });

    it('keeps one pending remainder per board, replaced with each append and applied after the log', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('a'));
      await storage.createBoard(newBoard('b'));
      const writer = new Y.Doc();
      const [u1, u2, u3] = [1, 2, 3].map((n) => update((d) => d.getMap('m').set(`k${n}`, n), writer)) as [Uint8Array, Uint8Array, Uint8Array];
      // u2 and u3 wait for u1: stored as the remainder, without a log row.
      const waiting = Y.mergeUpdates([u2, u3]);
      expect(await storage.appendUpdates([], T0, [{ boardId: 'a', update: u2 }])).toEqual([]);
      expect(await storage.appendUpdates([], T0, [{ boardId: 'a', update: waiting }])).toEqual([]);
      let state = await storage.loadBoardState('a');
      expect(state).toMatchObject({ updates: [], lastSeq: 0, pending: waiting });
      expect(replay(state!).getMap('m').toJSON()).toEqual({});
      // u1 arrives: the log gets it and the remainder it completed, and the row is removed in the same call.
      expect(await storage.appendUpdates([{ boardId: 'a', update: Y.mergeUpdates([u1, waiting]) }], T0, [{ boardId: 'a', update: null }])).toEqual([1]);
      state = await storage.loadBoardState('a');
      expect(state?.pending).toBeNull();
      expect(replay(state!).getMap('m').toJSON()).toEqual({ k1: 1, k2: 2, k3: 3 });
      expect((await storage.loadBoardState('b'))?.pending).toBeNull();
      // All or nothing, like the log: a remainder for an unknown board fails the whole call.
      await expect(
        storage.appendUpdates([{ boardId: 'a', update: u1 }], T0, [{ boardId: 'ghost', update: u2 }]),
      ).rejects.toThrow();
      expect((await storage.loadBoardState('a'))?.lastSeq).toBe(1);
      // Compaction folds the log and leaves the remainder alone.
      await storage.appendUpdates([], T0, [{ boardId: 'b', update: u3 }]);
      expect(await storage.compactBoard('b', (await storage.loadBoardState('b'))!.snapshot!, 0, T0)).toBe(0);
      expect((await storage.loadBoardState('b'))?.pending).toEqual(u3);
    });

    it('returns the callout a sender stored earlier under the same request id instead of a second one', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('a'));
      const first = callout('a', 'c1', { kind: 'user', userId: 'u-bo', name: 'Bo' });
      expect(await storage.insertCallout(first, 'retry-key-0001')).toEqual({ inserted: true });
      // The retry was decided anew (a new id) but carries the same request id.
      const retry = callout('a', 'c2', { kind: 'user', userId: 'u-bo', name: 'Bo' });
      expect(await storage.insertCallout(retry, 'retry-key-0001')).toEqual({ inserted: false, existingId: 'c1' });
      expect(await storage.getCallout('c2')).toBeNull();
      expect((await storage.findCalloutByRequest('u-ana', 'retry-key-0001'))?.id).toBe('c1');
      // Request ids are per sender; callouts without one are never merged.
      const chens = callout('a', 'c3', { kind: 'user', userId: 'u-bo', name: 'Bo' }, 60, T0, { userId: 'u-chen', name: 'Chen' });
      expect(await storage.insertCallout(chens, 'retry-key-0001')).toEqual({ inserted: true });
      expect(await storage.findCalloutByRequest('u-chen', 'retry-key-0001')).toMatchObject({ id: 'c3', from: { userId: 'u-chen' } });
      expect(await storage.insertCallout(callout('a', 'c4', { kind: 'role', role: 'commander' }))).toEqual({ inserted: true });
      expect(await storage.insertCallout(callout('a', 'c5', { kind: 'role', role: 'commander' }))).toEqual({ inserted: true });
      expect(await storage.findCalloutByRequest('u-ana', 'never-used-0001')).toBeNull();
      expect((await storage.listCallouts('a')).map((c) => c.id)).toEqual(['c1', 'c3', 'c4', 'c5']);
    });

    it('returns copies: changing what it returned does not change what it stores', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('a'));
      const state = await storage.loadBoardState('a');
      state!.snapshot!.fill(0);
      expect(replay((await storage.loadBoardState('a'))!).getMap('meta').get('title')).toBe('Board a');
      const c = callout('a', 'c1', { kind: 'user', userId: 'u-bo', name: 'Bo' });
      await storage.insertCallout(c);
      const got = await storage.getCallout('c1');
      got!.issue = 'changed';
      expect((await storage.getCallout('c1'))?.issue).toBe('p99 latency 4 s');
    });

    it('lists a user’s boards by latest activity, searches title and text case-insensitively, and only grows access', async () => {
      const storage = await open();
      for (const id of ['a', 'b', 'c']) await storage.createBoard(newBoard(id));
      await storage.touchMember({ userId: 'u-ana', userName: 'Ana', boardId: 'a', access: 'editor' }, T0);
      await storage.touchMember({ userId: 'u-ana', userName: 'Ana', boardId: 'b', access: 'viewer' }, T0);
      await storage.touchMember({ userId: 'u-bo', userName: 'Bo', boardId: 'c', access: 'editor' }, T0);
      await storage.appendUpdates([{ boardId: 'b', update: update((d) => d.getMap('m').set('x', 1)) }], T0 + 100);
      await storage.updateBoardSummary('a', {
        title: 'Checkout latency spike',
        status: 'incident',
        cardCount: 3,
        participants: ['Ana', 'Bo'],
        searchText: 'Checkout latency spike\nÜBERLAST im Cache nach Deploy 8812',
      });
      expect((await storage.listBoardsForUser('u-ana', { limit: 10 })).map((b) => b.id)).toEqual(['b', 'a']);
      expect((await storage.listBoardsForUser('u-ana', { limit: 1 })).map((b) => b.id)).toEqual(['b']);
      const hits = await storage.listBoardsForUser('u-ana', { query: 'überlast', limit: 10 });
      expect(hits).toHaveLength(1);
      expect(hits[0]).toMatchObject({ id: 'a', title: 'Checkout latency spike', status: 'incident', cardCount: 3, participants: ['Ana', 'Bo'], access: 'editor' });
      expect(await storage.listBoardsForUser('u-ana', { query: 'no such words', limit: 10 })).toEqual([]);
      await storage.touchMember({ userId: 'u-ana', userName: 'Ana', boardId: 'a', access: 'viewer' }, T0 + 200);
      expect(await storage.getMember('u-ana', 'a')).toMatchObject({ access: 'editor', firstSeenAt: T0, lastSeenAt: T0 + 200 });
      await storage.touchMember({ userId: 'u-ana', userName: 'Ana', boardId: 'b', access: 'editor' }, T0 + 300);
      expect((await storage.getMember('u-ana', 'b'))?.access).toBe('editor');
      expect(await storage.getMember('u-ana', 'c')).toBeNull();
    });

    it('changes a callout only from the state it was read in (compare-and-set)', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('a'));
      const open1 = callout('a', 'c1', { kind: 'user', userId: 'u-bo', name: 'Bo' });
      await storage.insertCallout(open1);
      await expect(storage.insertCallout(open1)).rejects.toThrow();
      const escalated: Callout = { ...open1, state: 'escalated', escalatedAt: T0 + 60_000 };
      expect(await storage.replaceCallout(escalated, 'open')).toBe(true);
      // A second escalation decided from the same 'open' read loses.
      expect(await storage.replaceCallout({ ...escalated, escalatedAt: T0 + 61_000 }, 'open')).toBe(false);
      expect((await storage.getCallout('c1'))?.escalatedAt).toBe(T0 + 60_000);
      expect(await storage.replaceCallout({ ...open1, id: 'ghost' }, 'open')).toBe(false);
    });

    it('finds overdue and pending callouts, for addressed users and for current role holders', async () => {
      const storage = await open();
      await storage.createBoard(newBoard('a'));
      await storage.createBoard(newBoard('b'));
      const toBo = callout('a', 'c-bo', { kind: 'user', userId: 'u-bo', name: 'Bo' }, 10);
      const toCommander = callout('a', 'c-cmd', { kind: 'role', role: 'commander' }, 30);
      const toCommanderB = callout('b', 'c-cmd-b', { kind: 'role', role: 'commander' }, 20);
      for (const c of [toBo, toCommander, toCommanderB]) await storage.insertCallout(c);
      const roles: RoleAssignment[] = assignRole([], {
        id: 'r1', boardId: 'a', role: 'commander', userId: 'u-chen', userName: 'Chen', assignedBy: 'u-ana', now: T0,
      });
      await storage.saveRoleAssignments(roles);

      expect(await storage.nextCalloutDeadline()).toBe(T0 + 10_000);
      expect((await storage.listOverdueCallouts(T0 + 20_000)).map((c) => c.id)).toEqual(['c-bo', 'c-cmd-b']);
      expect(await storage.countPendingCallouts()).toBe(3);
      expect((await storage.listPendingCalloutsForUser('u-bo')).map((c) => c.id)).toEqual(['c-bo']);
      // Chen commands board a only.
      expect((await storage.listPendingCalloutsForUser('u-chen')).map((c) => c.id)).toEqual(['c-cmd']);

      // Handing command to Dana moves the role callout with it.
      const handover = assignRole(roles, { id: 'r2', boardId: 'a', role: 'commander', userId: 'u-dana', userName: 'Dana', assignedBy: 'u-ana', now: T0 + 5 });
      await storage.saveRoleAssignments(handover);
      expect(await storage.listPendingCalloutsForUser('u-chen')).toEqual([]);
      expect((await storage.listPendingCalloutsForUser('u-dana')).map((c) => c.id)).toEqual(['c-cmd']);
      expect((await storage.listRoleAssignments('a')).map((r) => [r.id, r.handedOverAt])).toEqual([
        ['r1', T0 + 5],
        ['r2', undefined],
      ]);

      await storage.replaceCallout({ ...toBo, state: 'acknowledged', acknowledgedAt: T0 + 1, acknowledgedBy: { userId: 'u-bo', name: 'Bo' } }, 'open');
      await storage.replaceCallout({ ...toCommanderB, state: 'escalated', escalatedAt: T0 + 20_000 }, 'open');
      expect(await storage.nextCalloutDeadline()).toBe(T0 + 30_000);
      expect((await storage.listOverdueCallouts(T0 + 25_000)).map((c) => c.id)).toEqual([]);
      expect(await storage.countPendingCallouts()).toBe(2);
      expect((await storage.listCallouts('a')).map((c) => [c.id, c.state])).toEqual([
        ['c-bo', 'acknowledged'],
        ['c-cmd', 'open'],
      ]);
    });
  });
}
