// The SQLite file's schema and how a connection to it is opened. The writer thread opens the file first
// (creating the schema); the main thread then opens a read-only connection beside it (WAL lets readers
// run while the writer commits).
import Database from 'better-sqlite3';

/**
 * 2: board_pending_update (a board's updates that wait for missing dependencies); callouts remember the
 * sender and the client's request id, so a retried create finds the first one.
 * 3: board_updates is a rowid table (it was WITHOUT ROWID): see BOARD_UPDATES.
 */
export const SCHEMA_VERSION = 3;

/**
 * A board's update log. A rowid table, so its (board_id, seq) key lives in an index of its own, apart from
 * the bytes. In a WITHOUT ROWID table the rows are the key's b-tree: a seek that compares against a row
 * whose bytes spill onto overflow pages reads the whole row first, and a freshly uploaded board is one
 * row of its full size. Every insert of the board whose id sorted just before it then copied megabytes
 * (measured: 0.77 ms per 60-byte insert next to a 1.9 MB row, 0.007 ms without one; in the benchmark's
 * S4, the writer thread took half a core whenever the board ids fell that way).
 */
const BOARD_UPDATES = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  board_id TEXT NOT NULL REFERENCES boards(id),
  seq INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (board_id, seq)
);`;

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
${BOARD_UPDATES('board_updates')}
CREATE TABLE IF NOT EXISTS board_pending_update (
  board_id TEXT PRIMARY KEY REFERENCES boards(id),
  bytes BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);
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
  record TEXT NOT NULL,
  from_user_id TEXT,
  request_id TEXT
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

/**
 * Page cache per connection, in KiB (negative cache_size): SQLite's default, stated so it stays bounded.
 * The working set is the rows of boards being loaded or appended to; loaded boards live in memory as
 * Y.Docs anyway, so a bigger cache would only hold copies of them.
 */
const CACHE_KIB = 2048;

/** Opens the database for writing: WAL, fsync at every commit, schema created or checked. */
export function openWriter(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every commit, so a commit survives power loss and kill -9.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    // One transaction: a file is either migrated completely or left as it was.
    db.transaction(() => {
      const stored = storedSchemaVersion(db);
      if (stored !== null && stored > SCHEMA_VERSION) {
        throw new Error(`${path} was written by a newer server (storage schema ${stored} > ${SCHEMA_VERSION})`);
      }
      db.exec(SCHEMA);
      migrate(db);
      db.prepare('INSERT OR REPLACE INTO storage_meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
    }).immediate(); // write lock first: two servers opening one file wait for each other instead of failing
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function storedSchemaVersion(db: Database.Database): number | null {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'storage_meta'").get();
  if (!hasMeta) return null;
  const row = db.prepare("SELECT value FROM storage_meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  return row ? Number(row.value) : null;
}

/** Brings a file written by an older server up to SCHEMA_VERSION (new tables come from SCHEMA itself). */
function migrate(db: Database.Database): void {
  const calloutColumns = new Set((db.prepare('PRAGMA table_info(callouts)').all() as { name: string }[]).map((c) => c.name));
  // Version 1 → 2. Older callouts have neither column: they were never retried by request id.
  if (!calloutColumns.has('from_user_id')) db.exec('ALTER TABLE callouts ADD COLUMN from_user_id TEXT');
  if (!calloutColumns.has('request_id')) db.exec('ALTER TABLE callouts ADD COLUMN request_id TEXT');
  db.exec(
    'CREATE UNIQUE INDEX IF NOT EXISTS callouts_by_request ON callouts(from_user_id, request_id) WHERE request_id IS NOT NULL',
  );
  // Version 2 → 3: the update log moves into a rowid table, rows and order unchanged.
  const updatesTable = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'board_updates'").get() as
    | { sql: string }
    | undefined;
  if (updatesTable && /WITHOUT\s+ROWID/i.test(updatesTable.sql)) {
    db.exec(`${BOARD_UPDATES('board_updates_v3')}
      INSERT INTO board_updates_v3 (board_id, seq, bytes) SELECT board_id, seq, bytes FROM board_updates ORDER BY board_id, seq;
      DROP TABLE board_updates;
      ALTER TABLE board_updates_v3 RENAME TO board_updates;`);
  }
}

/** Opens a connection that can only read (the schema must exist: open the writer first). */
export function openReader(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${CACHE_KIB}`);
  return db;
}
