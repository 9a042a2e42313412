// y-websocket frames (and Redstring's Hello extension) as bytes, so load clients can pre-encode them.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MessageType } from './protocol';

const SyncStep1 = 0;
const SyncStep2 = 1;
const SyncUpdate = 2;

export const SyncSubType = { Step1: SyncStep1, Step2: SyncStep2, Update: SyncUpdate } as const;

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function helloMessage(boardToken: string, sessionToken: string): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MessageType.Hello);
    encoding.writeVarString(e, JSON.stringify({ boardToken, sessionToken }));
  });
}

/** Sync step 1 from a client that has nothing yet: the server answers with the whole board. */
export function emptySyncStep1(): Uint8Array {
  return syncStep1(Y.encodeStateVector(new Y.Doc()));
}

export function syncStep1(stateVector: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncStep1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

/** Sync step 2 carrying an update (the answer to the server's step 1). */
export function syncStep2(update: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncStep2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** Step 2 of a client that has nothing to add. */
export function emptySyncStep2(): Uint8Array {
  return syncStep2(Y.encodeStateAsUpdate(new Y.Doc()));
}

export function updateMessage(update: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncUpdate);
    encoding.writeVarUint8Array(e, update);
  });
}

export function awarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, awarenessUpdate);
  });
}
