// SQLite storage (better-sqlite3). WAL mode with synchronous=FULL: a commit is on disk when the call
// returns, which is what "Saved" promises. better-sqlite3 is synchronous; each method runs its statements
// inside one transaction and resolves afterwards.
import Database from 'better-sqlite3';
import {
  migrateCallout,
  migrateRoleAssignment,
  toStored,
  type Access,
  type Callout,
  type RoleAssignment,
} from '@redstring/model';
import type {
  BoardListing,
  BoardRecord,
  BoardSummaryUpdate,
  CorruptRecordReporter,
  MemberRecord,
  NewBoard,
  Storage,
  StoredBoardState,
  UpdateToStore,
} from './storage';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS storage_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  last_activity_at INTEGER NOT NULL,
  editor_token_hash TEXT NOT NULL UNIQUE,
  viewer_token_hash TEXT NOT NULL UNIQUE,
  last_seq INTEGER NOT NULL DEFAULT 0,
  card_count INTEGER NOT NULL DEFAULT 0,
  participants TEXT NOT NULL DEFAULT '[]',
  search_text TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS board_snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id),
  upto_seq INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS board_updates (
  board_id TEXT NOT NULL REFERENCES boards(id),
  seq INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (board_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS board_members (
  user_id TEXT NOT NULL,
  board_id TEXT NOT NULL REFERENCES boards(id),
  user_name TEXT NOT NULL,
  access TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, board_id)
);
CREATE TABLE IF NOT EXISTS callouts (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id),
  state TEXT NOT NULL,
  to_user_id TEXT,
  to_role TEXT,
  ack_deadline INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS callouts_by_board ON callouts(board_id, created_at);
CREATE INDEX IF NOT EXISTS callouts_open_by_deadline ON callouts(ack_deadline) WHERE state = 'open';
CREATE INDEX IF NOT EXISTS callouts_pending_by_user ON callouts(to_user_id) WHERE state IN ('open', 'escalated');
CREATE TABLE IF NOT EXISTS role_assignments (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id),
  role TEXT NOT NULL,
  user_id TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  handed_over_at INTEGER,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS role_assignments_by_board ON role_assignments(board_id, taken_at);
CREATE INDEX IF NOT EXISTS role_assignments_current ON role_assignments(user_id, board_id, role) WHERE handed_over_at IS NULL;
`;

interface BoardRow {
  id: string;
  title: string;
  status: string;
  created_at: number;
  created_by: string;
  last_activity_at: number;
  card_count: number;
  participants: string;
}

const BOARD_COLUMNS = 'b.id, b.title, b.status, b.created_at, b.created_by, b.last_activity_at, b.card_count, b.participants';

function toBoardRecord(row: BoardRow): BoardRecord {
  let participants: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.participants);
    if (Array.isArray(parsed)) participants = parsed.filter((p): p is string => typeof p === 'string');
  } catch {
    // A damaged summary column only loses the participant list; the board itself is intact.
  }
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastActivityAt: row.last_activity_at,
    cardCount: row.card_count,
    participants,
  };
}

/** Copies out of a Buffer that better-sqlite3 may reuse. */
function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer);
}

function strongerAccess(a: Access, b: Access): Access {
  return a === 'editor' || b === 'editor' ? 'editor' : 'viewer';
}

export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(
    readonly path: string,
    private readonly reportCorrupt: CorruptRecordReporter = () => {},
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every commit, so a commit survives power loss and kill -9.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const version = this.db.prepare('SELECT value FROM storage_meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
    if (version === undefined) {
      this.db.prepare('INSERT INTO storage_meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
    } else if (Number(version.value) > SCHEMA_VERSION) {
      this.db.close();
      throw new Error(`${path} was written by a newer server (storage schema ${version.value} > ${SCHEMA_VERSION})`);
    }
    this.statements = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      insertBoard: db.prepare(
        `INSERT INTO boards (id, title, status, created_at, created_by, last_activity_at, editor_token_hash, viewer_token_hash, search_text)
         VALUES (@id, @title, 'investigating', @createdAt, @createdBy, @createdAt, @editorTokenHash, @viewerTokenHash, @searchText)`,
      ),
      insertSnapshot: db.prepare(
        'INSERT OR REPLACE INTO board_snapshots (board_id, upto_seq, bytes, created_at) VALUES (?, ?, ?, ?)',
      ),
      getBoard: db.prepare(`SELECT ${BOARD_COLUMNS} FROM boards b WHERE b.id = ?`),
      byEditorHash: db.prepare('SELECT id FROM boards WHERE editor_token_hash = ?'),
      byViewerHash: db.prepare('SELECT id FROM boards WHERE viewer_token_hash = ?'),
      lastSeq: db.prepare('SELECT last_seq FROM boards WHERE id = ?'),
      getSnapshot: db.prepare('SELECT upto_seq, bytes FROM board_snapshots WHERE board_id = ?'),
      getUpdates: db.prepare('SELECT bytes FROM board_updates WHERE board_id = ? AND seq > ? ORDER BY seq'),
      bumpSeq: db.prepare(
        'UPDATE boards SET last_seq = last_seq + 1, last_activity_at = max(last_activity_at, ?) WHERE id = ? RETURNING last_seq',
      ),
      insertUpdate: db.prepare('INSERT INTO board_updates (board_id, seq, bytes) VALUES (?, ?, ?)'),
      deleteUpdatesUpTo: db.prepare('DELETE FROM board_updates WHERE board_id = ? AND seq <= ?'),
      updateSummary: db.prepare(
        `UPDATE boards SET title = @title, status = @status, card_count = @cardCount, participants = @participants,
         search_text = @searchText WHERE id = @boardId`,
      ),
      getMember: db.prepare(
        `SELECT user_id, user_name, board_id, access, first_seen_at, last_seen_at FROM board_members WHERE user_id = ? AND board_id = ?`,
      ),
      upsertMember: db.prepare(
        `INSERT INTO board_members (user_id, board_id, user_name, access, first_seen_at, last_seen_at)
         VALUES (@userId, @boardId, @userName, @access, @now, @now)
         ON CONFLICT (user_id, board_id) DO UPDATE SET user_name = excluded.user_name, access = @access, last_seen_at = @now`,
      ),
      listBoards: db.prepare(
        `SELECT ${BOARD_COLUMNS}, m.access, m.last_seen_at FROM board_members m JOIN boards b ON b.id = m.board_id
         WHERE m.user_id = @userId AND (@query IS NULL OR instr(b.search_text, @query) > 0)
         ORDER BY b.last_activity_at DESC, b.id LIMIT @limit`,
      ),
      insertCallout: db.prepare(
        `INSERT INTO callouts (id, board_id, state, to_user_id, to_role, ack_deadline, created_at, record)
         VALUES (@id, @boardId, @state, @toUserId, @toRole, @ackDeadline, @createdAt, @record)`,
      ),
      replaceCallout: db.prepare(
        `UPDATE callouts SET state = @state, to_user_id = @toUserId, to_role = @toRole, ack_deadline = @ackDeadline, record = @record
         WHERE id = @id AND state = @expectedState`,
      ),
      getCallout: db.prepare('SELECT id, record FROM callouts WHERE id = ?'),
      listCallouts: db.prepare('SELECT id, record FROM callouts WHERE board_id = ? ORDER BY created_at, id'),
      pendingForUser: db.prepare(
        `SELECT c.id, c.record FROM callouts c
         WHERE c.state IN ('open', 'escalated') AND (c.to_user_id = @userId OR (c.to_role IS NOT NULL AND EXISTS (
           SELECT 1 FROM role_assignments r WHERE r.board_id = c.board_id AND r.role = c.to_role
             AND r.user_id = @userId AND r.handed_over_at IS NULL)))
         ORDER BY c.created_at, c.id`,
      ),
      overdue: db.prepare(
        "SELECT id, record FROM callouts WHERE state = 'open' AND ack_deadline <= ? ORDER BY ack_deadline, id",
      ),
      nextDeadline: db.prepare("SELECT min(ack_deadline) AS deadline FROM callouts WHERE state = 'open'"),
      countPending: db.prepare("SELECT count(*) AS n FROM callouts WHERE state IN ('open', 'escalated')"),
      upsertRole: db.prepare(
        `INSERT OR REPLACE INTO role_assignments (id, board_id, role, user_id, taken_at, handed_over_at, record)
         VALUES (@id, @boardId, @role, @userId, @takenAt, @handedOverAt, @record)`,
      ),
      listRoles: db.prepare('SELECT id, record FROM role_assignments WHERE board_id = ? ORDER BY taken_at, id'),
    };
  }

  async createBoard(board: NewBoard): Promise<void> {
    this.db.transaction(() => {
      this.statements.insertBoard.run({ ...board, searchText: board.title.toLowerCase() });
      this.statements.insertSnapshot.run(board.id, 0, board.initialState, board.createdAt);
    })();
  }

  async getBoard(boardId: string): Promise<BoardRecord | null> {
    const row = this.statements.getBoard.get(boardId) as BoardRow | undefined;
    return row ? toBoardRecord(row) : null;
  }

  async findBoardByTokenHash(tokenHash: string): Promise<{ boardId: string; access: Access } | null> {
    const editor = this.statements.byEditorHash.get(tokenHash) as { id: string } | undefined;
    if (editor) return { boardId: editor.id, access: 'editor' };
    const viewer = this.statements.byViewerHash.get(tokenHash) as { id: string } | undefined;
    return viewer ? { boardId: viewer.id, access: 'viewer' } : null;
  }

  async loadBoardState(boardId: string): Promise<StoredBoardState | null> {
    // One read transaction: the snapshot and the log rows come from the same moment.
    return this.db.transaction(() => {
      const board = this.statements.lastSeq.get(boardId) as { last_seq: number } | undefined;
      if (!board) return null;
      const snapshot = this.statements.getSnapshot.get(boardId) as { upto_seq: number; bytes: Buffer } | undefined;
      const snapshotSeq = snapshot?.upto_seq ?? 0;
      const rows = this.statements.getUpdates.all(boardId, snapshotSeq) as { bytes: Buffer }[];
      return {
        snapshot: snapshot ? bytes(snapshot.bytes) : null,
        snapshotSeq,
        updates: rows.map((r) => bytes(r.bytes)),
        lastSeq: board.last_seq,
      };
    })();
  }

  async appendUpdates(updates: readonly UpdateToStore[], now: number): Promise<number[]> {
    return this.db.transaction(() =>
      updates.map(({ boardId, update }) => {
        const row = this.statements.bumpSeq.get(now, boardId) as { last_seq: number } | undefined;
        if (!row) throw new Error(`cannot store an update for unknown board ${boardId}`);
        this.statements.insertUpdate.run(boardId, row.last_seq, update);
        return row.last_seq;
      }),
    )();
  }

  async compactBoard(boardId: string, snapshot: Uint8Array, uptoSeq: number, now: number): Promise<number> {
    return this.db.transaction(() => {
      const board = this.statements.lastSeq.get(boardId) as { last_seq: number } | undefined;
      if (!board) throw new Error(`cannot compact unknown board ${boardId}`);
      if (uptoSeq > board.last_seq) throw new Error(`cannot compact ${boardId} up to ${uptoSeq}: only ${board.last_seq} stored`);
      const current = this.statements.getSnapshot.get(boardId) as { upto_seq: number } | undefined;
      // Never replace a newer snapshot with an older one.
      if (current && current.upto_seq > uptoSeq) return 0;
      this.statements.insertSnapshot.run(boardId, uptoSeq, snapshot, now);
      return this.statements.deleteUpdatesUpTo.run(boardId, uptoSeq).changes;
    })();
  }

  async updateBoardSummary(boardId: string, summary: BoardSummaryUpdate): Promise<void> {
    this.statements.updateSummary.run({
      ...summary,
      boardId,
      participants: JSON.stringify(summary.participants),
      // Lower-cased here (JavaScript knows Unicode case; SQLite's lower() only ASCII).
      searchText: summary.searchText.toLowerCase(),
    });
  }

  async touchMember(member: { userId: string; userName: string; boardId: string; access: Access }, now: number): Promise<void> {
    this.db.transaction(() => {
      const existing = this.statements.getMember.get(member.userId, member.boardId) as { access: Access } | undefined;
      const access = existing ? strongerAccess(existing.access, member.access) : member.access;
      this.statements.upsertMember.run({ ...member, access, now });
    })();
  }

  async getMember(userId: string, boardId: string): Promise<MemberRecord | null> {
    const row = this.statements.getMember.get(userId, boardId) as
      | { user_id: string; user_name: string; board_id: string; access: Access; first_seen_at: number; last_seen_at: number }
      | undefined;
    if (!row) return null;
    return {
      userId: row.user_id,
      userName: row.user_name,
      boardId: row.board_id,
      access: row.access,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
    };
  }

  async listBoardsForUser(userId: string, options: { query?: string; limit: number }): Promise<BoardListing[]> {
    const query = options.query?.trim() ? options.query.trim().toLowerCase() : null;
    const rows = this.statements.listBoards.all({ userId, query, limit: options.limit }) as (BoardRow & {
      access: Access;
      last_seen_at: number;
    })[];
    return rows.map((row) => ({ ...toBoardRecord(row), access: row.access, lastSeenAt: row.last_seen_at }));
  }

  private calloutParams(c: Callout) {
    return {
      id: c.id,
      boardId: c.boardId,
      state: c.state,
      toUserId: c.to.kind === 'user' ? c.to.userId : null,
      toRole: c.to.kind === 'role' ? c.to.role : null,
      ackDeadline: c.ackDeadline,
      createdAt: c.createdAt,
      record: JSON.stringify(toStored(c)),
    };
  }

  private readCallouts(rows: { id: string; record: string }[]): Callout[] {
    const out: Callout[] = [];
    for (const row of rows) {
      const migrated = (() => {
        try {
          return migrateCallout(JSON.parse(row.record));
        } catch (error) {
          return { ok: false as const, error: { reason: `not JSON: ${(error as Error).message}` } };
        }
      })();
      if (migrated.ok) out.push(migrated.value);
      else this.reportCorrupt({ table: 'callouts', id: row.id, reason: migrated.error.reason });
    }
    return out;
  }

  async insertCallout(callout: Callout): Promise<void> {
    this.statements.insertCallout.run(this.calloutParams(callout));
  }

  async getCallout(calloutId: string): Promise<Callout | null> {
    const row = this.statements.getCallout.get(calloutId) as { id: string; record: string } | undefined;
    return row ? (this.readCallouts([row])[0] ?? null) : null;
  }

  async replaceCallout(next: Callout, expectedState: Callout['state']): Promise<boolean> {
    return this.statements.replaceCallout.run({ ...this.calloutParams(next), expectedState }).changes === 1;
  }

  async listCallouts(boardId: string): Promise<Callout[]> {
    return this.readCallouts(this.statements.listCallouts.all(boardId) as { id: string; record: string }[]);
  }

  async listPendingCalloutsForUser(userId: string): Promise<Callout[]> {
    return this.readCallouts(this.statements.pendingForUser.all({ userId }) as { id: string; record: string }[]);
  }

  async listOverdueCallouts(now: number): Promise<Callout[]> {
    return this.readCallouts(this.statements.overdue.all(now) as { id: string; record: string }[]);
  }

  async nextCalloutDeadline(): Promise<number | null> {
    return (this.statements.nextDeadline.get() as { deadline: number | null }).deadline;
  }

  async countPendingCallouts(): Promise<number> {
    return (this.statements.countPending.get() as { n: number }).n;
  }

  async saveRoleAssignments(records: readonly RoleAssignment[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of records) {
        this.statements.upsertRole.run({
          id: r.id,
          boardId: r.boardId,
          role: r.role,
          userId: r.userId,
          takenAt: r.takenAt,
          handedOverAt: r.handedOverAt ?? null,
          record: JSON.stringify(toStored(r)),
        });
      }
    })();
  }

  async listRoleAssignments(boardId: string): Promise<RoleAssignment[]> {
    const rows = this.statements.listRoles.all(boardId) as { id: string; record: string }[];
    const out: RoleAssignment[] = [];
    for (const row of rows) {
      let migrated;
      try {
        migrated = migrateRoleAssignment(JSON.parse(row.record));
      } catch (error) {
        migrated = { ok: false as const, error: { reason: `not JSON: ${(error as Error).message}` } };
      }
      if (migrated.ok) out.push(migrated.value);
      else this.reportCorrupt({ table: 'role_assignments', id: row.id, reason: migrated.error.reason });
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
