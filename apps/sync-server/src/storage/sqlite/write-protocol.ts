// Messages between the main thread and the SQLite writer thread. Writes only: the main thread reads
// through its own read-only connection. Payloads are plain data (structured clone); document bytes
// travel packed in one ArrayBuffer that is transferred, not copied.
import type { BoardSummaryUpdate, NewBoard } from '../storage';

/** A callout or role assignment as its table row; the record is already serialised by the main thread. */
export interface CalloutRow {
  id: string;
  boardId: string;
  state: string;
  toUserId: string | null;
  toRole: string | null;
  ackDeadline: number;
  createdAt: number;
  record: string;
  /** The sender, and the client's idempotency key (null when the request carried none). */
  fromUserId: string;
  requestId: string | null;
}

export interface RoleRow {
  id: string;
  boardId: string;
  role: string;
  userId: string;
  takenAt: number;
  handedOverAt: number | null;
  record: string;
}

/** Several byte strings in one buffer: `lengths[i]` bytes each, back to back. */
export interface PackedBytes {
  buffer: ArrayBuffer;
  lengths: number[];
}

export type WriteOp =
  | { kind: 'createBoard'; board: Omit<NewBoard, 'initialState'>; initialState: PackedBytes }
  | {
      kind: 'appendUpdates';
      /** `updates` holds the log updates of `boardIds`, then the pending remainders of `pendingBoardIds`. */
      boardIds: string[];
      pendingBoardIds: string[];
      /** Boards whose pending remainder is gone (integrated): their row is deleted. */
      clearedPendingBoardIds: string[];
      updates: PackedBytes;
      now: number;
    }
  | { kind: 'compactBoard'; boardId: string; snapshot: PackedBytes; uptoSeq: number; now: number }
  | { kind: 'updateBoardSummary'; boardId: string; summary: BoardSummaryUpdate }
  | { kind: 'touchMember'; member: { userId: string; userName: string; boardId: string; access: string }; now: number }
  | { kind: 'insertCallout'; row: CalloutRow }
  | { kind: 'replaceCallout'; row: CalloutRow; expectedState: string }
  | { kind: 'saveRoleAssignments'; rows: RoleRow[] };

/** What each operation resolves with. */
export interface WriteResults {
  createBoard: null;
  appendUpdates: number[];
  compactBoard: number;
  updateBoardSummary: null;
  touchMember: null;
  insertCallout: { inserted: true } | { inserted: false; existingId: string };
  replaceCallout: boolean;
  saveRoleAssignments: null;
}

export type WriteResult = WriteResults[WriteOp['kind']];

export interface WriteRequest {
  id: number;
  op: WriteOp;
}

export interface WireError {
  message: string;
  /** SQLite's error code (SQLITE_CONSTRAINT_PRIMARYKEY, …) when there is one. */
  code?: string;
}

export type WriterMessage =
  | { type: 'ready' }
  | { type: 'open-failed'; error: WireError }
  | { type: 'done'; id: number; result: WriteResult }
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'memory-released' };

/**
 * Main thread → writer: a request; the instruction to give back memory it holds but does not need (its
 * SQLite page cache, its heap's garbage), answered with `memory-released`; or to close the database and exit.
 */
export type WriterCommand = { type: 'write'; request: WriteRequest } | { type: 'release-memory' } | { type: 'close' };

export interface WriterData {
  path: string;
}

/** Copies byte strings into one fresh buffer, which the caller then transfers. */
export function packBytes(parts: readonly Uint8Array[]): PackedBytes {
  const lengths = parts.map((p) => p.byteLength);
  const out = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return { buffer: out.buffer, lengths };
}

/**
 * Packs one byte string without copying when it is the whole of a buffer the caller owns and no longer
 * needs (a freshly encoded snapshot); otherwise copies. The caller must not read `bytes` afterwards.
 */
export function packOwnedBytes(bytes: Uint8Array): PackedBytes {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return { buffer: bytes.buffer, lengths: [bytes.byteLength] };
  }
  return packBytes([bytes]);
}

/** Views into a packed buffer, in order (no copies). */
export function unpackBytes(packed: PackedBytes): Uint8Array[] {
  const views: Uint8Array[] = [];
  let offset = 0;
  for (const length of packed.lengths) {
    views.push(new Uint8Array(packed.buffer, offset, length));
    offset += length;
  }
  return views;
}
