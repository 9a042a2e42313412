// Both storage implementations against one contract, plus what only a file can show: durability
// across reopening, and refusing a database written by a newer server.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { newCallout } from '@redstring/model';
import { MemoryStorage, SqliteStorage } from '../src/index';
import { runStorageContract } from './storage-contract';
import { tempDataDir } from './helpers/test-server';

runStorageContract('MemoryStorage', async () => new MemoryStorage());

runStorageContract('SqliteStorage (writer thread)', async () => {
  const storage = await SqliteStorage.open(join(tempDataDir(), 'contract.db'));
  onTestFinished(() => storage.close());
  return storage;
});

/** A database file at `name` holding board 'a', made from `doc`; the storage is still open. */
async function storageWithBoard(name: string, doc: Y.Doc): Promise<{ path: string; storage: SqliteStorage }> {
  const path = join(tempDataDir(), name);
  const storage = await SqliteStorage.open(path);
  await storage.createBoard({
    id: 'a', title: 'old', createdAt: 1, createdBy: 'u', editorTokenHash: 'e', viewerTokenHash: 'v',
    initialState: Y.encodeStateAsUpdate(doc),
  });
  return { path, storage };
}

describe('SqliteStorage on disk', () => {
  it('uses WAL and keeps committed data across reopening', async () => {
    const path = join(tempDataDir(), 'reopen.db');
    const first = await SqliteStorage.open(path);
    const doc = new Y.Doc();
    doc.getMap('meta').set('title', 'kept');
    await first.createBoard({
      id: 'a', title: 'kept', createdAt: 1, createdBy: 'u', editorTokenHash: 'e', viewerTokenHash: 'v',
      initialState: Y.encodeStateAsUpdate(doc),
    });
    let captured: Uint8Array = new Uint8Array(0);
    doc.once('update', (u: Uint8Array) => (captured = u));
    doc.getMap('meta').set('status', 'incident');
    await first.appendUpdates([{ boardId: 'a', update: captured }], 2);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    await first.close();

    const second = await SqliteStorage.open(path);
    const state = await second.loadBoardState('a');
    const restored = new Y.Doc();
    Y.applyUpdate(restored, state!.snapshot!);
    for (const u of state!.updates) Y.applyUpdate(restored, u);
    expect(restored.getMap('meta').toJSON()).toEqual({ title: 'kept', status: 'incident' });
    await second.close();
  });

  it('migrates a database written by the previous schema: pending table, callout request ids', async () => {
    const { path, storage } = await storageWithBoard('v1.db', new Y.Doc());
    const old = newCallout(
      { boardId: 'a', to: { kind: 'role', role: 'commander' }, issue: 'disk 95%', noticedHow: 'alert', intent: 'clean up', urgency: 'high', ackWithinSeconds: 60 },
      { actor: { userId: 'u-ana', name: 'Ana' }, now: 1, id: 'c-old' },
    );
    if (!old.ok) throw new Error(old.error.message);
    await storage.insertCallout(old.value);
    await storage.close();
    // Turn the file into what schema 1 wrote.
    const raw = new Database(path);
    raw.exec(`DROP INDEX callouts_by_request; ALTER TABLE callouts DROP COLUMN request_id; ALTER TABLE callouts DROP COLUMN from_user_id;
      DROP TABLE board_pending_update; UPDATE storage_meta SET value = '1' WHERE key = 'schema_version';`);
    raw.close();

    const migrated = await SqliteStorage.open(path);
    onTestFinished(() => migrated.close());
    expect((await migrated.getCallout('c-old'))?.issue).toBe('disk 95%');
    expect((await migrated.loadBoardState('a'))?.pending).toBeNull();
    const fresh = newCallout(
      { boardId: 'a', to: { kind: 'role', role: 'scribe' }, issue: 'notes', noticedHow: 'asked', intent: 'write', urgency: 'low', ackWithinSeconds: 60 },
      { actor: { userId: 'u-ana', name: 'Ana' }, now: 2, id: 'c-new' },
    );
    if (!fresh.ok) throw new Error(fresh.error.message);
    expect(await migrated.insertCallout(fresh.value, 'request-0001')).toEqual({ inserted: true });
    expect(await migrated.insertCallout({ ...fresh.value, id: 'c-dup' }, 'request-0001')).toEqual({ inserted: false, existingId: 'c-new' });
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT value FROM storage_meta WHERE key = 'schema_version'").get()).toEqual({ value: '3' });
    check.close();
  });

  it('migrates the update log of schema 2 (WITHOUT ROWID) into a rowid table, every update kept in order', async () => {
    const doc = new Y.Doc();
    const { path, storage } = await storageWithBoard('v2.db', doc);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5; i++) doc.getMap('meta').set('title', `title ${i}`);
    for (const update of updates) await storage.appendUpdates([{ boardId: 'a', update }], 2);
    await storage.close();
    // Rebuild the log table the way schema 2 declared it, with the same rows.
    const raw = new Database(path);
    raw.exec(`CREATE TABLE old_updates (board_id TEXT NOT NULL REFERENCES boards(id), seq INTEGER NOT NULL, bytes BLOB NOT NULL,
        PRIMARY KEY (board_id, seq)) WITHOUT ROWID;
      INSERT INTO old_updates SELECT board_id, seq, bytes FROM board_updates;
      DROP TABLE board_updates; ALTER TABLE old_updates RENAME TO board_updates;
      UPDATE storage_meta SET value = '2' WHERE key = 'schema_version';`);
    raw.close();

    const migrated = await SqliteStorage.open(path);
    onTestFinished(() => migrated.close());
    const state = await migrated.loadBoardState('a');
    expect(state!.updates).toHaveLength(5);
    const restored = new Y.Doc();
    Y.applyUpdate(restored, state!.snapshot!);
    for (const u of state!.updates) Y.applyUpdate(restored, u);
    expect(restored.getMap('meta').get('title')).toBe('title 4');
    // The log goes on from where it was.
    doc.getMap('meta').set('title', 'after the migration');
    await migrated.appendUpdates([{ boardId: 'a', update: updates.at(-1)! }], 3);
    expect((await migrated.loadBoardState('a'))!.updates).toHaveLength(6);
    const check = new Database(path, { readonly: true });
    const table = check.prepare("SELECT sql FROM sqlite_master WHERE name = 'board_updates'").get() as { sql: string };
    expect(table.sql).not.toMatch(/WITHOUT\s+ROWID/i);
    expect(check.prepare("SELECT value FROM storage_meta WHERE key = 'schema_version'").get()).toEqual({ value: '3' });
    check.close();
  });

  it('refuses to open a database written by a newer server', async () => {
    const path = join(tempDataDir(), 'newer.db');
    await (await SqliteStorage.open(path)).close();
    const raw = new Database(path);
    raw.prepare("UPDATE storage_meta SET value = '99' WHERE key = 'schema_version'").run();
    raw.close();
    await expect(SqliteStorage.open(path)).rejects.toThrow(/newer server/);
  });
});
