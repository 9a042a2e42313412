// Encoding and decoding of the board-socket frames the suite sends and inspects.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { MessageType, type AuthRequest } from '@redstring/model';

export function helloFrame(auth: AuthRequest): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Hello);
  encoding.writeVarString(encoder, JSON.stringify(auth));
  return encoding.toUint8Array(encoder);
}

export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** What a client learns from one frame, without applying anything. */
export type InboundFrame =
  | { kind: 'sync-step1' }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'sync-update'; update: Uint8Array }
  | { kind: 'awareness' }
  | { kind: 'welcome'; reply: unknown }
  | { kind: 'saved'; seq: number }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'other'; type: number }
  | { kind: 'undecodable'; bytes: number };

export function readInbound(data: Uint8Array): InboundFrame {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) return { kind: 'sync-step1' };
        const update = decoding.readVarUint8Array(decoder);
        return step === syncProtocol.messageYjsSyncStep2 ? { kind: 'sync-step2', update } : { kind: 'sync-update', update };
      }
      case MessageType.Awareness:
        return { kind: 'awareness' };
      case MessageType.Welcome:
        return { kind: 'welcome', reply: JSON.parse(decoding.readVarString(decoder)) as unknown };
      case MessageType.Saved:
        return { kind: 'saved', seq: decoding.readVarUint(decoder) };
      case MessageType.Error: {
        const body = JSON.parse(decoding.readVarString(decoder)) as { code?: unknown; message?: unknown };
        return { kind: 'error', code: String(body.code), message: String(body.message) };
      }
      default:
        return { kind: 'other', type };
    }
  } catch {
    return { kind: 'undecodable', bytes: data.length };
  }
}

/** Frames that carry board content: receiving any of these means board data was sent. */
export function carriesBoardData(frame: InboundFrame): boolean {
  return frame.kind === 'sync-step1' || frame.kind === 'sync-step2' || frame.kind === 'sync-update' || frame.kind === 'awareness';
}

/**
 * The server counts every Sync step-2 and update frame a client sends (1, 2, 3, … per connection);
 * returns the update such a frame carries, or null for frames that are not counted.
 */
export function countedUpdate(data: Uint8Array): Uint8Array | null {
  try {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return null;
    const step = decoding.readVarUint(decoder);
    if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) return null;
    return decoding.readVarUint8Array(decoder);
  } catch {
    return null;
  }
}

export function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]));
  if (typeof data === 'string') return new TextEncoder().encode(data);
  throw new Error(`unexpected frame payload ${typeof data}`);
}
