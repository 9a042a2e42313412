// What a board relays during one event-loop turn: the first change at once, the rest
// once at the turn's end (edits merged into one update, cursor changes as one awareness message), in
// front of the release of corked sockets.
import { PassThrough, type Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '@redstring/model';
import { EndOfTurn } from '../src/end-of-turn';
import { WriteCoalescer } from '../src/http/write-coalescer';
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

describe('WriteCoalescer', () => {
  it('holds a socket written to during a turn until its end, lets writes made inside now() through, and keeps their order', async () => {
    const endOfTurn = new EndOfTurn();
    const coalescer = new WriteCoalescer(endOfTurn);
    const socket = new PassThrough();
    const write = (text: string) => {
      coalescer.hold(socket);
      socket.write(text);
    };
    endOfTurn.now(() => write('at once '));
    expect(socket.writableCorked).toBe(0);
    write('held ');
    expect(socket.writableCorked).toBe(1);
    // Inside now(), a socket already held this turn keeps its later frames behind the earlier ones.
    endOfTurn.now(() => write('after held'));
    expect(socket.writableCorked).toBe(1);
    await nextTurn();
    expect(socket.writableCorked).toBe(0);
    expect(String(socket.read())).toBe('at once held after held');
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

  it('relays the first change of a turn at once, written at once, to everyone but its sender', () => {
    const endOfTurn = new EndOfTurn();
    const sent: Array<{ except: string | null; writtenAtOnce: boolean }> = [];
    const fanOut = new TurnFanOut<string>(
      {
        relayUpdate: (_update, except) => sent.push({ except, writtenAtOnce: endOfTurn.sendingNow }),
        relayAwareness: (_ids, except) => sent.push({ except, writtenAtOnce: endOfTurn.sendingNow }),
      },
      endOfTurn,
    );
    fanOut.update(editsOf('ana', 1)[0]!, 'ana');
    expect(sent).toEqual([{ except: 'ana', writtenAtOnce: true }]);
    expect(endOfTurn.sendingNow).toBe(false);
  });

  it('merges the rest of a turn into one update for everyone; the next turn starts afresh', async () => {
    const { fanOut, updates } = recorder();
    for (const edit of editsOf('ana', 3)) fanOut.update(edit, 'ana');
    for (const edit of editsOf('bo', 2)) fanOut.update(edit, 'bo');
    expect(updates.map((u) => u.except)).toEqual(['ana']);
    await nextTurn();
    expect(updates.map((u) => u.except)).toEqual(['ana', null]);
    // A receiver applies them in order (the merged update builds on ana's first edit).
    const receiver = new Y.Doc();
    const keys = () => Object.keys(receiver.getMap('cards').toJSON()).sort();
    Y.applyUpdate(receiver, updates[0]!.update);
    expect(keys()).toEqual(['ana-0']);
    Y.applyUpdate(receiver, updates[1]!.update);
    expect(keys()).toEqual(['ana-0', 'ana-1', 'ana-2', 'bo-0', 'bo-1']);

    fanOut.update(editsOf('chen', 1)[0]!, 'chen');
    expect(updates.map((u) => u.except)).toEqual(['ana', null, 'chen']);
    await nextTurn();
    expect(updates).toHaveLength(3);
  });

  it('relays cursors the same way: the first change at once, the rest of the turn in one message; a change the server made (null) goes to everyone', async () => {
    const { fanOut, awareness } = recorder();
    fanOut.awareness([7], 'ana');
    fanOut.awareness([7, 8], 'ana');
    await nextTurn();
    fanOut.awareness([8], null);
    fanOut.awareness([9], 'bo');
    await nextTurn();
    expect(awareness).toEqual([
      { ids: [7], except: 'ana' },
      { ids: [7, 8], except: 'ana' },
      { ids: [8], except: null },
      { ids: [9], except: 'bo' },
    ]);
  });

  it('flushes what waits on demand, and the end of the turn then has nothing left to relay', async () => {
    const { fanOut, updates } = recorder();
    for (const edit of editsOf('ana', 3)) fanOut.update(edit, 'ana');
    fanOut.flush();
    expect(updates.map((u) => u.except)).toEqual(['ana', 'ana']);
    await nextTurn();
    expect(updates).toHaveLength(2);
  });
});

describe('relaying a burst', () => {
  it('gives the others two frames for edits that arrive together (the first at once, the rest merged), with every edit', async () => {
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
    expect(relayed).toHaveLength(2);
    const applyFrame = (doc: Y.Doc, bytes: Uint8Array) => {
      const decoder = decoding.createDecoder(bytes);
      decoding.readVarUint(decoder);
      syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, null);
      return doc;
    };
    expect(Object.keys(applyFrame(new Y.Doc(), relayed[0]!.bytes).getMap('cards').toJSON())).toEqual(['burst-0']);
    const doc = new Y.Doc();
    for (const frame of relayed) applyFrame(doc, frame.bytes);
    expect(Object.keys(doc.getMap('cards').toJSON()).sort()).toEqual(['burst-0', 'burst-1', 'burst-2', 'burst-3', 'burst-4']);
  });
});
