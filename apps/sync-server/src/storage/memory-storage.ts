// In-memory storage with the same contract as SQLite: for tests and benchmarks that measure the server
// rather than the disk. Nothing survives the process. Every value crosses the boundary as a copy.
import type { Access, Callout, RoleAssignment } from '@redstring/model';
import { holdsRole } from '@redstring/model';
import type {
  BoardListing,
  BoardRecord,
  BoardSummaryUpdate,
  CalloutInsertResult,
  MemberRecord,
  NewBoard,
  PendingToStore,
  Storage,
  StoredBoardState,
  UpdateToStore,
} from './storage';

interface BoardEntry {
  record: BoardRecord;
  editorTokenHash: string;
  viewerTokenHash: string;
  lastSeq: number;
  searchText: string;
  snapshot: { uptoSeq: number; bytes: Uint8Array } | null;
  log: { seq: number; bytes: Uint8Array }[];
  pending: Uint8Array | null;
}

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryStorage implements Storage {
  private readonly boards = new Map<string, BoardEntry>();
  private readonly members = new Map<string, MemberRecord>();
  private readonly callouts = new Map<string, Callout>();
  /** sender id + request id → callout id */
  private readonly calloutRequests = new Map<string, string>();
  private readonly roles = new Map<string, RoleAssignment>();
  private closed = false;

  private check(): void {
    if (this.closed) throw new Error('storage is closed');
  }

  private board(boardId: string): BoardEntry {
    const entry = this.boards.get(boardId);
    if (!entry) throw new Error(`unknown board ${boardId}`);
    return entry;
  }

  async createBoard(board: NewBoard): Promise<void> {
    this.check();
    if (this.boards.has(board.id)) throw new Error(`board ${board.id} already exists`);
    for (const entry of this.boards.values()) {
      const hashes = [entry.editorTokenHash, entry.viewerTokenHash];
      if (hashes.includes(board.editorTokenHash) || hashes.includes(board.viewerTokenHash)) throw new Error('token hash already in use');
    }
    this.boards.set(board.id, {
      record: {
        id: board.id,
        title: board.title,
        status: 'investigating',
        createdAt: board.createdAt,
        createdBy: board.createdBy,
        lastActivityAt: board.createdAt,
        cardCount: 0,
        participants: [],
      },
      editorTokenHash: board.editorTokenHash,
      viewerTokenHash: board.viewerTokenHash,
      lastSeq: 0,
      searchText: board.title.toLowerCase(),
      snapshot: { uptoSeq: 0, bytes: copy(board.initialState) },
      log: [],
      pending: null,
    });
  }

  async getBoard(boardId: string): Promise<BoardRecord | null> {
    this.check();
    const entry = this.boards.get(boardId);
    return entry ? copy(entry.record) : null;
  }

  async findBoardByTokenHash(tokenHash: string): Promise<{ boardId: string; access: Access } | null> {
    this.check();
    for (const [boardId, entry] of this.boards) {
      if (entry.editorTokenHash === tokenHash) return { boardId, access: 'editor' };
      if (entry.viewerTokenHash === tokenHash) return { boardId, access: 'viewer' };
    }
    return null;
  }

  async loadBoardState(boardId: string): Promise<StoredBoardState | null> {
    this.check();
    const entry = this.boards.get(boardId);
    if (!entry) return null;
    const snapshotSeq = entry.snapshot?.uptoSeq ?? 0;
    return {
      snapshot: entry.snapshot ? copy(entry.snapshot.bytes) : null,
      snapshotSeq,
      updates: entry.log.filter((row) => row.seq > snapshotSeq).map((row) => copy(row.bytes)),
      lastSeq: entry.lastSeq,
      pending: entry.pending ? copy(entry.pending) : null,
    };
  }

  async appendUpdates(updates: readonly UpdateToStore[], now: number, pending: readonly PendingToStore[] = []): Promise<number[]> {
    this.check();
    // Validate everything first so the append is all-or-nothing, like a transaction.
    for (const { boardId } of [...updates, ...pending]) this.board(boardId);
    const seqs = updates.map(({ boardId, update }) => {
      const entry = this.board(boardId);
      entry.lastSeq++;
      entry.log.push({ seq: entry.lastSeq, bytes: copy(update) });
      entry.record.lastActivityAt = Math.max(entry.record.lastActivityAt, now);
      return entry.lastSeq;
    });
    for (const { boardId, update } of pending) this.board(boardId).pending = update ? copy(update) : null;
    return seqs;
  }

  async compactBoard(boardId: string, snapshot: Uint8Array, uptoSeq: number, now: number): Promise<number> {
    this.check();
    void now;
    const entry = this.board(boardId);
    if (uptoSeq > entry.lastSeq) throw new Error(`cannot compact ${boardId} up to ${uptoSeq}: only ${entry.lastSeq} stored`);
    if (entry.snapshot && entry.snapshot.uptoSeq > uptoSeq) return 0;
    entry.snapshot = { uptoSeq, bytes: copy(snapshot) };
    const before = entry.log.length;
    entry.log = entry.log.filter((row) => row.seq > uptoSeq);
    return before - entry.log.length;
  }

  async updateBoardSummary(boardId: string, summary: BoardSummaryUpdate): Promise<void> {
    this.check();
    const entry = this.boards.get(boardId);
    if (!entry) return;
    entry.record.title = summary.title;
    entry.record.status = summary.status;
    entry.record.cardCount = summary.cardCount;
    entry.record.participants = [...summary.participants];
    entry.searchText = summary.searchText.toLowerCase();
  }

  async touchMember(member: { userId: string; userName: string; boardId: string; access: Access }, now: number): Promise<void> {
    this.check();
    this.board(member.boardId);
    const key = `${member.userId}\u0000${member.boardId}`;
    const existing = this.members.get(key);
    this.members.set(key, {
      userId: member.userId,
      userName: member.userName,
      boardId: member.boardId,
      access: existing?.access === 'editor' ? 'editor' : member.access,
      firstSeenAt: existing?.firstSeenAt ?? now,
      lastSeenAt: now,
    });
  }

  async getMember(userId: string, boardId: string): Promise<MemberRecord | null> {
    this.check();
    const member = this.members.get(`${userId}\u0000${boardId}`);
    return member ? copy(member) : null;
  }

  async listBoardsForUser(userId: string, options: { query?: string; limit: number }): Promise<BoardListing[]> {
    this.check();
    const query = options.query?.trim() ? options.query.trim().toLowerCase() : null;
    const out: BoardListing[] = [];
    for (const member of this.members.values()) {
      if (member.userId !== userId) continue;
      const entry = this.boards.get(member.boardId);
      if (!entry || (query !== null && !entry.searchText.includes(query))) continue;
      out.push({ ...copy(entry.record), access: member.access, lastSeenAt: member.lastSeenAt });
    }
    out.sort((a, b) => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return out.slice(0, options.limit);
  }

  async insertCallout(callout: Callout, requestId?: string): Promise<CalloutInsertResult> {
    this.check();
    this.board(callout.boardId);
    const requestKey = requestId === undefined ? null : `${callout.from.userId}\u0000${requestId}`;
    const existingId = requestKey === null ? undefined : this.calloutRequests.get(requestKey);
    if (existingId !== undefined) return { inserted: false, existingId };
    if (this.callouts.has(callout.id)) throw new Error(`callout ${callout.id} already exists`);
    this.callouts.set(callout.id, copy(callout));
    if (requestKey !== null) this.calloutRequests.set(requestKey, callout.id);
    return { inserted: true };
  }

  async findCalloutByRequest(senderId: string, requestId: string): Promise<Callout | null> {
    this.check();
    const id = this.calloutRequests.get(`${senderId}\u0000${requestId}`);
    const callout = id === undefined ? undefined : this.callouts.get(id);
    return callout ? copy(callout) : null;
  }

  async getCallout(calloutId: string): Promise<Callout | null> {
    this.check();
    const callout = this.callouts.get(calloutId);
    return callout ? copy(callout) : null;
  }

  async replaceCallout(next: Callout, expectedState: Callout['state']): Promise<boolean> {
    this.check();
    const current = this.callouts.get(next.id);
    if (!current || current.state !== expectedState) return false;
    this.callouts.set(next.id, copy(next));
    return true;
  }

  private sortedCallouts(filter: (c: Callout) => boolean): Callout[] {
    return [...this.callouts.values()]
      .filter(filter)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map(copy);
  }

  async listCallouts(boardId: string): Promise<Callout[]> {
    this.check();
    return this.sortedCallouts((c) => c.boardId === boardId);
  }

  async listPendingCalloutsForUser(userId: string): Promise<Callout[]> {
    this.check();
    const roles = [...this.roles.values()];
    return this.sortedCallouts((c) => {
      if (c.state !== 'open' && c.state !== 'escalated') return false;
      if (c.to.kind === 'user') return c.to.userId === userId;
      return holdsRole(
        roles.filter((r) => r.boardId === c.boardId),
        c.to.role,
        userId,
      );
    });
  }

  async listOverdueCallouts(now: number): Promise<Callout[]> {
    this.check();
    return [...this.callouts.values()]
      .filter((c) => c.state === 'open' && c.ackDeadline <= now)
      .sort((a, b) => a.ackDeadline - b.ackDeadline || (a.id < b.id ? -1 : 1))
      .map(copy);
  }

  async nextCalloutDeadline(): Promise<number | null> {
    this.check();
    let next: number | null = null;
    for (const c of this.callouts.values()) if (c.state === 'open' && (next === null || c.ackDeadline < next)) next = c.ackDeadline;
    return next;
  }

  async countPendingCallouts(): Promise<number> {
    this.check();
    let n = 0;
    for (const c of this.callouts.values()) if (c.state === 'open' || c.state === 'escalated') n++;
    return n;
  }

  async saveRoleAssignments(records: readonly RoleAssignment[]): Promise<void> {
    this.check();
    for (const r of records) this.board(r.boardId);
    for (const r of records) this.roles.set(r.id, copy(r));
  }

  async listRoleAssignments(boardId: string): Promise<RoleAssignment[]> {
    this.check();
    return [...this.roles.values()]
      .filter((r) => r.boardId === boardId)
      .sort((a, b) => a.takenAt - b.takenAt || (a.id < b.id ? -1 : 1))
      .map(copy);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
