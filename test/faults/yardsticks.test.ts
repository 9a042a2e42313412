// The fault rows are only as good as their yardsticks. These checks show that the containment check,
// the document comparison and the fault proxy can tell right from wrong, so a passing row means something.
//
// Rerun: pnpm exec vitest run --project test faults/yardsticks
import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RandomEditor } from './lib/board-ops';
import { ContainmentChecker, docDifferences } from './lib/doc-compare';
import { FaultProxy } from './lib/fault-proxy';
import { Prng, sleep } from './lib/prng';
import { waitUntil } from './lib/wait';

describe('yardsticks of the fault suite', () => {
  it('the containment check finds a missing insert and a missing deletion, and agrees with Yjs', () => {
    const prng = new Prng(42);
    const a = new Y.Doc();
    const b = new Y.Doc();
    const updates: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => updates.push(u));
    const editor = new RandomEditor(a, 'user_a', prng);
    for (let i = 0; i < 300; i++) {
      editor.step();
      // b misses every fifth update of a.
      if (i % 5 !== 4 && updates.length > 0) Y.applyUpdate(b, updates[updates.length - 1]!);
    }
    const checker = new ContainmentChecker(b);
    const reference = Y.snapshot(b);
    let missing = 0;
    for (const u of updates) {
      expect(checker.contains(u)).toBe(Y.snapshotContainsUpdate(reference, u));
      if (!checker.contains(u)) missing++;
    }
    expect(missing).toBeGreaterThan(0);
    expect(new ContainmentChecker(a).missing(updates)).toEqual([]);

    // A deletion-only update (no new structs) must be caught too.
    const c = new Y.Doc();
    c.getText('t').insert(0, 'hello');
    const d = new Y.Doc();
    Y.applyUpdate(d, Y.encodeStateAsUpdate(c));
    let deletion: Uint8Array | null = null;
    c.once('update', (u: Uint8Array) => (deletion = u));
    c.getText('t').delete(0, 2);
    expect(deletion).not.toBeNull();
    expect(new ContainmentChecker(d).contains(deletion!)).toBe(false);
    expect(new ContainmentChecker(c).contains(deletion!)).toBe(true);
  });

  it('the document comparison reports different content and nothing for identical copies', () => {
    const a = new Y.Doc();
    const editor = new RandomEditor(a, 'user_a', new Prng(7));
    for (let i = 0; i < 50; i++) editor.step();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(docDifferences(a, b)).toEqual([]);
    editor.step();
    editor.board.setBoardMeta({ title: 'changed on a only' });
    expect(docDifferences(a, b).length).toBeGreaterThan(0);
  });

  it('the proxy keeps byte order under jitter, holds traffic in a blackout, cuts and refuses', async () => {
    // The proxy resets connections on purpose; the echo side sees that as ECONNRESET.
    const echo = createServer((socket) => socket.on('error', () => {}).pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const echoPort = (echo.address() as { port: number }).port;
    const proxy = new FaultProxy(echoPort, new Prng(3));
    await proxy.listen();
    const received: number[] = [];
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const s = connect(proxy.port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      });
    try {
      proxy.setLatency({ baseMs: 5, jitterMs: 30 });
      const client = await open();
      client.on('data', (chunk: Buffer) => received.push(...chunk));
      for (let i = 0; i < 100; i++) {
        client.write(Buffer.from([i]));
        await sleep(1);
      }
      await waitUntil(() => received.length === 100, 5000, 'echo of 100 bytes');
      expect(received).toEqual(Array.from({ length: 100 }, (_, i) => i));

      proxy.setLatency({ baseMs: 0, jitterMs: 0 });
      proxy.setBlackout(true);
      client.write(Buffer.from([200]));
      await sleep(150);
      expect(received.length, 'nothing passes a blackout').toBe(100);
      proxy.setBlackout(false);
      await waitUntil(() => received.length === 101, 2000, 'held byte delivered after the blackout');

      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.on('error', () => {});
      expect(proxy.cutAll()).toBe(1);
      await closed;

      proxy.setRefusing(true);
      const refused = await open().then(
        (s) => new Promise<boolean>((resolve) => s.once('close', () => resolve(true)).on('error', () => {})),
        () => true,
      );
      expect(refused).toBe(true);
    } finally {
      await proxy.close();
      echo.close();
    }
  });

  it('a seed replays the same schedule', () => {
    const draw = (seed: number) => {
      const prng = new Prng(seed);
      return Array.from({ length: 20 }, () => [prng.int(0, 1000), prng.weighted({ a: 1, b: 2 }), prng.id(8)]);
    };
    expect(draw(1234)).toEqual(draw(1234));
    expect(draw(1234)).not.toEqual(draw(1235));
  });
});
