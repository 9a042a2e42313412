// Generators of hostile board-socket input. Each connection script says what the server must do
// about it (the close code), so the row can check every connection, not just that the server lived.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CloseCode, MessageType } from '@redstring/model';
import type { Prng } from './prng';

export type HostileKind =
  | 'random-bytes'
  | 'empty-frame'
  | 'truncated-varint'
  | 'huge-varint'
  | 'huge-length-prefix'
  | 'unknown-type'
  | 'sync-garbage-update'
  | 'sync-garbage-step2'
  | 'sync-unknown-step'
  | 'awareness-garbage'
  | 'text-frame'
  | 'oversized'
  | 'flood'
  | 'pre-auth-garbage'
  | 'hello-garbage';

/** One hostile connection: whether it says a valid Hello first, its frames, and the close expected. */
export interface HostileScript {
  kind: HostileKind;
  authenticate: boolean;
  frames: (Uint8Array | string)[];
  expectedCodes: readonly number[];
}

const varUint = (n: number) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, n);
  return encoding.toUint8Array(e);
};

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const withLength = (body: Uint8Array) => concat(varUint(body.length), body);

/** Random bytes that Yjs is sure to reject as an update (checked, since a few random strings do decode). */
function undecodableUpdate(prng: Prng): Uint8Array {
  for (;;) {
    const bytes = prng.bytes(prng.int(1, 300));
    try {
      Y.applyUpdate(new Y.Doc(), bytes);
    } catch {
      return bytes;
    }
  }
}

export interface HostileLimits {
  maxPayloadBytes: number;
  messageBurst: number;
}

/** The hostile frame a script of this kind opens with (more of the same kind follow it). */
function hostileFrame(kind: Exclude<HostileKind, 'flood' | 'oversized'>, prng: Prng): Uint8Array | string {
  switch (kind) {
    case 'random-bytes': {
      // Random bytes whose first varint is not a known message type, so they can only be garbage.
      for (;;) {
        const bytes = prng.bytes(prng.int(1, 512));
        if (![0, 1, 2, 3].includes(bytes[0]!)) return bytes;
      }
    }
    case 'empty-frame':
      return new Uint8Array(0);
    case 'truncated-varint':
      // A varint whose continuation bit promises more bytes than the frame has.
      return prng.pick([
        new Uint8Array([0x80]),
        new Uint8Array([0xff, 0xff]),
        new Uint8Array([MessageType.Sync, 0x81]),
        new Uint8Array([MessageType.Sync, 2, 0xff]),
        new Uint8Array([MessageType.Awareness, 0x80, 0x80]),
      ]);
    case 'huge-varint':
      // Message types beyond 2^53 (ten and more continuation bytes).
      return concat(new Uint8Array(prng.int(10, 40)).fill(0xff), new Uint8Array([0x7f]), prng.bytes(8));
    case 'huge-length-prefix':
      // A valid header whose length prefix claims gigabytes the frame does not hold.
      return concat(varUint(MessageType.Sync), varUint(2), varUint(2 ** 31 + prng.int(0, 1e6)), prng.bytes(16));
    case 'unknown-type': {
      const type = prng.chance(0.5) ? prng.int(4, 99) : prng.int(104, 1_000_000);
      return concat(varUint(type), prng.bytes(prng.int(0, 64)));
    }
    case 'sync-garbage-update':
      return concat(varUint(MessageType.Sync), varUint(2), withLength(undecodableUpdate(prng)));
    case 'sync-garbage-step2':
      return concat(varUint(MessageType.Sync), varUint(1), withLength(undecodableUpdate(prng)));
    case 'sync-unknown-step':
      return concat(varUint(MessageType.Sync), varUint(prng.int(3, 1000)), withLength(prng.bytes(prng.int(0, 64))));
    case 'awareness-garbage': {
      // A well-formed awareness envelope whose state is not JSON.
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, prng.int(1, 1e9));
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, `{"user":${prng.id(prng.int(1, 40))}`);
      return concat(varUint(MessageType.Awareness), withLength(encoding.toUint8Array(e)));
    }
    case 'text-frame':
      return prng.pick(['hello', '{"type":"sync"}', '\u0000\u0001', 'x'.repeat(prng.int(1, 2000)), '💥'.repeat(10)]);
    case 'pre-auth-garbage':
      return prng.chance(0.5) ? prng.bytes(prng.int(1, 256)) : concat(varUint(MessageType.Sync), varUint(0), withLength(new Uint8Array([0])));
    case 'hello-garbage': {
      const body = prng.pick([
        'not json',
        '{}',
        '[]',
        'null',
        JSON.stringify({ boardToken: 42, sessionToken: [] }),
        JSON.stringify({ boardToken: 'x'.repeat(5000), sessionToken: 'y' }),
        '{"__proto__":{"admin":true},"boardToken":"a","sessionToken":"b"}',
      ]);
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.Hello);
      encoding.writeVarString(e, body);
      return encoding.toUint8Array(e);
    }
  }
}

/** A connection's worth of hostile input of one kind: `count` frames. */
export function hostileScript(kind: HostileKind, prng: Prng, count: number, limits: HostileLimits): HostileScript {
  switch (kind) {
    case 'oversized':
      return {
        kind,
        authenticate: prng.chance(0.7),
        // Beyond the limit by a little or by a lot; the rest of the connection is normal-sized garbage.
        frames: [
          concat(varUint(MessageType.Sync), varUint(2), withLength(prng.bytes(limits.maxPayloadBytes + prng.int(1, limits.maxPayloadBytes)))),
          ...Array.from({ length: count - 1 }, () => prng.bytes(prng.int(1, 64))),
        ],
        expectedCodes: [CloseCode.TooLarge],
      };
    case 'flood': {
      // Valid, harmless frames (awareness queries) far faster than the rate limit allows.
      const frame = varUint(MessageType.QueryAwareness);
      return { kind, authenticate: true, frames: Array.from({ length: Math.max(count, limits.messageBurst * 2) }, () => frame), expectedCodes: [CloseCode.RateLimited] };
    }
    case 'pre-auth-garbage':
    case 'hello-garbage':
      return {
        kind,
        authenticate: false,
        frames: Array.from({ length: count }, () => hostileFrame(kind, prng)),
        expectedCodes: [CloseCode.Unauthorized],
      };
    default:
      return {
        kind,
        authenticate: true,
        frames: Array.from({ length: count }, () => hostileFrame(kind, prng)),
        expectedCodes: [CloseCode.ProtocolError],
      };
  }
}

export const hostileKindWeights: Record<HostileKind, number> = {
  'random-bytes': 14,
  'empty-frame': 4,
  'truncated-varint': 8,
  'huge-varint': 6,
  'huge-length-prefix': 6,
  'unknown-type': 8,
  'sync-garbage-update': 14,
  'sync-garbage-step2': 8,
  'sync-unknown-step': 5,
  'awareness-garbage': 6,
  'text-frame': 6,
  oversized: 2,
  flood: 1,
  'pre-auth-garbage': 6,
  'hello-garbage': 5,
};
