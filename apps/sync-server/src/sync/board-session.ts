// One loaded board: its Y.Doc and awareness, the clients connected to it, and the bookkeeping that decides
// when its updates are durable, when to compact, and when it may leave memory.
//
// Invariants:
// - What an applied update added to `doc` (what the doc emitted) is either committed to the log or in
//   `unconfirmed` (and in the persister queue).
// - What an update brought that waits for missing dependencies (Yjs' pending structs and deletions) is
//   in `pendingRemainder`, which the persister stores as the board's one pending row, replaced in the
//   same transaction as the log rows of its batch. Once the missing part arrives, the doc emits the
//   waiting part with it, and it reaches the log like anything else. So Saved(n) — sent after the batch
//   holding the client's frame n committed — covers everything that frame carried, and a resync that
//   brings nothing new stores nothing, however long something waits.
// - The session leaves memory only when it has no clients and nothing unconfirmed.
// - An update can decode and still throw half-way through Y.applyUpdate (for example one that conflicts
//   with structs a hostile editor forged earlier under the same client id), leaving part of it in `doc`.
//   That part was never broadcast or stored. The session then rebuilds `doc` from storage plus
//   `unconfirmed`, deferring every frame meanwhile, so it serves exactly what its clients were sent.
//   If even that fails, the session is 'broken': its clients are closed with LoadFailed and it unloads
//   once its unconfirmed updates are stored.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { CloseCode, MessageType } from '@redstring/model';
import type { Logger } from '../log';
import { errorFields } from '../log';
import type { Metrics } from '../metrics';
import type { BoardSummaryUpdate, Storage } from '../storage/storage';
import type { BoardClient } from './board-client';
import {
  ProtocolViolation,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  encodeWelcome,
} from './frames';
import { compactionDue } from './compaction-policy';
import type { FullStateBudget } from './full-state-cache';
import { FullStateCache, isEmptyStateVector } from './full-state-cache';
import { loadBoardDoc, type LoadedBoardDoc } from './load-board-doc';
import { TurnFanOut } from './turn-fan-out';
import {
  applyCapturingEmitted,
  encodePendingRemainder,
  pendingMarker,
  sameBytes,
  samePendingMarker,
  type PendingMarker,
} from './pending-remainder';
import type { PendingRemainderSource, PersistEntry, UpdatePersister } from './update-persister';

export type SessionState = 'ready' | 'rebuilding' | 'broken' | 'unloaded';


export interface SessionDeps {
  storage: Storage;
  persister: UpdatePersister;
  log: Logger;
  metrics: Metrics;
  clock: () => number;
  /** Shared by every board's whole-board encoding (see full-state-cache.ts). */
  fullStateBudget: FullStateBudget;
  compactAfterUpdates: number;
  summaryRefreshDelayMs: number;
  /** While edits keep coming, the summary is still refreshed at least this often. */
  summaryMaxDelayMs: number;
  /** Reads the board's title, status and text for search; null when the document cannot be read. */
  summarize(doc: Y.Doc): BoardSummaryUpdate | null;
  /** Asks the hub to run compact() when the server is not busy. */
  requestCompaction(session: BoardSession): void;
  /** No clients and nothing unconfirmed: the hub may unload the session. */
  idle(session: BoardSession): void;
}

export class BoardSession implements PendingRemainderSource {
  state: SessionState = 'ready';
  doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly clients = new Set<BoardClient>();
  private snapshotSeq: number;
  private lastCommittedSeq: number;
  private snapshotBytes: number;
  /** Bytes of the committed log rows after the snapshot. */
  private logBytes: number;
  /** Queued for the log and not yet committed (a rebuild replays their bytes). */
  private readonly unconfirmed = new Set<PersistEntry>();
  /** The doc's pending remainder after the last update applied without error (as stored, or to be). */
  private pendingRemainder: Uint8Array | null;
  private pendingSeen: PendingMarker;
  /** Work that arrived while rebuilding, run in order once the doc is whole again. */
  private deferred: (() => void)[] = [];
  private compacting = false;
  private summaryDirty = false;
  private summaryDirtySince = 0;
  private summaryTimer: NodeJS.Timeout | null = null;
  /** The client whose update is being applied, and what the doc emitted for it. */
  private applying: BoardClient | null = null;
  private emitted: Uint8Array | null = null;
  private readonly log: Logger;
  /** The whole board encoded once for a burst of fresh joiners (dropped on every change). */
  private readonly fullState: FullStateCache;

  constructor(
    readonly boardId: string,
    loaded: LoadedBoardDoc,
    private readonly deps: SessionDeps,
  ) {
    this.doc = loaded.doc;
    this.fullState = new FullStateCache(deps.fullStateBudget);
    this.snapshotSeq = loaded.snapshotSeq;
    this.lastCommittedSeq = loaded.lastSeq;
    this.snapshotBytes = loaded.snapshotBytes;
    this.logBytes = loaded.logBytes;
    this.log = deps.log.child({ boardId });
    this.doc.on('update', this.captureUpdate);
    this.pendingSeen = pendingMarker(this.doc);
    this.pendingRemainder = encodePendingRemainder(this.doc);
    this.adoptIntegratedFromPending(loaded.integratedFromPending);
    // Awareness gets its own tiny doc: it only needs a client id, not the board's content.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.relayAwareness);
  }

  /** Updates written to the log since the last snapshot. */
  get logLength(): number {
    return this.lastCommittedSeq - this.snapshotSeq;
  }

  get unconfirmedCount(): number {
    return this.unconfirmed.size;
  }

  // ---- clients -------------------------------------------------------------------------------

  /** Welcome, then sync step 1, then the others' awareness; then the client's queued frames run. */
  attach(client: BoardClient): void {
    if (this.state === 'rebuilding') {
      this.deferred.push(() => this.attach(client));
      return;
    }
    if (this.state !== 'ready') {
      client.fail(CloseCode.LoadFailed, 'the board could not be loaded; try again later');
      return;
    }
    if (client.state !== 'joining' || !client.user || !client.access) return;
    this.clients.add(client);
    client.send(
      encodeWelcome({ boardId: this.boardId, access: client.access, user: client.user, serverTime: this.deps.clock() }),
    );
    client.send(encodeSyncStep1(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      client.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    }
    this.log.info('client joined board', { client: client.id, userId: client.user.userId, access: client.access });
    client.becomeReady(this);
  }

  detach(client: BoardClient): void {
    if (!this.clients.delete(client)) return;
    if (client.awarenessIds.size > 0 && this.state !== 'unloaded') {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...client.awarenessIds], null);
    }
    this.log.info('client left board', { client: client.id, userId: client.user?.userId });
    this.checkIdle();
  }

  /** Users connected to this board right now (one entry per connection). */
  connectedUsers(): { userId: string; name: string; access: string }[] {
    return [...this.clients].flatMap((c) =>
      c.user && c.access ? [{ userId: c.user.userId, name: c.user.name, access: c.access }] : [],
    );
  }

  // ---- frames --------------------------------------------------------------------------------

  /** Handles one frame of a ready client. Throws ProtocolViolation for anything malformed. */
  handleFrame(client: BoardClient, frame: Uint8Array): void {
    if (this.state === 'rebuilding') {
      this.deferred.push(() => {
        if (client.state !== 'ready') return;
        try {
          this.handleFrame(client, frame);
        } catch (error) {
          client.failWith(error);
        }
      });
      return;
    }
    if (this.state !== 'ready') return;
    const decoder = decoding.createDecoder(frame);
    const type = readOrViolate(() => decoding.readVarUint(decoder));
    switch (type) {
      case MessageType.Sync:
        this.handleSync(client, decoder);
        return;
      case MessageType.Awareness: {
        const update = readOrViolate(() => decoding.readVarUint8Array(decoder));
        expectEnd(decoder);
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, update, client);
        } catch {
          throw new ProtocolViolation(CloseCode.ProtocolError, 'awareness update does not decode');
        }
        return;
      }
      case MessageType.QueryAwareness: {
        expectEnd(decoder);
        const states = [...this.awareness.getStates().keys()];
        client.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
        return;
      }
      case MessageType.Hello:
        throw new ProtocolViolation(CloseCode.ProtocolError, 'Hello may only be the first frame');
      default:
        throw new ProtocolViolation(CloseCode.ProtocolError, `unknown message type ${type}`);
    }
  }

  private handleSync(client: BoardClient, decoder: decoding.Decoder): void {
    const syncType = readOrViolate(() => decoding.readVarUint(decoder));
    switch (syncType) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = readOrViolate(() => decoding.readVarUint8Array(decoder));
        expectEnd(decoder);
        if (isEmptyStateVector(stateVector)) {
          client.send(this.fullState.frameFor(this.doc));
          return;
        }
        let diff: Uint8Array;
        try {
          diff = Y.encodeStateAsUpdate(this.doc, stateVector);
        } catch {
          throw new ProtocolViolation(CloseCode.ProtocolError, 'sync step 1 carries a state vector that does not decode');
        }
        client.send(encodeSyncStep2(diff));
        return;
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = readOrViolate(() => decoding.readVarUint8Array(decoder));
        expectEnd(decoder);
        // The client numbers every update frame it sends, whether or not we keep it.
        const seq = ++client.receivedUpdates;
        if (client.access !== 'editor') {
          this.deps.metrics.updatesDroppedFromViewers++;
          return;
        }
        this.applyClientUpdate(client, seq, update);
        return;
      }
      default:
        throw new ProtocolViolation(CloseCode.ProtocolError, `unknown sync message type ${syncType}`);
    }
  }

  private applyClientUpdate(client: BoardClient, seq: number, update: Uint8Array): void {
    // Decode fully before touching the document: most garbage stops here, with the doc untouched.
    try {
      Y.decodeUpdate(update);
    } catch {
      throw new ProtocolViolation(CloseCode.ProtocolError, 'update does not decode');
    }
    this.applying = client;
    this.emitted = null;
    try {
      Y.applyUpdate(this.doc, update, client);
    } catch (error) {
      this.applying = null;
      this.emitted = null;
      this.log.warn('an update decoded but failed to apply; rebuilding the board from storage', {
        client: client.id,
        userId: client.user?.userId,
        ...errorFields(error),
      });
      this.rebuild();
      throw new ProtocolViolation(CloseCode.ProtocolError, 'update was rejected by the document');
    }
    const emitted = this.emitted as Uint8Array | null;
    this.applying = null;
    this.emitted = null;
    // What became part of the doc goes to everyone else at the end of the turn, with the turn's other edits.
    if (emitted) {
      this.fanOut.update(emitted, client);
      this.deps.metrics.updateApplied();
    }
    // Only what is new goes to the log; what waits for missing dependencies goes to the pending row.
    this.notePendingRemainder();
    this.persist(client, seq, emitted);
  }

  /** Re-encodes the pending remainder when the doc's pending state changed; a new one is stored next batch. */
  private notePendingRemainder(docReplaced = false): void {
    const marker = pendingMarker(this.doc);
    if (!docReplaced && samePendingMarker(marker, this.pendingSeen)) return;
    // What waits for missing parts is part of a full encoding too, and changed without an update event.
    this.fullState.drop();
    this.pendingSeen = marker;
    const remainder = encodePendingRemainder(this.doc);
    if (sameBytes(remainder, this.pendingRemainder)) return;
    this.pendingRemainder = remainder;
    this.deps.persister.pendingChanged(this);
  }

  currentPendingRemainder(): Uint8Array | null {
    return this.pendingRemainder;
  }

  /** Stored pending parts that integrated on load are in the doc but in no log row: log them. */
  private adoptIntegratedFromPending(integrated: Uint8Array | null): void {
    if (integrated === null) return;
    this.log.info('stored pending updates integrated on load; appending them to the log', { bytes: integrated.byteLength });
    this.persist(null, 0, integrated);
    this.deps.persister.pendingChanged(this);
  }

  private readonly captureUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullState.drop();
    if (origin !== null && origin === this.applying) {
      this.emitted = this.emitted ? Y.mergeUpdates([this.emitted, update]) : update;
    }
  };

  private readonly relayAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const source = this.clients.has(origin as BoardClient) ? (origin as BoardClient) : null;
    if (source) {
      for (const id of added) source.awarenessIds.add(id);
      for (const id of removed) source.awarenessIds.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    this.fanOut.awareness(changed, source);
  };

  private readonly fanOut = new TurnFanOut<BoardClient>({
    relayUpdate: (update, except) => this.sendToReady(encodeSyncUpdate(update), except),
    relayAwareness: (clientIds, except) =>
      this.sendToReady(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientIds)), except),
  });

  private sendToReady(frame: Uint8Array, except: BoardClient | null): void {
    for (const client of this.clients) if (client !== except && client.state === 'ready') client.send(frame);
  }

  // ---- durability ----------------------------------------------------------------------------

  /**
   * Queues `bytes` for the log (null: nothing new, but the entry still confirms in order, and keeps the
   * board loaded until the batch that stores the pending remainder has committed). `client` is told
   * its update `seq` is durable once committed; null for what the server logs on its own account.
   */
  private persist(client: BoardClient | null, seq: number, bytes: Uint8Array | null): void {
    // Read now: storage may take the buffer over (move it to its writer thread).
    const byteLength = bytes?.byteLength ?? 0;
    const entry: PersistEntry = {
      boardId: this.boardId,
      bytes,
      committed: (storedSeq) => {
        if (storedSeq !== null) {
          this.lastCommittedSeq = Math.max(this.lastCommittedSeq, storedSeq);
          this.logBytes += byteLength;
        }
        this.unconfirmed.delete(entry);
        this.deps.persister.afterNextCommit(this.afterCommit);
        if (client) {
          client.markDurable(seq);
          this.deps.persister.afterNextCommit(client.savedHook);
        }
      },
    };
    this.unconfirmed.add(entry);
    this.deps.persister.enqueue(entry);
  }

  private readonly afterCommit = (): void => {
    this.markSummaryDirty();
    if (this.compactionDue()) this.deps.requestCompaction(this);
    this.checkIdle();
  };

  private compactionDue(): boolean {
    return compactionDue({
      rows: this.logLength,
      logBytes: this.logBytes,
      snapshotBytes: this.snapshotBytes,
      compactAfterUpdates: this.deps.compactAfterUpdates,
    });
  }

  /** Folds the log into a new snapshot. Runs from the hub's idle queue, never for an unloaded board. */
  async compact(): Promise<void> {
    if (this.state !== 'ready' || this.compacting || this.logLength <= 0) return;
    this.compacting = true;
    const uptoSeq = this.lastCommittedSeq;
    const foldedBytes = this.logBytes;
    const started = performance.now();
    try {
      // The doc holds every committed update (and maybe newer ones, which are harmless to include).
      // Encoding is the only part on the event loop; storage writes the snapshot and deletes the folded
      // rows in one transaction elsewhere (the SQLite writer thread), and may take over the bytes.
      const snapshot = Y.encodeStateAsUpdate(this.doc);
      const snapshotBytes = snapshot.byteLength;
      const encodeMs = performance.now() - started;
      const removed = await this.deps.storage.compactBoard(this.boardId, snapshot, uptoSeq, this.deps.clock());
      this.snapshotSeq = Math.max(this.snapshotSeq, uptoSeq);
      this.snapshotBytes = snapshotBytes;
      this.logBytes = Math.max(0, this.logBytes - foldedBytes);
      this.deps.metrics.compactions++;
      this.log.info('compacted board log', {
        removedUpdates: removed,
        snapshotBytes,
        encodeMs: Math.round(encodeMs * 10) / 10,
        ms: Math.round(performance.now() - started),
      });
      await this.refreshSummary();
    } catch (error) {
      this.log.error('compaction failed; the log stays as it is', { step: 'compactBoard', ...errorFields(error) });
    } finally {
      this.compacting = false;
      this.checkIdle();
    }
  }

  // ---- summary for search --------------------------------------------------------------------

  /**
   * Reading the whole board for its summary takes milliseconds per hundred cards, so it waits for a
   * pause in the edits (summaryRefreshDelayMs after the last store), and during a long stretch of
   * edits runs at most every summaryMaxDelayMs.
   */
  private markSummaryDirty(): void {
    const now = performance.now();
    if (!this.summaryDirty) this.summaryDirtySince = now;
    this.summaryDirty = true;
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    const latest = this.summaryDirtySince + this.deps.summaryMaxDelayMs;
    const delay = Math.max(0, Math.min(this.deps.summaryRefreshDelayMs, latest - now));
    this.summaryTimer = setTimeout(() => {
      this.summaryTimer = null;
      void this.refreshSummary();
    }, delay);
    this.summaryTimer.unref?.();
  }

  private refreshSummary(): Promise<void> {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = null;
    if (this.state !== 'ready') return Promise.resolve();
    this.summaryDirty = false;
    const summary = this.deps.summarize(this.doc);
    if (!summary) return Promise.resolve();
    return this.deps.storage.updateBoardSummary(this.boardId, summary).catch((error: unknown) => {
      this.log.warn('refreshing the board summary failed', { step: 'updateBoardSummary', ...errorFields(error) });
    });
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Tells the hub when nothing keeps this board in memory any more. */
  checkIdle(): void {
    if (this.clients.size > 0 || this.unconfirmed.size > 0 || this.compacting) return;
    if (this.state === 'ready' || this.state === 'broken') this.deps.idle(this);
  }

  /** Called by the hub once idle: stores the summary (the returned write) and frees the document. */
  unload(): Promise<void> {
    if (this.state === 'unloaded') return Promise.resolve();
    this.fanOut.flush();
    const summaryWritten = this.summaryDirty ? this.refreshSummary() : Promise.resolve();
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = null;
    this.state = 'unloaded';
    this.deferred = [];
    this.awareness.off('update', this.relayAwareness);
    this.awareness.destroy();
    this.doc.off('update', this.captureUpdate);
    this.doc.destroy();
    this.fullState.drop();
    return summaryWritten;
  }

  private rebuild(): void {
    if (this.state !== 'ready') return;
    // What earlier frames of this turn added is in the doc and valid: relay it before the doc goes.
    this.fanOut.flush();
    this.state = 'rebuilding';
    // Nothing joins `unconfirmed` while rebuilding (frames are deferred), so this copy is complete;
    // updates committed meanwhile are in storage and in the copy, which Yjs applies idempotently. The
    // pending remainder is the one from before the update that failed (it may not be stored yet).
    const replay = [...this.unconfirmed].flatMap((e) => (e.bytes ? [e.bytes] : []));
    const remainder = this.pendingRemainder;
    const started = performance.now();
    loadBoardDoc(this.deps.storage, this.boardId).then(
      (loaded) => {
        if (this.state !== 'rebuilding') {
          loaded.doc.destroy();
          return;
        }
        let integrated: Uint8Array | null = null;
        try {
          Y.transact(loaded.doc, () => {
            for (const update of replay) Y.applyUpdate(loaded.doc, update);
          });
          if (remainder) integrated = applyCapturingEmitted(loaded.doc, remainder);
        } catch (error) {
          loaded.doc.destroy();
          this.breakDown(error);
          return;
        }
        this.doc.off('update', this.captureUpdate);
        this.doc.destroy();
        this.fullState.drop();
        this.doc = loaded.doc;
        this.doc.on('update', this.captureUpdate);
        this.adoptIntegratedFromPending(loaded.integratedFromPending);
        this.adoptIntegratedFromPending(integrated);
        this.notePendingRemainder(true);
        this.snapshotSeq = loaded.snapshotSeq;
        this.lastCommittedSeq = Math.max(this.lastCommittedSeq, loaded.lastSeq);
        this.snapshotBytes = loaded.snapshotBytes;
        this.logBytes = loaded.logBytes;
        this.state = 'ready';
        this.deps.metrics.rebuilds++;
        this.log.info('board rebuilt from storage', { replayedUpdates: replay.length, ms: Math.round(performance.now() - started) });
        const deferred = this.deferred;
        this.deferred = [];
        for (const run of deferred) run();
        this.checkIdle();
      },
      (error: unknown) => this.breakDown(error),
    );
  }

  /** Not even storage gives a usable doc: stop serving this board (see the invariants above). */
  private breakDown(error: unknown): void {
    this.state = 'broken';
    this.deferred = [];
    this.log.error('the board could not be rebuilt; disconnecting its clients', { step: 'loadBoardState', ...errorFields(error) });
    for (const client of [...this.clients]) client.fail(CloseCode.LoadFailed, 'the board could not be reloaded; try again later');
    this.checkIdle();
  }
}

function readOrViolate<T>(read: () => T): T {
  try {
    return read();
  } catch {
    throw new ProtocolViolation(CloseCode.ProtocolError, 'frame is truncated or malformed');
  }
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new ProtocolViolation(CloseCode.ProtocolError, 'frame has trailing bytes');
}
