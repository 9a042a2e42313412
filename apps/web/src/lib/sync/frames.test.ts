import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '@redstring/model';
import { carriesDocumentUpdate, encodeHello, readServerError, readWelcome } from './frames';
import { describeClose } from './board-connection';

function syncFrame(write: (e: encoding.Encoder, doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x');
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  write(e, doc);
  return encoding.toUint8Array(e);
}

describe('board socket frames', () => {
  it('encodes Hello as type 100 with the JSON auth request', () => {
    const d = decoding.createDecoder(encodeHello({ boardToken: 'b', sessionToken: 's' }));
    expect(decoding.readVarUint(d)).toBe(MessageType.Hello);
    expect(JSON.parse(decoding.readVarString(d))).toEqual({ boardToken: 'b', sessionToken: 's' });
  });

  it('counts sync step 2 and updates, not step 1 or awareness', () => {
    expect(carriesDocumentUpdate(syncFrame((e, doc) => syncProtocol.writeSyncStep1(e, doc)))).toBe(false);
    expect(carriesDocumentUpdate(syncFrame((e, doc) => syncProtocol.writeSyncStep2(e, doc)))).toBe(true);
    expect(carriesDocumentUpdate(syncFrame((e, doc) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc))))).toBe(true);
    expect(carriesDocumentUpdate(new Uint8Array([MessageType.Awareness, 0]))).toBe(false);
    expect(carriesDocumentUpdate(new Uint8Array([]))).toBe(false);
  });

  it('reads Welcome and Error frames, and ignores malformed ones', () => {
    const write = (type: number, s: string) => {
      const e = encoding.createEncoder();
      encoding.writeVarString(e, s);
      return decoding.createDecoder(encoding.toUint8Array(e));
    };
    expect(readWelcome(write(MessageType.Welcome, JSON.stringify({ boardId: 'b', access: 'viewer', user: {}, serverTime: 1 })))?.access).toBe('viewer');
    expect(readWelcome(write(MessageType.Welcome, '{"access":"admin"}'))).toBeUndefined();
    expect(readServerError(write(MessageType.Error, JSON.stringify({ code: 'forbidden', message: 'no' })))?.message).toBe('no');
    expect(readServerError(write(MessageType.Error, 'not json'))).toBeUndefined();
  });

  it('explains close codes to the user and says which are final', () => {
    expect(describeClose(4403)).toMatchObject({ fatal: true, message: expect.stringContaining('This link is not valid for this board') });
    expect(describeClose(4404)?.fatal).toBe(true);
    expect(describeClose(4503)?.fatal).toBe(false);
    expect(describeClose(1006)).toBeUndefined();
  });
});
