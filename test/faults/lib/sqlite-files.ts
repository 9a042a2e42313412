// Looks at the server's SQLite files from the outside, without knowing its schema: integrity after a
// crash, row counts (to prove nothing was stored), stored bytes (to catch growth from resyncs).
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sqliteHeader = 'SQLite format 3\0';

function hasSqliteHeader(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const header = Buffer.alloc(sqliteHeader.length);
    const n = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, n).toString('latin1') === sqliteHeader;
  } finally {
    closeSync(fd);
  }
}

/** The SQLite database files in a data directory (found by header, not by name). */
export function databaseFiles(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => !/-(wal|shm|journal)$/.test(name))
    .map((name) => join(dataDir, name))
    .filter((path) => statSync(path).isFile() && hasSqliteHeader(path));
}

export function onlyDatabase(dataDir: string): string {
  const files = databaseFiles(dataDir);
  if (files.length !== 1) throw new Error(`expected one SQLite database in ${dataDir}, found ${JSON.stringify(files)}`);
  return files[0]!;
}

/**
 * `PRAGMA integrity_check` on the database as a crash left it, opened read-only so the check cannot
 * change what the restarted server will find. When SQLite refuses a read-only open because the WAL
 * needs recovery, the check runs on a copy of the files instead (the recovery then happens in the copy).
 */
export function integrityCheck(dbPath: string): { result: string; via: 'read-only' | 'copy' } {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return { result: runIntegrityCheck(db), via: 'read-only' };
    } finally {
      db.close();
    }
  } catch (error) {
    if (!/readonly|read-only|unable to open|locked/i.test(String(error))) throw error;
  }
  const dir = mkdtempSync(join(tmpdir(), 'redstring-integrity-'));
  try {
    const copy = join(dir, 'copy.db');
    copyFileSync(dbPath, copy);
    if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${copy}-wal`);
    const db = new Database(copy, { fileMustExist: true });
    try {
      return { result: runIntegrityCheck(db), via: 'copy' };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runIntegrityCheck(db: Database.Database): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}

/** Opens the live database read-only (the server keeps writing; WAL lets us read alongside). */
export function withReadOnly<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function tableNames(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Row count of every table. */
export function rowCounts(dbPath: string): Record<string, number> {
  return withReadOnly(dbPath, (db) => {
    const out: Record<string, number> = {};
    for (const table of tableNames(db)) {
      out[table] = (db.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
    }
    return out;
  });
}

/**
 * Bytes held in BLOB values (the Yjs documents and updates) across the given tables: what the server has
 * stored of board content, independent of file slack, page layout and per-row bookkeeping.
 */
export function storedBytes(dbPath: string, tables?: readonly string[]): number {
  return withReadOnly(dbPath, (db) => {
    let total = 0;
    for (const table of tables ?? tableNames(db)) {
      const columns = (db.prepare(`PRAGMA table_info(${quote(table)})`).all() as { name: string }[]).map((c) => c.name);
      if (columns.length === 0) continue;
      const sum = columns.map((c) => `(CASE WHEN typeof(${quote(c)}) = 'blob' THEN length(${quote(c)}) ELSE 0 END)`).join(' + ');
      total += (db.prepare(`SELECT coalesce(sum(${sum}), 0) AS n FROM ${quote(table)}`).get() as { n: number }).n;
    }
    return total;
  });
}

export function listTables(dbPath: string): string[] {
  return withReadOnly(dbPath, tableNames);
}
