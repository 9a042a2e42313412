// Reads, on the main thread's own read-only connection. They are short indexed lookups (a board load reads
// one snapshot and the log after it), and WAL lets them run while the writer thread commits, so they never
// wait behind an fsync. A read sees every commit the writer has reported.
import type Database from 'better-sqlite3';
import { migrateCallout, migrateRoleAssignment, type Access, type Callout, type RoleAssignment } from '@redstring/model';
import type { BoardListing, BoardRecord, CorruptRecordReporter, MemberRecord, StoredBoardState } from '../storage';

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

type RecordRow = { id: string; record: string };

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

/** Parses stored JSON records through the model's migrations; unreadable ones are reported and skipped. */
function readRecords<T>(
  rows: RecordRow[],
  table: string,
  migrate: (raw: unknown) => { ok: true; value: T } | { ok: false; error: { reason: string } },
  reportCorrupt: CorruptRecordReporter,
): T[] {
  const out: T[] = [];
  for (const row of rows) {
    let migrated;
    try {
      migrated = migrate(JSON.parse(row.record));
    } catch (error) {
      migrated = { ok: false as const, error: { reason: `not JSON: ${(error as Error).message}` } };
    }
    if (migrated.ok) out.push(migrated.value);
    else reportCorrupt({ table, id: row.id, reason: migrated.error.reason });
  }
  return out;
}

export class SqliteReader {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly reportCorrupt: CorruptRecordReporter,
  ) {
    this.statements = {
      getBoard: db.prepare(`SELECT ${BOARD_COLUMNS} FROM boards b WHERE b.id = ?`),
      byEditorHash: db.prepare('SELECT id FROM boards WHERE editor_token_hash = ?'),
      byViewerHash: db.prepare('SELECT id FROM boards WHERE viewer_token_hash = ?'),
      lastSeq: db.prepare('SELECT last_seq FROM boards WHERE id = ?'),
      getSnapshot: db.prepare('SELECT upto_seq, bytes FROM board_snapshots WHERE board_id = ?'),
      getUpdates: db.prepare('SELECT bytes FROM board_updates WHERE board_id = ? AND seq > ? ORDER BY seq'),
      getPending: db.prepare('SELECT bytes FROM board_pending_update WHERE board_id = ?'),
      getMember: db.prepare(
        'SELECT user_id, user_name, board_id, access, first_seen_at, last_seen_at FROM board_members WHERE user_id = ? AND board_id = ?',
      ),
      listBoards: db.prepare(
        `SELECT ${BOARD_COLUMNS}, m.access, m.last_seen_at FROM board_members m JOIN boards b ON b.id = m.board_id
         WHERE m.user_id = @userId AND (@query IS NULL OR instr(b.search_text, @query) > 0)
         ORDER BY b.last_activity_at DESC, b.id LIMIT @limit`,
      ),
      getCallout: db.prepare('SELECT id, record FROM callouts WHERE id = ?'),
      calloutByRequest: db.prepare('SELECT id, record FROM callouts WHERE from_user_id = ? AND request_id = ?'),
      listCallouts: db.prepare('SELECT id, record FROM callouts WHERE board_id = ? ORDER BY created_at, id'),
      pendingForUser: db.prepare(
        `SELECT c.id, c.record FROM callouts c
         WHERE c.state IN ('open', 'escalated') AND (c.to_user_id = @userId OR (c.to_role IS NOT NULL AND EXISTS (
           SELECT 1 FROM role_assignments r WHERE r.board_id = c.board_id AND r.role = c.to_role
             AND r.user_id = @userId AND r.handed_over_at IS NULL)))
         ORDER BY c.created_at, c.id`,
      ),
      overdue: db.prepare("SELECT id, record FROM callouts WHERE state = 'open' AND ack_deadline <= ? ORDER BY ack_deadline, id"),
      nextDeadline: db.prepare("SELECT min(ack_deadline) AS deadline FROM callouts WHERE state = 'open'"),
      countPending: db.prepare("SELECT count(*) AS n FROM callouts WHERE state IN ('open', 'escalated')"),
      listRoles: db.prepare('SELECT id, record FROM role_assignments WHERE board_id = ? ORDER BY taken_at, id'),
    };
  }

  getBoard(boardId: string): BoardRecord | null {
    const row = this.statements.getBoard.get(boardId) as BoardRow | undefined;
    return row ? toBoardRecord(row) : null;
  }

  findBoardByTokenHash(tokenHash: string): { boardId: string; access: Access } | null {
    const editor = this.statements.byEditorHash.get(tokenHash) as { id: string } | undefined;
    if (editor) return { boardId: editor.id, access: 'editor' };
    const viewer = this.statements.byViewerHash.get(tokenHash) as { id: string } | undefined;
    return viewer ? { boardId: viewer.id, access: 'viewer' } : null;
  }

  loadBoardState(boardId: string): StoredBoardState | null {
    // One read transaction: the snapshot and the log rows come from the same commit.
    return this.db.transaction(() => {
      const board = this.statements.lastSeq.get(boardId) as { last_seq: number } | undefined;
      if (!board) return null;
      const snapshot = this.statements.getSnapshot.get(boardId) as { upto_seq: number; bytes: Buffer } | undefined;
      const snapshotSeq = snapshot?.upto_seq ?? 0;
      const rows = this.statements.getUpdates.all(boardId, snapshotSeq) as { bytes: Buffer }[];
      const pending = this.statements.getPending.get(boardId) as { bytes: Buffer } | undefined;
      return {
        snapshot: snapshot ? bytes(snapshot.bytes) : null,
        snapshotSeq,
        updates: rows.map((r) => bytes(r.bytes)),
        lastSeq: board.last_seq,
        pending: pending ? bytes(pending.bytes) : null,
      };
    })();
  }

  getMember(userId: string, boardId: string): MemberRecord | null {
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

  listBoardsForUser(userId: string, options: { query?: string; limit: number }): BoardListing[] {
    const query = options.query?.trim() ? options.query.trim().toLowerCase() : null;
    const rows = this.statements.listBoards.all({ userId, query, limit: options.limit }) as (BoardRow & {
      access: Access;
      last_seen_at: number;
    })[];
    return rows.map((row) => ({ ...toBoardRecord(row), access: row.access, lastSeenAt: row.last_seen_at }));
  }

  getCallout(calloutId: string): Callout | null {
    const row = this.statements.getCallout.get(calloutId) as RecordRow | undefined;
    return row ? (this.callouts([row])[0] ?? null) : null;
  }

  findCalloutByRequest(senderId: string, requestId: string): Callout | null {
    const row = this.statements.calloutByRequest.get(senderId, requestId) as RecordRow | undefined;
    return row ? (this.callouts([row])[0] ?? null) : null;
  }

  listCallouts(boardId: string): Callout[] {
    return this.callouts(this.statements.listCallouts.all(boardId) as RecordRow[]);
  }

  listPendingCalloutsForUser(userId: string): Callout[] {
    return this.callouts(this.statements.pendingForUser.all({ userId }) as RecordRow[]);
  }

  listOverdueCallouts(now: number): Callout[] {
    return this.callouts(this.statements.overdue.all(now) as RecordRow[]);
  }

  nextCalloutDeadline(): number | null {
    return (this.statements.nextDeadline.get() as { deadline: number | null }).deadline;
  }

  countPendingCallouts(): number {
    return (this.statements.countPending.get() as { n: number }).n;
  }

  listRoleAssignments(boardId: string): RoleAssignment[] {
    const rows = this.statements.listRoles.all(boardId) as RecordRow[];
    return readRecords(rows, 'role_assignments', migrateRoleAssignment, this.reportCorrupt);
  }

  /** Frees what SQLite caches for this connection (its page cache refills as reads need it). */
  releaseMemory(): void {
    if (this.db.open) this.db.pragma('shrink_memory');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private callouts(rows: RecordRow[]): Callout[] {
    return readRecords(rows, 'callouts', migrateCallout, this.reportCorrupt);
  }
}
