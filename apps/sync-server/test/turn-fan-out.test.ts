// What a board relays during one event-loop turn leaves once, at its end: edits merged into one update,
// cursor changes as one awareness message, in front of the release of corked sockets.
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '@redstring/model';
import { EndOfTurn } from '../src/end-of-turn';
import { TurnFanOut } from '../src/sync/turn-fan-out';
import { userWithBoard, createSession } from './helpers/api';
import { RawSocket, syncUpdateFrame } from './helpers/raw-socket';
import { startTestServer } from './helpers/test-server';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function editsOf(name: string, count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) doc.getMap('cards').set(`${name}-${i}`, i);
  return updates;
}

describe('EndOfTurn', () => {
  it('runs every collect task, also ones queued meanwhile, before any release, and all of them despite a failure', async () => {
    const endOfTurn = new EndOfTurn();
    const order: string[] = [];
    endOfTurn.release(() => order.push('release socket'));
    endOfTurn.collect(() => {
      order.push('fan out board 1');
      endOfTurn.collect(() => order.push('fan out board 2'));
      endOfTurn.release(() => order.push('release second socket'));
    });
    endOfTurn.collect(() => {
      throw new Error('a broken fan-out');
    });
    const uncaught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    await nextTurn();
    expect(order).toEqual(['fan out board 1', 'fan out board 2', 'release socket', 'release second socket']);
    expect(((await uncaught) as Error).message).toBe('a broken fan-out');
  });
});

describe('TurnFanOut', () => {
  function recorder() {
    const updates: Array<{ update: Uint8Array; except: string | null }> = [];
    const awareness: Array<{ ids: number[]; except: string | null }> = [];
    const fanOut = new TurnFanOut<string>(
      {
        relayUpdate: (update, except) => updates.push({ update, except }),
        relayAwareness: (ids, except) => awareness.push({ ids, except }),
      },
      new EndOfTurn(),
    );
    return { fanOut, updates, awareness };
  }

  it('relays a turn with one edit as it came, to everyone but its sender', async () => {
    const { fanOut, updates } = recorder();
    const [edit] = editsOf('ana', 1);
    fanOut.update(edit!, 'ana');
    expect(updates).toEqual([]);
    await nextTurn();
    expect(updates).toEqual([{ update: edit, except: 'ana' }]);
  });

  it('merges the edits of several senders read in one turn into one update for everyone', async () => {
    const { fanOut, updates } = recorder();
    for (const edit of editsOf('ana', 3)) fanOut.update(edit, 'ana');
    for (const edit of editsOf('bo', 2)) fanOut.update(edit, 'bo');
    await nextTurn();
    expect(updates).toHaveLength(1);
    expect(updates[0]!.except).toBeNull();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, updates[0]!.update);
    expect(Object.keys(doc.getMap('cards').toJSON()).sort()).toEqual(['ana-0', 'ana-1', 'ana-2', 'bo-0', 'bo-1']);
    // The next turn starts afresh.
    fanOut.update(editsOf('chen', 1)[0]!, 'chen');
    await nextTurn();
    expect(updates.map((u) => u.except)).toEqual([null, 'chen']);
  });

  it('sends one awareness message per turn; a change the server made (null) goes to everyone', async () => {
    const { fanOut, awareness } = recorder();
    fanOut.awareness([7], 'ana');
    fanOut.awareness([7, 8], 'ana');
    await nextTurn();
    fanOut.awareness([8], null);
    fanOut.awareness([9], 'bo');
    await nextTurn();
    expect(awareness).toEqual([
      { ids: [7, 8], except: 'ana' },
      { ids: [8, 9], except: null },
    ]);
  });
});

describe('relaying a burst', () => {
  it('gives the others one frame for edits that arrive together, and every edit is in it', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url, 'Ana');
    const bo = await createSession(server.url, 'Bo');
    const join = async (sessionToken: string) => {
      const socket = new RawSocket(server.wsUrl, board.boardId);
      await socket.opened;
      socket.hello(board.editorToken, sessionToken);
      await socket.waitForType(MessageType.Sync);
      return socket;
    };
    const sender = await join(session.sessionToken);
    const observer = await join(bo.sessionToken);
    const before = observer.frames.length;

    // Five edits in one TCP write: the server reads them in one turn.
    const tcp = (sender.ws as unknown as { _socket: Duplex })._socket;
    tcp.cork();
    for (const edit of editsOf('burst', 5)) sender.send(syncUpdateFrame(edit));
    tcp.uncork();
    await sender.until(() => (sender.savedSeq() >= 5 ? true : undefined), 5000, 'all five saved');
    await new Promise((r) => setTimeout(r, 100));

    const relayed = observer.frames.slice(before).filter((f) => f.type === MessageType.Sync);
    expect(relayed).toHaveLength(1);
    const doc = new Y.Doc();
    const decoder = decoding.createDecoder(relayed[0]!.bytes);
    decoding.readVarUint(decoder);
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, null);
    expect(Object.keys(doc.getMap('cards').toJSON()).sort()).toEqual(['burst-0', 'burst-1', 'burst-2', 'burst-3', 'burst-4']);
  });
});
