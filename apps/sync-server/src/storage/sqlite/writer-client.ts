// The main thread's handle on the SQLite writer thread: sends write requests, resolves each one when the
// thread reports its commit, and restarts the thread if it dies. A request in flight when the thread
// dies is rejected (it may or may not have committed, so callers treat it as not stored: updates are
// retried, and Yjs applies a duplicate harmlessly); nothing is reported as stored that was not.
import { Worker } from 'node:worker_threads';
import type { WireError, WriteOp, WriteResults, WriterCommand, WriterData, WriterMessage } from './write-protocol';

// Next to this module: among the sources, a bootstrap that loads writer-thread.ts through tsx; in the
// compiled server (dist/, see build.mjs), the compiled thread itself.
const BOOTSTRAP = new URL('./writer-thread.mjs', import.meta.url);
const FIRST_RESTART_MS = 100;
const MAX_RESTART_MS = 5_000;

export interface WriterThreadEvents {
  /** The thread died; requests in flight were rejected; a new one starts in `restartInMs`. */
  crashed?(error: Error, restartInMs: number): void;
  /** A new thread is ready after a crash. */
  restarted?(): void;
  /** A new thread could not open the database; it is tried again in `retryInMs`. */
  restartFailed?(error: Error, retryInMs: number): void;
}

/** A storage write that failed in the writer thread, with SQLite's code when there is one. */
export class StorageWriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StorageWriteError';
  }
}

function fromWire(error: WireError): StorageWriteError {
  return new StorageWriteError(error.message, error.code);
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** Starts a thread on `path` and resolves once its database is open (rejects if it cannot be). */
function spawnWriter(path: string): Promise<Worker> {
  const worker = new Worker(BOOTSTRAP, {
    workerData: { path } satisfies WriterData,
    // The source bootstrap registers tsx itself; inherited loader flags would register it twice.
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    let failure: Error | null = null;
    const onMessage = (message: WriterMessage): void => {
      if (message.type === 'ready') {
        cleanup();
        resolve(worker);
      } else if (message.type === 'open-failed') {
        failure = fromWire(message.error);
      }
    };
    const onError = (error: Error): void => {
      failure ??= error;
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(failure ?? new Error(`the SQLite writer thread exited (${code}) before opening the database`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

export class WriterThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | null = null;
  private restartDelay = FIRST_RESTART_MS;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastError: Error | null = null;
  /** Waiting for the thread's `memory-released`. */
  private memoryReleaseWaiters: (() => void)[] = [];

  private constructor(
    private readonly path: string,
    private worker: Worker | null,
    private readonly events: WriterThreadEvents,
  ) {
    if (worker) this.attach(worker);
  }

  static async start(path: string, events: WriterThreadEvents = {}): Promise<WriterThread> {
    return new WriterThread(path, await spawnWriter(path), events);
  }

  /** The running thread (null while restarting). Exposed so tests can make it die. */
  get thread(): Worker | null {
    return this.worker;
  }

  /** Sends one write; `transfer` lists buffers inside `op` that move to the thread (unusable here after). */
  request<K extends WriteOp['kind']>(op: Extract<WriteOp, { kind: K }>, transfer: ArrayBuffer[] = []): Promise<WriteResults[K]> {
    if (this.closing) return Promise.reject(new StorageWriteError('storage is closed'));
    const worker = this.worker;
    if (!worker) {
      return Promise.reject(
        new StorageWriteError(`the SQLite writer thread is restarting${this.lastError ? ` after: ${this.lastError.message}` : ''}`),
      );
    }
    const id = this.nextId++;
    return new Promise<WriteResults[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ type: 'write', request: { id, op } } satisfies WriterCommand, transfer);
    });
  }

  /** Asks the thread to give back memory it does not need; resolves when it has (at once without a thread). */
  releaseMemory(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.closing) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.memoryReleaseWaiters.push(resolve);
      if (this.memoryReleaseWaiters.length === 1) worker.postMessage({ type: 'release-memory' } satisfies WriterCommand);
    });
  }

  /** Lets every request in flight finish, then closes the database and ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.restartTimer) clearTimeout(this.restartTimer);
      this.restartTimer = null;
      const worker = this.worker;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      // The thread answers everything it has received before it handles close.
      worker.postMessage({ type: 'close' } satisfies WriterCommand);
      await exited;
    })();
    return this.closing;
  }

  private attach(worker: Worker): void {
    worker.unref();
    worker.on('message', (message: WriterMessage) => this.receive(message));
    worker.on('error', (error: Error) => {
      this.lastError = error;
    });
    worker.on('exit', (code) => this.exited(worker, code));
  }

  private receive(message: WriterMessage): void {
    if (message.type === 'memory-released') return this.memoryReleased();
    if (message.type !== 'done' && message.type !== 'failed') return;
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (message.type === 'done') {
      this.restartDelay = FIRST_RESTART_MS;
      entry.resolve(message.result);
    } else {
      entry.reject(fromWire(message.error));
    }
  }

  private memoryReleased(): void {
    const waiters = this.memoryReleaseWaiters;
    this.memoryReleaseWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const error = new StorageWriteError(
      `the SQLite writer thread died (exit code ${code})${this.lastError ? `: ${this.lastError.message}` : ''}; the write may not be stored`,
    );
    this.lastError = error;
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    for (const entry of inFlight) entry.reject(error);
    // A dead thread holds no memory.
    this.memoryReleased();
    if (this.closing) return;
    this.events.crashed?.(error, this.restartDelay);
    this.restartLater();
  }

  private restartLater(): void {
    const delay = this.restartDelay;
    this.restartDelay = Math.min(MAX_RESTART_MS, delay * 2);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.restart();
    }, delay);
    this.restartTimer.unref();
  }

  private async restart(): Promise<void> {
    let worker: Worker;
    try {
      worker = await spawnWriter(this.path);
    } catch (error) {
      if (this.closing) return;
      this.lastError = error as Error;
      this.events.restartFailed?.(error as Error, this.restartDelay);
      this.restartLater();
      return;
    }
    if (this.closing) {
      await worker.terminate();
      return;
    }
    this.worker = worker;
    this.lastError = null;
    this.attach(worker);
    this.events.restarted?.();
  }
}
