// Encoding and decoding of Redstring's extension frames on the board socket (see @redstring/model protocol).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { AuthRequest, HelloReply } from '@redstring/model';
import { MessageType } from '@redstring/model';

// y-protocols sync sub-types.
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

export function encodeHello(auth: AuthRequest): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Hello);
  encoding.writeVarString(encoder, JSON.stringify(auth));
  return encoding.toUint8Array(encoder);
}

/**
 * True when an outgoing frame carries document content (sync step 2 or an update): the frames the server
 * numbers and later confirms with a Saved message.
 */
export function carriesDocumentUpdate(frame: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return false;
    const subType = decoding.readVarUint(decoder);
    return subType === SYNC_STEP_2 || subType === SYNC_UPDATE;
  } catch {
    return false;
  }
}

export function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

export interface ServerError {
  code: string;
  message: string;
}

export function readWelcome(decoder: decoding.Decoder): HelloReply | undefined {
  return parseJson<HelloReply>(decoding.readVarString(decoder), (v) => typeof v.boardId === 'string' && (v.access === 'editor' || v.access === 'viewer'));
}

export function readServerError(decoder: decoding.Decoder): ServerError | undefined {
  return parseJson<ServerError>(decoding.readVarString(decoder), (v) => typeof v.message === 'string');
}

function parseJson<T>(text: string, check: (v: Record<string, unknown>) => boolean): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && check(value as Record<string, unknown>)) return value as T;
  } catch {
    // A malformed extension frame is ignored; the connection itself is still usable.
  }
  return undefined;
}
