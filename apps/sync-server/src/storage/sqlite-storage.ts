// SQLite storage (better-sqlite3) in two parts. Writes go to a worker thread that owns the only writing
// connection (WAL, synchronous=FULL): it commits whatever requests arrived together in one transaction and
// answers only after the commit returned, so "resolved" means "on disk" and the fsync never blocks the
// event loop. Reads run on the main thread's read-only connection (see sqlite/reader.ts).
import { toStored, type Access, type Callout, type RoleAssignment } from '@redstring/model';
import { SqliteReader } from './sqlite/reader';
import { openReader } from './sqlite/schema';
import { WriterThread, type WriterThreadEvents } from './sqlite/writer-client';
import { packBytes, packOwnedBytes, type CalloutRow } from './sqlite/write-protocol';
import type {
  BoardListing,
  BoardRecord,
  BoardSummaryUpdate,
  CalloutInsertResult,
  CorruptRecordReporter,
  MemberRecord,
  NewBoard,
  PendingToStore,
  Storage,
  StoredBoardState,
  UpdateToStore,
} from './storage';

export interface SqliteStorageOptions extends WriterThreadEvents {
  /** Told about stored records that cannot be read (they are skipped). */
  reportCorrupt?: CorruptRecordReporter;
}

function calloutRow(c: Callout, requestId: string | null = null): CalloutRow {
  return {
    id: c.id,
    boardId: c.boardId,
    state: c.state,
    toUserId: c.to.kind === 'user' ? c.to.userId : null,
    toRole: c.to.kind === 'role' ? c.to.role : null,
    ackDeadline: c.ackDeadline,
    createdAt: c.createdAt,
    record: JSON.stringify(toStored(c)),
    fromUserId: c.from.userId,
    requestId,
  };
}

export class SqliteStorage implements Storage {
  private constructor(
    readonly path: string,
    /** The writer thread (tests reach its worker to make it die). */
    readonly writer: WriterThread,
    private readonly reader: SqliteReader,
  ) {}

  /** Starts the writer thread (which creates or checks the schema), then opens the reader. */
  static async open(path: string, options: SqliteStorageOptions = {}): Promise<SqliteStorage> {
    const { reportCorrupt = () => {}, ...events } = options;
    const writer = await WriterThread.start(path, events);
    try {
      return new SqliteStorage(path, writer, new SqliteReader(openReader(path), reportCorrupt));
    } catch (error) {
      await writer.close();
      throw error;
    }
  }

  async createBoard(board: NewBoard): Promise<void> {
    const { initialState, ...rest } = board;
    // Copied: the caller keeps its bytes.
    const packed = packBytes([initialState]);
    await this.writer.request({ kind: 'createBoard', board: rest, initialState: packed }, [packed.buffer]);
  }

  async getBoard(boardId: string): Promise<BoardRecord | null> {
    return this.reader.getBoard(boardId);
  }

  async findBoardByTokenHash(tokenHash: string): Promise<{ boardId: string; access: Access } | null> {
    return this.reader.findBoardByTokenHash(tokenHash);
  }

  async loadBoardState(boardId: string): Promise<StoredBoardState | null> {
    return this.reader.loadBoardState(boardId);
  }

  async appendUpdates(updates: readonly UpdateToStore[], now: number, pending: readonly PendingToStore[] = []): Promise<number[]> {
    if (updates.length === 0 && pending.length === 0) return [];
    const remainders = pending.filter((p): p is { boardId: string; update: Uint8Array } => p.update !== null);
    // One copy into one buffer, which moves to the thread: the callers keep their updates until they are
    // confirmed (a board rebuild replays them), and a view into a larger buffer must not be cloned whole.
    const packed = packBytes([...updates.map((u) => u.update), ...remainders.map((p) => p.update)]);
    return this.writer.request(
      {
        kind: 'appendUpdates',
        boardIds: updates.map((u) => u.boardId),
        pendingBoardIds: remainders.map((p) => p.boardId),
        clearedPendingBoardIds: pending.filter((p) => p.update === null).map((p) => p.boardId),
        updates: packed,
        now,
      },
      [packed.buffer],
    );
  }

  /** `snapshot` moves to the writer thread without a copy when it owns its whole buffer: do not reuse it. */
  async compactBoard(boardId: string, snapshot: Uint8Array, uptoSeq: number, now: number): Promise<number> {
    const packed = packOwnedBytes(snapshot);
    return this.writer.request({ kind: 'compactBoard', boardId, snapshot: packed, uptoSeq, now }, [packed.buffer]);
  }

  async updateBoardSummary(boardId: string, summary: BoardSummaryUpdate): Promise<void> {
    await this.writer.request({ kind: 'updateBoardSummary', boardId, summary });
  }

  async touchMember(member: { userId: string; userName: string; boardId: string; access: Access }, now: number): Promise<void> {
    await this.writer.request({ kind: 'touchMember', member, now });
  }

  async getMember(userId: string, boardId: string): Promise<MemberRecord | null> {
    return this.reader.getMember(userId, boardId);
  }

  async listBoardsForUser(userId: string, options: { query?: string; limit: number }): Promise<BoardListing[]> {
    return this.reader.listBoardsForUser(userId, options);
  }

  async insertCallout(callout: Callout, requestId?: string): Promise<CalloutInsertResult> {
    return this.writer.request({ kind: 'insertCallout', row: calloutRow(callout, requestId ?? null) });
  }

  async findCalloutByRequest(senderId: string, requestId: string): Promise<Callout | null> {
    return this.reader.findCalloutByRequest(senderId, requestId);
  }

  async getCallout(calloutId: string): Promise<Callout | null> {
    return this.reader.getCallout(calloutId);
  }

  async replaceCallout(next: Callout, expectedState: Callout['state']): Promise<boolean> {
    return this.writer.request({ kind: 'replaceCallout', row: calloutRow(next), expectedState });
  }

  async listCallouts(boardId: string): Promise<Callout[]> {
    return this.reader.listCallouts(boardId);
  }

  async listPendingCalloutsForUser(userId: string): Promise<Callout[]> {
    return this.reader.listPendingCalloutsForUser(userId);
  }

  async listOverdueCallouts(now: number): Promise<Callout[]> {
    return this.reader.listOverdueCallouts(now);
  }

  async nextCalloutDeadline(): Promise<number | null> {
    return this.reader.nextCalloutDeadline();
  }

  async countPendingCallouts(): Promise<number> {
    return this.reader.countPendingCallouts();
  }

  async saveRoleAssignments(records: readonly RoleAssignment[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => ({
      id: r.id,
      boardId: r.boardId,
      role: r.role,
      userId: r.userId,
      takenAt: r.takenAt,
      handedOverAt: r.handedOverAt ?? null,
      record: JSON.stringify(toStored(r)),
    }));
    await this.writer.request({ kind: 'saveRoleAssignments', rows });
  }

  async listRoleAssignments(boardId: string): Promise<RoleAssignment[]> {
    return this.reader.listRoleAssignments(boardId);
  }

  /** The reader's page cache, then the writer thread's page cache and garbage. */
  async releaseMemory(): Promise<void> {
    this.reader.releaseMemory();
    await this.writer.releaseMemory();
  }

  /** Waits for the writes in flight, closes the writer thread's database, then the reader. */
  async close(): Promise<void> {
    await this.writer.close();
    this.reader.close();
  }
}
