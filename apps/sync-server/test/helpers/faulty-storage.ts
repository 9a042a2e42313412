// Real SQLite storage with switchable faults: a method can be made to fail, as a full disk or a lost
// database connection would, while everything else keeps working.
import { join } from 'node:path';
import { SqliteStorage, type Storage } from '../../src/index';

export type StorageMethod = keyof Storage;

export async function faultyStorage(
  dataDir: string,
): Promise<{ storage: Storage; inner: SqliteStorage; failing: Set<StorageMethod>; calls: Map<StorageMethod, number> }> {
  const inner = await SqliteStorage.open(join(dataDir, 'redstring.db'));
  const failing = new Set<StorageMethod>();
  const calls = new Map<StorageMethod, number>();
  const storage = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = property as StorageMethod;
      return (...args: unknown[]) => {
        calls.set(method, (calls.get(method) ?? 0) + 1);
        if (failing.has(method)) return Promise.reject(new Error(`injected fault: ${method} failed (disk I/O error)`));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Storage;
  return { storage, inner, failing, calls };
}
