// Giving memory back after many boards unloaded: storage first, then V8's collection, then the C heap;
// only when the server has gone quiet with few boards left; and a storage failure does not stop the rest.
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../src/log';
import { loadCHeapTrim } from '../src/malloc-trim';
import { MemoryReleaser } from '../src/memory-release';
import { SqliteStorage } from '../src/storage/sqlite-storage';
import { tempDataDir } from './helpers/test-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function releaser(options: { loaded?: number; storageFails?: boolean } = {}) {
  const steps: string[] = [];
  const lines: string[] = [];
  const memory = new MemoryReleaser({
    loadedBoards: () => options.loaded ?? 0,
    log: createLogger({ level: 'info', sink: (line) => lines.push(line) }),
    releaseStorageMemory: async () => {
      steps.push('storage');
      if (options.storageFails) throw new Error('writer thread gone');
    },
    trimCHeap: () => void steps.push('trim'),
    collected: () => void steps.push('collected'),
    quietMs: 20,
    minUnloads: 3,
    trimDelayMs: 10,
  });
  onTestFinished(() => memory.stop());
  return { memory, steps, lines };
}

describe('MemoryReleaser', () => {
  it('releases storage memory, collects, then trims the C heap once the unloads have stopped', async () => {
    const { memory, steps, lines } = releaser();
    for (let i = 0; i < 3; i++) memory.boardUnloaded();
    await sleep(150);
    expect(steps).toEqual(['storage', 'trim', 'collected']);
    const logged = JSON.parse(lines.find((l) => l.includes('collected the memory')) ?? '{}');
    expect(logged).toMatchObject({ unloadedBoards: 3 });
    expect(typeof logged.releasedRssMiB).toBe('number');
  });

  it('does nothing while too few boards unloaded or too many are still loaded', async () => {
    const few = releaser();
    few.memory.boardUnloaded();
    few.memory.boardUnloaded();
    const busy = releaser({ loaded: 50 });
    for (let i = 0; i < 3; i++) busy.memory.boardUnloaded();
    await sleep(150);
    expect(few.steps).toEqual([]);
    expect(busy.steps).toEqual([]);
  });

  it('still collects and trims when storage cannot release, and says so', async () => {
    const { memory, steps, lines } = releaser({ storageFails: true });
    for (let i = 0; i < 3; i++) memory.boardUnloaded();
    await sleep(150);
    expect(steps).toEqual(['storage', 'trim', 'collected']);
    expect(lines.some((l) => l.includes('storage could not release its memory') && l.includes('writer thread gone'))).toBe(true);
  });
});

describe('releasing memory in real parts', () => {
  it('SqliteStorage gives back its caches and keeps every record readable', async () => {
    const storage = await SqliteStorage.open(join(tempDataDir(), 'release.db'));
    onTestFinished(() => storage.close());
    await storage.createBoard({
      id: 'kept', title: 'Kept board', createdAt: 1, createdBy: 'u', editorTokenHash: 'e', viewerTokenHash: 'v',
      initialState: new Uint8Array([0, 0]),
    });
    await storage.releaseMemory();
    expect((await storage.getBoard('kept'))?.title).toBe('Kept board');
    // Writes still go through after the writer thread released its memory.
    await storage.createBoard({
      id: 'after', title: 'After release', createdAt: 2, createdBy: 'u', editorTokenHash: 'e2', viewerTokenHash: 'v2',
      initialState: new Uint8Array([0, 0]),
    });
    expect((await storage.getBoard('after'))?.title).toBe('After release');
  });

  it('SqliteStorage answers a release even when its writer thread dies meanwhile', async () => {
    const storage = await SqliteStorage.open(join(tempDataDir(), 'release-dead.db'));
    onTestFinished(() => storage.close());
    const released = storage.releaseMemory();
    await storage.writer.thread?.terminate();
    await expect(released).resolves.toBeUndefined();
  });

  it('the C heap trim is built and callable on this Linux', () => {
    const cHeap = loadCHeapTrim();
    expect(cHeap).toHaveProperty('trim');
    if ('trim' in cHeap) expect(() => cHeap.trim()).not.toThrow();
  });
});
