// Wires the parts into one server: storage, access, the sync core, callouts, socket.io and HTTP on one
// port. Everything hangs off the returned instance (no module state), so tests can run several at once.
import { mkdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Server as SocketIoServer } from 'socket.io';
import { MemberRegistry } from './access/member-registry';
import { loadOrCreateSessionSecret } from './access/session-secret';
import { SessionSigner } from './access/sessions';
import { BoardService } from './boards/board-service';
import { readBoardSnapshot, summarizeBoard } from './boards/board-summary';
import { CalloutService } from './callouts/callout-service';
import { EscalationScheduler } from './callouts/escalation-scheduler';
import { resolveConfig, type ServerConfig, type ServerConfigInput } from './config';
import { createApiHandler } from './http/api';
import { attachBoardSockets } from './http/board-socket';
import { sendError } from './http/json';
import { loadWebApp } from './http/web-app';
import { createLogger, errorFields, type LogSink, type Logger } from './log';
import { loadCHeapTrim } from './malloc-trim';
import { MemoryReleaser } from './memory-release';
import { Metrics, type MetricsSources } from './metrics';
import { SocketIoNotifier, createSocketIoServer } from './realtime/socket-io-server';
import { SqliteStorage } from './storage/sqlite-storage';
import type { Storage } from './storage/storage';
import { BoardHub } from './sync/board-hub';

export const DATABASE_FILE = 'redstring.db';

/** Parts a caller may supply instead of the defaults (tests, benchmarks, other storage backends). */
export interface ServerParts {
  /** Defaults to SQLite at `<dataDir>/redstring.db`. The server closes it on close(). */
  storage?: Storage;
  clock?: () => number;
  /** Where JSON log lines go; defaults to stdout. */
  logSink?: LogSink;
}

export interface RedstringServer {
  readonly config: ServerConfig;
  /** The port actually listened on (useful with port 0). */
  readonly port: number;
  /** http://host:port, with 127.0.0.1 for a wildcard host. */
  readonly url: string;
  readonly storage: Storage;
  readonly hub: BoardHub;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Stops accepting, stores everything pending, closes every socket (ServerShutdown), closes storage. */
  close(): Promise<void>;
}

export async function createRedstringServer(input: ServerConfigInput = {}, parts: ServerParts = {}): Promise<RedstringServer> {
  const config = resolveConfig(input);
  const clock = parts.clock ?? Date.now;
  const log = createLogger({ level: config.logLevel, ...(parts.logSink ? { sink: parts.logSink } : {}) });
  const metrics = new Metrics(clock);

  const storage =
    parts.storage ??
    (await (() => {
      mkdirSync(config.dataDir, { recursive: true });
      return SqliteStorage.open(join(config.dataDir, DATABASE_FILE), {
        reportCorrupt: (what) => log.error('skipping a stored record that cannot be read', what),
        // Writes in flight are rejected: updates stay in memory unconfirmed and are retried, no Saved is sent.
        crashed: (error, restartInMs) => {
          metrics.storageWriterCrashes++;
          log.error('the storage writer thread died; unsaved edits stay in memory and are retried', {
            step: 'storageWriter',
            restartInMs,
            ...errorFields(error),
          });
        },
        restarted: () => log.info('the storage writer thread is running again', { step: 'storageWriter' }),
        restartFailed: (error, retryInMs) =>
          log.error('restarting the storage writer thread failed', { step: 'storageWriter', retryInMs, ...errorFields(error) }),
      });
    })());
  let secret = config.sessionSecret;
  if (secret === null) {
    mkdirSync(config.dataDir, { recursive: true });
    secret = loadOrCreateSessionSecret(config.dataDir);
  }
  const sessions = new SessionSigner(secret, config.sessionTtlMs, clock);

  const members = new MemberRegistry(storage, clock);
  const hub = new BoardHub({
    storage,
    sessions,
    members,
    log,
    metrics,
    clock,
    limits: config.limits,
    compactAfterUpdates: config.compactAfterUpdates,
    storeCommitIntervalMs: config.storeCommitIntervalMs,
    summaryRefreshDelayMs: config.summaryRefreshDelayMs,
    summaryMaxDelayMs: config.summaryMaxDelayMs,
    summarize: (doc) => {
      try {
        return summarizeBoard(readBoardSnapshot(doc));
      } catch (error) {
        log.warn('reading a board for its summary failed', errorFields(error));
        return null;
      }
    },
    // No board unloads before the server is set up, so `memory` exists by then.
    boardUnloaded: () => memory.boardUnloaded(),
  });
  const cHeap = loadCHeapTrim();
  if ('unavailable' in cHeap) log.info('freed C heap pages are not handed back to the system', { why: cHeap.unavailable });
  const memory = new MemoryReleaser({
    loadedBoards: () => hub.loadedBoardCount,
    log,
    collected: () => metrics.memoryCollections++,
    releaseStorageMemory: storage.releaseMemory?.bind(storage),
    trimCHeap: 'trim' in cHeap ? cHeap.trim : null,
  });
  const boards = new BoardService(storage, hub, members, clock);
  const notifier = new SocketIoNotifier(config.calloutDigestMs);
  // The scheduler is created after the service it drives; the service only needs to poke it.
  let scheduler: EscalationScheduler | null = null;
  const callouts = new CalloutService(storage, clock, log, metrics, notifier, () => scheduler?.poke());
  scheduler = new EscalationScheduler(callouts, storage, clock, log);

  const httpServer: HttpServer = createServer();
  let io: SocketIoServer | null = null;
  const metricsSources: MetricsSources = {
    boardConnections: () => hub.connectionCount,
    loadedBoards: () => hub.loadedBoardCount,
    fullStateCacheBytes: () => hub.fullStateBudget.heldBytes,
    socketIoConnections: () => io?.engine.clientsCount ?? 0,
    pendingStores: () => hub.persister.pending,
    pendingCallouts: () => storage.countPendingCallouts(),
  };
  const api = createApiHandler({
    sessions,
    boards,
    storage,
    metrics,
    metricsSources,
    log,
    clock,
    maxBodyBytes: config.limits.maxHttpBodyBytes,
  });
  const web = await loadWebApp(config.webBuildDir, log);
  let closing = false;

  httpServer.on('request', (req, res) => {
    // socket.io answers its own path (its listener is registered on the same server).
    if ((req.url ?? '').startsWith('/socket.io/')) return;
    if (closing) {
      res.setHeader('connection', 'close');
      sendError(res, 503, 'shutting-down', 'the server is shutting down');
      return;
    }
    void api(req, res).then((handled) => {
      if (handled) return;
      web(req, res, () => {
        if (!res.headersSent) sendError(res, 404, 'not-found', 'not found');
      });
    });
  });
  httpServer.on('clientError', (error, socket) => {
    log.debug('malformed HTTP request', { error: error.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  io = createSocketIoServer(httpServer, notifier, {
    sessions,
    members,
    callouts,
    boards,
    storage,
    allowedOrigins: config.allowedOrigins,
    limits: config.limits,
    log,
    clock,
  });
  const boardSockets = attachBoardSockets(httpServer, hub, { allowedOrigins: config.allowedOrigins, limits: config.limits, log });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // Not listening (port taken, …): release what was started, the writer thread included.
    boardSockets.close();
    io.close();
    if (!parts.storage) await storage.close();
    metrics.stop();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  const urlHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  scheduler.start();

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      log.info('shutting down: storing pending updates, then closing connections');
      httpServer.close();
      await scheduler?.stop();
      notifier.flush();
      const flushed = await hub.close(config.shutdownFlushTimeoutMs);
      boardSockets.close();
      await new Promise<void>((resolve) => io?.close(() => resolve()) ?? resolve());
      httpServer.closeAllConnections();
      await storage.close();
      memory.stop();
      metrics.stop();
      log.info('shut down', { allUpdatesStored: flushed });
    })();
    return closed;
  };

  return {
    config,
    port,
    url: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`,
    storage,
    hub,
    metrics,
    log,
    close,
  };
}
