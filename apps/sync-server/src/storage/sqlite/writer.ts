// Every write to the SQLite file, run by the writer thread. Requests that arrive together are committed
// in ONE transaction (one fsync): each runs inside its own savepoint, so one that fails (a constraint,
// an unknown board) is rolled back alone and reported alone, while the others commit.
import type Database from 'better-sqlite3';
import type { WireError, WriteOp, WriteRequest, WriteResult } from './write-protocol';
import { unpackBytes } from './write-protocol';

export type WriteOutcome = { id: number; ok: true; result: WriteResult } | { id: number; ok: false; error: WireError };

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { message: error.message, code } : { message: error.message };
  }
  return { message: String(error) };
}

function strongerAccess(a: string, b: string): string {
  return a === 'editor' || b === 'editor' ? 'editor' : 'viewer';
}

export class SqliteWriter {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      insertBoard: db.prepare(
        `INSERT INTO boards (id, title, status, created_at, created_by, last_activity_at, editor_token_hash, viewer_token_hash, search_text)
         VALUES (@id, @title, 'investigating', @createdAt, @createdBy, @createdAt, @editorTokenHash, @viewerTokenHash, @searchText)`,
      ),
      insertSnapshot: db.prepare('INSERT OR REPLACE INTO board_snapshots (board_id, upto_seq, bytes, created_at) VALUES (?, ?, ?, ?)'),
      lastSeq: db.prepare('SELECT last_seq FROM boards WHERE id = ?'),
      snapshotSeq: db.prepare('SELECT upto_seq FROM board_snapshots WHERE board_id = ?'),
      bumpSeq: db.prepare(
        'UPDATE boards SET last_seq = last_seq + 1, last_activity_at = max(last_activity_at, ?) WHERE id = ? RETURNING last_seq',
      ),
      insertUpdate: db.prepare('INSERT INTO board_updates (board_id, seq, bytes) VALUES (?, ?, ?)'),
      deleteUpdatesUpTo: db.prepare('DELETE FROM board_updates WHERE board_id = ? AND seq <= ?'),
      upsertPending: db.prepare(
        `INSERT INTO board_pending_update (board_id, bytes, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (board_id) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at`,
      ),
      deletePending: db.prepare('DELETE FROM board_pending_update WHERE board_id = ?'),
      updateSummary: db.prepare(
        `UPDATE boards SET title = @title, status = @status, card_count = @cardCount, participants = @participants,
         search_text = @searchText WHERE id = @boardId`,
      ),
      memberAccess: db.prepare('SELECT access FROM board_members WHERE user_id = ? AND board_id = ?'),
      upsertMember: db.prepare(
        `INSERT INTO board_members (user_id, board_id, user_name, access, first_seen_at, last_seen_at)
         VALUES (@userId, @boardId, @userName, @access, @now, @now)
         ON CONFLICT (user_id, board_id) DO UPDATE SET user_name = excluded.user_name, access = @access, last_seen_at = @now`,
      ),
      insertCallout: db.prepare(
        `INSERT INTO callouts (id, board_id, state, to_user_id, to_role, ack_deadline, created_at, record, from_user_id, request_id)
         VALUES (@id, @boardId, @state, @toUserId, @toRole, @ackDeadline, @createdAt, @record, @fromUserId, @requestId)`,
      ),
      calloutByRequest: db.prepare('SELECT id FROM callouts WHERE from_user_id = ? AND request_id = ?'),
      replaceCallout: db.prepare(
        `UPDATE callouts SET state = @state, to_user_id = @toUserId, to_role = @toRole, ack_deadline = @ackDeadline, record = @record
         WHERE id = @id AND state = @expectedState`,
      ),
      upsertRole: db.prepare(
        `INSERT OR REPLACE INTO role_assignments (id, board_id, role, user_id, taken_at, handed_over_at, record)
         VALUES (@id, @boardId, @role, @userId, @takenAt, @handedOverAt, @record)`,
      ),
    };
  }

  /**
   * Runs `requests` in one transaction and returns one outcome each, in order. If the commit itself
   * fails, every request fails: none of them is durable.
   */
  commit(requests: readonly WriteRequest[]): WriteOutcome[] {
    const outcomes: WriteOutcome[] = [];
    try {
      this.db.transaction(() => {
        for (const request of requests) {
          // A statement error can make SQLite roll back the whole transaction (disk full, I/O error);
          // what follows would then run outside it, so stop and fail the group instead.
          if (!this.db.inTransaction) throw new Error('the transaction was rolled back by SQLite');
          try {
            // A nested transaction is a savepoint: a failing request is undone alone.
            const result = this.db.transaction(() => this.run(request.op))();
            outcomes.push({ id: request.id, ok: true, result });
          } catch (error) {
            outcomes.push({ id: request.id, ok: false, error: toWireError(error) });
          }
        }
        if (!this.db.inTransaction) throw new Error('the transaction was rolled back by SQLite');
        // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then
        // writes gets SQLITE_BUSY at once (no busy_timeout wait) when another connection wrote meanwhile.
      }).immediate();
    } catch (error) {
      const wire = toWireError(error);
      return requests.map((r) => ({ id: r.id, ok: false, error: wire }));
    }
    return outcomes;
  }

  private run(op: WriteOp): WriteResult {
    const s = this.statements;
    switch (op.kind) {
      case 'createBoard': {
        const [initialState] = unpackBytes(op.initialState);
        s.insertBoard.run({ ...op.board, searchText: op.board.title.toLowerCase() });
        s.insertSnapshot.run(op.board.id, 0, initialState, op.board.createdAt);
        return null;
      }
      case 'appendUpdates': {
        const updates = unpackBytes(op.updates);
        const seqs = op.boardIds.map((boardId, i) => {
          const row = s.bumpSeq.get(op.now, boardId) as { last_seq: number } | undefined;
          if (!row) throw new Error(`cannot store an update for unknown board ${boardId}`);
          s.insertUpdate.run(boardId, row.last_seq, updates[i]);
          return row.last_seq;
        });
        // After the log rows: the remainder replaces the previous one (an unknown board fails the foreign key).
        op.pendingBoardIds.forEach((boardId, i) => s.upsertPending.run(boardId, updates[op.boardIds.length + i], op.now));
        for (const boardId of op.clearedPendingBoardIds) s.deletePending.run(boardId);
        return seqs;
      }
      case 'compactBoard': {
        const board = s.lastSeq.get(op.boardId) as { last_seq: number } | undefined;
        if (!board) throw new Error(`cannot compact unknown board ${op.boardId}`);
        if (op.uptoSeq > board.last_seq) throw new Error(`cannot compact ${op.boardId} up to ${op.uptoSeq}: only ${board.last_seq} stored`);
        const current = s.snapshotSeq.get(op.boardId) as { upto_seq: number } | undefined;
        // Never replace a newer snapshot with an older one.
        if (current && current.upto_seq > op.uptoSeq) return 0;
        const [snapshot] = unpackBytes(op.snapshot);
        s.insertSnapshot.run(op.boardId, op.uptoSeq, snapshot, op.now);
        return s.deleteUpdatesUpTo.run(op.boardId, op.uptoSeq).changes;
      }
      case 'updateBoardSummary':
        s.updateSummary.run({
          ...op.summary,
          boardId: op.boardId,
          participants: JSON.stringify(op.summary.participants),
          // Lower-cased here (JavaScript knows Unicode case; SQLite's lower() only ASCII).
          searchText: op.summary.searchText.toLowerCase(),
        });
        return null;
      case 'touchMember': {
        const existing = s.memberAccess.get(op.member.userId, op.member.boardId) as { access: string } | undefined;
        const access = existing ? strongerAccess(existing.access, op.member.access) : op.member.access;
        s.upsertMember.run({ ...op.member, access, now: op.now });
        return null;
      }
      case 'insertCallout': {
        // This thread is the only writer, so looking first and inserting after cannot race; the unique
        // index still guards a database shared by two servers.
        if (op.row.requestId !== null) {
          const existing = s.calloutByRequest.get(op.row.fromUserId, op.row.requestId) as { id: string } | undefined;
          if (existing) return { inserted: false, existingId: existing.id };
        }
        s.insertCallout.run(op.row);
        return { inserted: true };
      }
      case 'replaceCallout':
        return s.replaceCallout.run({ ...op.row, expectedState: op.expectedState }).changes === 1;
      case 'saveRoleAssignments':
        for (const row of op.rows) s.upsertRole.run(row);
        return null;
    }
  }
}
