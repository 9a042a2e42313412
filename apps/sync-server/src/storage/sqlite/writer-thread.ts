// The SQLite writer thread's entry (started through writer-thread.mjs). It owns the only connection that
// writes. Requests that arrive while a commit is flushing queue up in the port; the next turn takes all of
// them into one transaction: group commit without timers. A reply leaves only after its commit returned,
// which with synchronous=FULL means it is on disk.
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { garbageCollector } from '../../collector';
import { openWriter } from './schema';
import { SqliteWriter, toWireError } from './writer';
import type { WriteRequest, WriterCommand, WriterData, WriterMessage } from './write-protocol';

const port = parentPort;
if (!port) throw new Error('writer-thread.ts runs as a worker thread');
const { path } = workerData as WriterData;
const reply = (message: WriterMessage): void => port.postMessage(message);

let db: Database.Database;
let writer: SqliteWriter;
try {
  db = openWriter(path);
  writer = new SqliteWriter(db);
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'open-failed', error: toWireError(error) });
  process.exit(1);
}

const collect = garbageCollector();
let pending: WriteRequest[] = [];
let scheduled = false;
let closing = false;

function flush(): void {
  scheduled = false;
  const batch = pending;
  pending = [];
  for (const outcome of writer.commit(batch)) {
    reply(outcome.ok ? { type: 'done', id: outcome.id, result: outcome.result } : { type: 'failed', id: outcome.id, error: outcome.error });
  }
  if (closing) close();
}

function close(): void {
  if (pending.length > 0 || scheduled) return;
  db.close();
  port?.close();
}

port.on('message', (command: WriterCommand) => {
  if (command.type === 'close') {
    closing = true;
    close();
    return;
  }
  if (command.type === 'release-memory') {
    // The buffers written so far are garbage in this thread's heap until it collects, which an idle
    // thread never does; their memory is in the C heap, which the main thread trims afterwards.
    db.pragma('shrink_memory');
    collect?.();
    reply({ type: 'memory-released' });
    return;
  }
  pending.push(command.request);
  if (scheduled) return;
  scheduled = true;
  // Runs after every message already waiting in the port has been received.
  setImmediate(flush);
});
