// Storage behind one interface, so the server runs on SQLite (default), in memory (tests, benchmarks),
// and later on PostgreSQL. Every implementation must pass test/storage-contract.ts.
//
// Rules every implementation keeps:
// - Each method is atomic: it happens entirely or not at all (a thrown error means nothing changed).
// - A resolved promise means the change is durable for that backend (for SQLite: committed and fsynced).
// - Returned values are copies; callers may not mutate stored state through them.
import type { Access, Callout, RoleAssignment } from '@redstring/model';

export interface NewBoard {
  id: string;
  title: string;
  createdAt: number;
  createdBy: string;
  editorTokenHash: string;
  viewerTokenHash: string;
  /** The document's first state (board meta); every stored board has one, so none is ever empty. */
  initialState: Uint8Array;
}

export interface BoardRecord {
  id: string;
  title: string;
  status: string;
  createdAt: number;
  createdBy: string;
  lastActivityAt: number;
  cardCount: number;
  participants: string[];
}

/** What is refreshed from the loaded document after stores and on compaction. */
export interface BoardSummaryUpdate {
  title: string;
  status: string;
  cardCount: number;
  participants: string[];
  /** Title and card titles/bodies, for GET /api/boards?q=… */
  searchText: string;
}

export interface StoredBoardState {
  /** The folded state (null only for boards written by something other than createBoard). */
  snapshot: Uint8Array | null;
  /** Highest update sequence number folded into the snapshot. */
  snapshotSeq: number;
  /** Updates after the snapshot, oldest first. */
  updates: Uint8Array[];
  /** Highest sequence number stored for this board (snapshotSeq when the log is empty). */
  lastSeq: number;
  /** What arrived but waits for updates not seen yet (see PendingToStore); applied after the log. */
  pending: Uint8Array | null;
}

export interface UpdateToStore {
  boardId: string;
  update: Uint8Array;
}

/**
 * A board's pending remainder: the parts of received updates that wait for updates the server has not
 * seen yet (Yjs' pending structs and deletions), as one update. One row per board, replaced on every
 * change rather than appended, so a long wait never grows the log; `update: null` removes it.
 */
export interface PendingToStore {
  boardId: string;
  update: Uint8Array | null;
}

/** insertCallout stored the callout, or found one stored earlier under the same request key. */
export type CalloutInsertResult = { inserted: true } | { inserted: false; existingId: string };

export interface MemberRecord {
  userId: string;
  userName: string;
  boardId: string;
  access: Access;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface BoardListing extends BoardRecord {
  access: Access;
  lastSeenAt: number;
}

export interface Storage {
  createBoard(board: NewBoard): Promise<void>;
  getBoard(boardId: string): Promise<BoardRecord | null>;
  /** Which board (and with what access) a token hash opens; null if none. */
  findBoardByTokenHash(tokenHash: string): Promise<{ boardId: string; access: Access } | null>;
  /** null when the board does not exist. */
  loadBoardState(boardId: string): Promise<StoredBoardState | null>;
  /**
   * Appends updates (possibly for several boards) in ONE transaction and bumps each board's last
   * activity; in the same transaction, replaces the pending remainder of each board in `pending`.
   * Returns the sequence number given to each update, in input order.
   */
  appendUpdates(updates: readonly UpdateToStore[], now: number, pending?: readonly PendingToStore[]): Promise<number[]>;
  /**
   * Atomically replaces the board's snapshot with `snapshot` (which must contain every update up to
   * `uptoSeq`) and deletes those updates from the log. Returns how many log rows were removed.
   * The implementation may take over `snapshot`'s buffer (SQLite moves it to its writer thread): callers
   * must not read it afterwards.
   */
  compactBoard(boardId: string, snapshot: Uint8Array, uptoSeq: number, now: number): Promise<number>;
  updateBoardSummary(boardId: string, summary: BoardSummaryUpdate): Promise<void>;

  /** Records that a user opened a board. Access only ever grows (a viewer who later edits is an editor). */
  touchMember(member: { userId: string; userName: string; boardId: string; access: Access }, now: number): Promise<void>;
  getMember(userId: string, boardId: string): Promise<MemberRecord | null>;
  /** Boards this user opened, newest activity first; `query` matches title and card text, case-insensitively. */
  listBoardsForUser(userId: string, options: { query?: string; limit: number }): Promise<BoardListing[]>;

  /**
   * Stores a new callout. With a `requestId` (the client's idempotency key, unique per sender =
   * `callout.from.userId`), a callout the same sender stored earlier under the same id wins: a client
   * retrying after a lost reply. Then nothing is stored and that callout's id is returned.
   */
  insertCallout(callout: Callout, requestId?: string): Promise<CalloutInsertResult>;
  /** The callout this sender stored under this request id, if any. */
  findCalloutByRequest(senderId: string, requestId: string): Promise<Callout | null>;
  getCallout(calloutId: string): Promise<Callout | null>;
  /**
   * Compare-and-set: stores `next` only if the stored callout is still in `expectedState`. Returns false
   * (and changes nothing) otherwise. This is what makes a transition, e.g. an escalation, happen once.
   */
  replaceCallout(next: Callout, expectedState: Callout['state']): Promise<boolean>;
  listCallouts(boardId: string): Promise<Callout[]>;
  /** Open or escalated callouts addressed to this user, or to a role this user currently holds on its board. */
  listPendingCalloutsForUser(userId: string): Promise<Callout[]>;
  /** Open (not yet escalated) callouts whose deadline is at or before `now`, earliest deadline first. */
  listOverdueCallouts(now: number): Promise<Callout[]>;
  /** The earliest deadline among open callouts, or null. */
  nextCalloutDeadline(): Promise<number | null>;
  countPendingCallouts(): Promise<number>;

  /** Inserts or replaces role assignment records by id, in one transaction. */
  saveRoleAssignments(records: readonly RoleAssignment[]): Promise<void>;
  listRoleAssignments(boardId: string): Promise<RoleAssignment[]>;

  /** Gives back memory held for speed only (caches, a writer thread's garbage), e.g. after many boards unloaded. */
  releaseMemory?(): Promise<void>;

  close(): Promise<void>;
}

/** Reported by storage when a stored record cannot be read (failed migration); the record is skipped. */
export type CorruptRecordReporter = (what: { table: string; id: string; reason: string }) => void;
