// The transport-independent core: accepts connections, authenticates their Hello, loads boards (once,
// however many clients arrive together), hands clients to their BoardSession, and unloads idle boards.
import type * as Y from 'yjs';
import { CloseCode, type AuthRequest } from '@redstring/model';
import { hashBoardToken, looksLikeBoardToken } from '../access/board-tokens';
import type { MemberRegistry } from '../access/member-registry';
import type { OriginDecision } from '../access/origin';
import type { SessionSigner } from '../access/sessions';
import type { LimitsConfig } from '../config';
import type { Logger } from '../log';
import { errorFields } from '../log';
import type { Metrics } from '../metrics';
import type { BoardSummaryUpdate, Storage } from '../storage/storage';
import { BoardClient, closeCodeName, type ClientJoiner } from './board-client';
import { BoardSession } from './board-session';
import type { Connection } from './connection';
import { ProtocolViolation } from './frames';
import { FullStateBudget } from './full-state-cache';
import { BoardLoadError, BoardNotFound, loadBoardDoc } from './load-board-doc';
import { UpdatePersister } from './update-persister';

export interface BoardHubOptions {
  storage: Storage;
  sessions: SessionSigner;
  members: MemberRegistry;
  log: Logger;
  metrics: Metrics;
  clock: () => number;
  limits: LimitsConfig;
  compactAfterUpdates: number;
  storeCommitIntervalMs: number;
  summaryRefreshDelayMs: number;
  summaryMaxDelayMs: number;
  summarize(doc: Y.Doc): BoardSummaryUpdate | null;
  /** Told after a board left memory. */
  boardUnloaded?(): void;
}

export class BoardHub implements ClientJoiner {
  readonly persister: UpdatePersister;
  readonly fullStateBudget = new FullStateBudget();
  private readonly sessions = new Map<string, BoardSession>();
  private readonly loading = new Map<string, Promise<BoardSession>>();
  private readonly clients = new Set<BoardClient>();
  private readonly compactionQueue: BoardSession[] = [];
  private compactionRunning = false;
  private readonly pendingWrites = new Set<Promise<void>>();
  private clientCounter = 0;
  closing = false;

  constructor(private readonly options: BoardHubOptions) {
    this.persister = new UpdatePersister(options.storage, options.log, options.metrics, options.clock, options.storeCommitIntervalMs);
  }

  get connectionCount(): number {
    return this.clients.size;
  }

  get loadedBoardCount(): number {
    return this.sessions.size;
  }

  isLoaded(boardId: string): boolean {
    return this.sessions.has(boardId);
  }

  /** The in-memory document of a loaded, healthy board (newer than storage by the unsaved updates). */
  loadedDoc(boardId: string): Y.Doc | null {
    const session = this.sessions.get(boardId);
    return session?.state === 'ready' ? session.doc : null;
  }

  connectedUsers(boardId: string): { userId: string; name: string; access: string }[] {
    return this.sessions.get(boardId)?.connectedUsers() ?? [];
  }

  /** A new transport connection for `/ws/board/:boardId`. The returned client receives its frames. */
  connect(connection: Connection, boardId: string, origin: OriginDecision): BoardClient {
    const client = new BoardClient(
      `c${++this.clientCounter}`,
      connection,
      boardId,
      this,
      this.options.limits,
      this.options.log,
      this.options.clock,
    );
    this.clients.add(client);
    if (this.closing) client.fail(CloseCode.ServerShutdown, 'the server is shutting down; reconnect');
    else if (!origin.ok) client.fail(CloseCode.Forbidden, origin.reason);
    return client;
  }

  async join(client: BoardClient, auth: AuthRequest): Promise<void> {
    const { storage, sessions, log } = this.options;
    const session = sessions.verify(auth.sessionToken);
    if (!session.ok) throw new ProtocolViolation(CloseCode.Unauthorized, `session: ${session.reason}`);
    client.user = session.user;
    if (!looksLikeBoardToken(auth.boardToken)) throw new ProtocolViolation(CloseCode.Unauthorized, 'board token is not valid');
    let grant;
    try {
      grant = await storage.findBoardByTokenHash(hashBoardToken(auth.boardToken));
      if (grant && grant.boardId !== client.boardId && !(await storage.getBoard(client.boardId))) {
        throw new ProtocolViolation(CloseCode.NotFound, 'no such board');
      }
    } catch (error) {
      if (error instanceof ProtocolViolation) throw error;
      log.error('checking a board token failed', { step: 'findBoardByTokenHash', boardId: client.boardId, ...errorFields(error) });
      throw new ProtocolViolation(CloseCode.LoadFailed, 'the board could not be loaded; try again later');
    }
    if (!grant) throw new ProtocolViolation(CloseCode.Unauthorized, 'board token is not valid');
    if (grant.boardId !== client.boardId) throw new ProtocolViolation(CloseCode.Forbidden, 'the token is for another board');
    client.access = grant.access;
    if (client.state !== 'joining') return;
    const board = await this.acquire(client.boardId);
    if (client.state !== 'joining' || this.closing) {
      if (this.closing) client.fail(CloseCode.ServerShutdown, 'the server is shutting down; reconnect');
      board.checkIdle();
      return;
    }
    this.recordMember({ userId: session.user.userId, userName: session.user.name, boardId: client.boardId, access: grant.access });
    board.attach(client);
  }

  /** Remembers who opened which board (board lists, callout permissions); the join does not wait for it. */
  private recordMember(member: { userId: string; userName: string; boardId: string; access: 'editor' | 'viewer' }): void {
    this.track(
      this.options.members.record(member).catch((error: unknown) => {
        this.options.log.warn('recording board membership failed', { step: 'touchMember', boardId: member.boardId, ...errorFields(error) });
      }),
    );
  }

  clientClosed(client: BoardClient, code: number | null): void {
    this.clients.delete(client);
    if (code !== null) this.options.metrics.connectionClosed(closeCodeName(code));
    client.session?.detach(client);
  }

  /** The loaded session of a board, loading it from storage if needed (one load per board at a time). */
  private async acquire(boardId: string): Promise<BoardSession> {
    const existing = this.sessions.get(boardId);
    if (existing) {
      if (existing.state === 'broken') {
        throw new ProtocolViolation(CloseCode.LoadFailed, 'the board is recovering from a storage error; try again later');
      }
      return existing;
    }
    let pending = this.loading.get(boardId);
    if (!pending) {
      const started = performance.now();
      pending = loadBoardDoc(this.options.storage, boardId)
        .then((loaded) => {
          const session = new BoardSession(boardId, loaded, {
            ...this.options,
            persister: this.persister,
            fullStateBudget: this.fullStateBudget,
            requestCompaction: (s) => this.requestCompaction(s),
            idle: (s) => this.unload(s),
          });
          this.sessions.set(boardId, session);
          this.options.log.info('board loaded', {
            boardId,
            logLength: session.logLength,
            ms: Math.round(performance.now() - started),
          });
          return session;
        })
        .finally(() => this.loading.delete(boardId));
      this.loading.set(boardId, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (error instanceof BoardNotFound) throw new ProtocolViolation(CloseCode.NotFound, 'no such board');
      this.options.log.error('loading a board failed', {
        step: 'loadBoardState',
        boardId,
        ...errorFields(error),
      });
      const message = error instanceof BoardLoadError ? error.message : 'unexpected error';
      throw new ProtocolViolation(CloseCode.LoadFailed, `the board could not be loaded (${message}); try again later`);
    }
  }

  private unload(session: BoardSession): void {
    if (this.sessions.get(session.boardId) !== session) return;
    this.sessions.delete(session.boardId);
    const index = this.compactionQueue.indexOf(session);
    if (index >= 0) this.compactionQueue.splice(index, 1);
    this.track(session.unload());
    this.options.log.info('board unloaded', { boardId: session.boardId });
    this.options.boardUnloaded?.();
  }

  /** Compactions run one at a time, each on its own event-loop turn, so no board stalls the others. */
  private requestCompaction(session: BoardSession): void {
    if (this.compactionQueue.includes(session)) return;
    this.compactionQueue.push(session);
    this.runCompactions();
  }

  private runCompactions(): void {
    if (this.compactionRunning || this.closing) return;
    const next = this.compactionQueue.shift();
    if (!next) return;
    this.compactionRunning = true;
    setImmediate(() => {
      const done = next.compact();
      this.track(done);
      void done.finally(() => {
        this.compactionRunning = false;
        this.runCompactions();
      });
    });
  }

  private track(write: Promise<void>): void {
    this.pendingWrites.add(write);
    void write.finally(() => this.pendingWrites.delete(write));
  }

  /**
   * Shutdown: stop taking frames, commit everything applied (so clients get their Saved), then close
   * every connection with ServerShutdown and free the boards. Resolves false if stores did not finish.
   */
  async close(timeoutMs: number): Promise<boolean> {
    this.closing = true;
    this.persister.retryNow();
    let timer: NodeJS.Timeout | undefined;
    const flushed = await Promise.race([
      this.persister.idle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!flushed) {
      this.options.log.error('shutdown: updates could not be stored before the timeout', {
        step: 'appendUpdates',
        pendingUpdates: this.persister.pending,
      });
    }
    for (const client of [...this.clients]) client.fail(CloseCode.ServerShutdown, 'the server is shutting down; reconnect');
    for (const session of [...this.sessions.values()]) {
      this.sessions.delete(session.boardId);
      this.track(session.unload());
    }
    this.persister.dispose();
    await Promise.allSettled([...this.pendingWrites]);
    return flushed;
  }
}
