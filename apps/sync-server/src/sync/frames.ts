// Encoding of the frames the server sends, and decoding of the Redstring extension frames it receives.
// Stock y-websocket frames (sync, awareness) are built with y-protocols' encoders directly.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { MessageType, type AuthRequest, type CloseCodeValue, type HelloReply } from '@redstring/model';

/** Raised while handling a client's frame; the connection is closed with `code`. */
export class ProtocolViolation extends Error {
  constructor(
    readonly code: CloseCodeValue,
    message: string,
  ) {
    super(message);
  }
}

export function encodeWelcome(reply: HelloReply): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Welcome);
  encoding.writeVarString(encoder, JSON.stringify(reply));
  return encoding.toUint8Array(encoder);
}

export function encodeSaved(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Saved);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** Payload of the Error frame: the close code that follows, and a human-readable reason. */
export interface ErrorFrame {
  code: CloseCodeValue;
  message: string;
}

export function encodeError(error: ErrorFrame): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Error);
  encoding.writeVarString(encoder, JSON.stringify(error));
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Sync step 2 from an already computed diff (Y.encodeStateAsUpdate against the client's state vector). */
export function encodeSyncStep2(diff: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, diff);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The Hello frame a client sends first (exported for clients written in TypeScript: tests, benchmarks). */
export function encodeHello(auth: AuthRequest): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Hello);
  encoding.writeVarString(encoder, JSON.stringify(auth));
  return encoding.toUint8Array(encoder);
}

const MAX_CREDENTIAL_LENGTH = 4096;

/** Reads a Hello frame; throws ProtocolViolation(Unauthorized) for anything else. */
export function decodeHello(frame: Uint8Array, unauthorized: CloseCodeValue): AuthRequest {
  let json: string;
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Hello) throw new Error('not a Hello frame');
    json = decoding.readVarString(decoder);
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
  } catch {
    throw new ProtocolViolation(unauthorized, 'the first frame must be Hello with credentials');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ProtocolViolation(unauthorized, 'Hello must carry JSON {boardToken, sessionToken}');
  }
  const { boardToken, sessionToken } = (parsed ?? {}) as Record<string, unknown>;
  if (
    typeof boardToken !== 'string' ||
    typeof sessionToken !== 'string' ||
    boardToken.length > MAX_CREDENTIAL_LENGTH ||
    sessionToken.length > MAX_CREDENTIAL_LENGTH
  ) {
    throw new ProtocolViolation(unauthorized, 'Hello must carry string boardToken and sessionToken');
  }
  return { boardToken, sessionToken };
}
