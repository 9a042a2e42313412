// A seeded generator of random and hostile frames: garbage, truncated varints, unknown message types,
// updates that do not decode, broken awareness, repeated Hello, trailing bytes — mixed with odd but
// legal frames. The same seed always produces the same frames, so a failure can be replayed.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MessageType } from '@redstring/model';
import { encodeHello } from '../../src/index';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type HostileFrame = { kind: string; data: Uint8Array | string };

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

export function hostileFrames(seed: number, fatalShare = 0.35): () => HostileFrame {
  const random = mulberry32(seed);
  const int = (max: number) => Math.floor(random() * max);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  // Real updates to truncate and mutate, from a doc shaped like a board.
  const source = new Y.Doc();
  source.clientID = 7_000_001; // fixed, so the same seed gives the same bytes
  const updates: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => updates.push(u));
  const cards = source.getMap('cards');
  for (let i = 0; i < 20; i++) {
    const card = new Y.Map<unknown>();
    cards.set(`card-${i}`, card);
    card.set('title', new Y.Text(`hostile title ${i}`));
    card.set('x', i * 10);
  }
  const pickUpdate = () => updates[int(updates.length)] as Uint8Array;
  const syncUpdate = (payload: Uint8Array) =>
    frame((e) => {
      encoding.writeVarUint(e, MessageType.Sync);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, payload);
    });

  const fatal: [string, () => Uint8Array | string][] = [
    ['random bytes', () => bytes(int(200))],
    ['empty frame', () => new Uint8Array(0)],
    ['truncated varint', () => Uint8Array.from({ length: 1 + int(12) }, () => 0x80 | int(128))],
    ['unknown message type', () => frame((e) => {
      encoding.writeVarUint(e, random() < 0.5 ? 4 + int(96) : 104 + int(1_000_000));
      encoding.writeUint8Array(e, bytes(int(20)));
    })],
    ['unknown sync type', () => frame((e) => {
      encoding.writeVarUint(e, MessageType.Sync);
      encoding.writeVarUint(e, 3 + int(250));
      encoding.writeUint8Array(e, bytes(int(20)));
    })],
    ['update of random bytes', () => syncUpdate(bytes(1 + int(100)))],
    ['truncated update', () => {
      const u = pickUpdate();
      return syncUpdate(u.subarray(0, int(u.length)));
    }],
    ['mutated update', () => {
      const u = new Uint8Array(pickUpdate());
      for (let k = 0; k < 1 + int(3); k++) u[int(u.length)] = int(256);
      return syncUpdate(u);
    }],
    ['length prefix beyond the frame', () => frame((e) => {
      encoding.writeVarUint(e, MessageType.Sync);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint(e, 2 ** 31 + int(1000));
      encoding.writeUint8Array(e, bytes(10));
    })],
    ['awareness that is not JSON', () => frame((e) => {
      encoding.writeVarUint(e, MessageType.Awareness);
      encoding.writeVarUint8Array(e, frame((inner) => {
        encoding.writeVarUint(inner, 1);
        encoding.writeVarUint(inner, 1 + int(1000));
        encoding.writeVarUint(inner, 1);
        encoding.writeVarString(inner, '{"user": ');
      }));
    })],
    ['awareness of random bytes', () => frame((e) => {
      encoding.writeVarUint(e, MessageType.Awareness);
      encoding.writeVarUint8Array(e, bytes(int(40)));
    })],
    ['second Hello', () => encodeHello({ boardToken: 'x'.repeat(43), sessionToken: 'v1.a.b' })],
    ['valid frame with trailing bytes', () => {
      const u = new Uint8Array([MessageType.QueryAwareness, ...bytes(1 + int(5))]);
      return u;
    }],
    ['sync step 1 with a garbage state vector', () => frame((e) => {
      encoding.writeVarUint(e, MessageType.Sync);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, bytes(int(30)));
    })],
    ['text frame', () => 'not a binary frame ' + int(1000)],
  ];
  // Odd but legal, some of them abusive: the server must apply, answer or ignore these without closing.
  const stray = new Y.Doc();
  stray.clientID = 7_000_002;
  const legal: [string, () => Uint8Array | string][] = [
    ['query awareness', () => new Uint8Array([MessageType.QueryAwareness])],
    ['replayed update', () => syncUpdate(pickUpdate())],
    ['valid update to a stray root type', () => {
      let update: Uint8Array = new Uint8Array(0);
      stray.once('update', (u: Uint8Array) => (update = u));
      stray.getMap('stray').set(`k${int(50)}`, random() < 0.5 ? int(1e9) : 'x'.repeat(int(500)));
      return syncUpdate(update);
    }],
    ['sync step 1 asking for everything', () => frame((e) => {
      encoding.writeVarUint(e, MessageType.Sync);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, new Uint8Array([0]));
    })],
    ['empty update', () => syncUpdate(new Uint8Array([0, 0]))],
    ['strange but valid awareness', () => frame((e) => {
      encoding.writeVarUint(e, MessageType.Awareness);
      encoding.writeVarUint8Array(e, frame((inner) => {
        encoding.writeVarUint(inner, 1);
        encoding.writeVarUint(inner, 1_000_000 + int(1000));
        encoding.writeVarUint(inner, 1 + int(100));
        encoding.writeVarString(inner, JSON.stringify({ user: { name: '\u0000'.repeat(int(10)), color: [] }, cursor: null }));
      }));
    })],
  ];
  return () => {
    // Fatal frames cost a reconnect each; 35% of them keeps 10,000 frames affordable in CI.
    const pool = random() < fatalShare ? fatal : legal;
    const [kind, make] = pool[int(pool.length)] as [string, () => Uint8Array | string];
    return { kind, data: make() };
  };
}
