// Server configuration: one typed object with documented defaults, and the environment parser that
// fills it for src/main.ts. Tests and benchmarks pass a partial config to createRedstringServer.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel } from './log';
import { LOG_LEVELS } from './log';
import { CALLOUT_DIGEST_MS } from '@redstring/model';

export interface LimitsConfig {
  /** Largest WebSocket frame accepted, in bytes. A whole board arrives in one frame on first sync. */
  maxPayloadBytes: number;
  /** Sustained WebSocket messages per second per connection (token bucket refill rate). */
  messagesPerSecond: number;
  /** Burst of WebSocket messages a connection may send at once (token bucket size). */
  messageBurst: number;
  /**
   * After a gap of g seconds between reads of a connection (a server stall, a network hiccup), up to
   * messagesPerSecond × g frames may arrive at once, g at most this: they were sent at the normal pace
   * and only read together. Floods have no gaps and still meet `messageBurst`.
   */
  messageCatchUpSeconds: number;
  /** A WebSocket that has not sent a valid Hello frame by then is closed (Unauthorized). */
  authTimeoutMs: number;
  /** Largest JSON body accepted on the HTTP API. */
  maxHttpBodyBytes: number;
  /** Bytes a client may have queued before its board is loaded. */
  maxQueuedBytesBeforeReady: number;
  /** A client that does not read its frames (send buffer above this) is disconnected. */
  maxBufferedBytes: number;
  /** socket.io requests per second per socket (token bucket refill), and burst. */
  socketRequestsPerSecond: number;
  socketRequestBurst: number;
}

export interface ServerConfig {
  /** TCP port; 0 picks a free one (the actual port is on the server object and in the "listening" log line). */
  port: number;
  host: string;
  /** Where the SQLite file and the generated session secret live. */
  dataDir: string;
  /** Origins allowed besides the server's own (exact `scheme://host[:port]`; `*` allows any). */
  allowedOrigins: string[];
  /** SvelteKit adapter-node build directory (contains handler.js); null serves no web app. */
  webBuildDir: string | null;
  logLevel: LogLevel;
  /** HMAC key for session tokens; when absent it is generated once and kept in dataDir (mode 0600). */
  sessionSecret: string | null;
  /** How long a session token stays valid. */
  sessionTtlMs: number;
  /** Fold a board's update log into its snapshot once it has more rows than this. */
  compactAfterUpdates: number;
  /**
   * Under sustained load, store commits start at least this far apart (each is an fsync); an edit after
   * a quiet moment is committed at once. Bounds commits to 1000 / this per second.
   */
  storeCommitIntervalMs: number;
  /** How long after the last store a board's search text and summary are refreshed. */
  summaryRefreshDelayMs: number;
  /** While edits keep coming (no pause of summaryRefreshDelayMs), the summary is refreshed this often. */
  summaryMaxDelayMs: number;
  /** How long shutdown waits for pending stores before giving up (they are logged as lost then). */
  shutdownFlushTimeoutMs: number;
  /** Callout changes reach a board's other members batched, one digest per board per this window. */
  calloutDigestMs: number;
  limits: LimitsConfig;
}

/** Partial at the top level and inside `limits`, so callers override only what they need. */
export type ServerConfigInput = Partial<Omit<ServerConfig, 'limits'>> & { limits?: Partial<LimitsConfig> };

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_LIMITS: LimitsConfig = {
  // 16 MiB: the first sync step 2 of a large board (thousands of cards) is one frame; bigger frames are
  // more likely an attack on memory than a board.
  maxPayloadBytes: 16 * 1024 * 1024,
  // Typing and dragging produce an update and an awareness message per animation frame (≈ 120/s at
  // worst); 200/s sustained with a burst of 400 leaves honest clients alone and stops floods.
  messagesPerSecond: 200,
  messageBurst: 400,
  // A multi-second stall (a huge board loading, the machine swapping) must not disconnect everyone who
  // kept typing meanwhile; 10 s at 200/s bounds what one connection can queue up to 2,000 frames.
  messageCatchUpSeconds: 10,
  authTimeoutMs: 10_000,
  // JSON bodies are small (names, titles); 64 KiB stops memory abuse through the API.
  maxHttpBodyBytes: 64 * 1024,
  maxQueuedBytesBeforeReady: 32 * 1024 * 1024,
  maxBufferedBytes: 64 * 1024 * 1024,
  socketRequestsPerSecond: 20,
  socketRequestBurst: 60,
};

export function defaultConfig(): ServerConfig {
  return {
    port: 3000,
    host: '0.0.0.0',
    dataDir: resolve('data'),
    allowedOrigins: [],
    webBuildDir: join(packageDir, '..', 'web', 'build'),
    logLevel: 'info',
    sessionSecret: null,
    sessionTtlMs: 90 * 24 * 3600 * 1000,
    compactAfterUpdates: 500,
    // Each commit is an fsync and a few ms of CPU (mostly in the kernel). 25 ms: S1 (10 clients dragging)
    // measured 41 commits/s, save p95 29 ms, server CPU 44-50% against 52% at 10 ms (100 commits/s).
    storeCommitIntervalMs: 25,
    summaryRefreshDelayMs: 2_000,
    summaryMaxDelayMs: 30_000,
    shutdownFlushTimeoutMs: 10_000,
    calloutDigestMs: CALLOUT_DIGEST_MS,
    limits: { ...DEFAULT_LIMITS },
  };
}

export function resolveConfig(input: ServerConfigInput = {}): ServerConfig {
  const base = defaultConfig();
  const { limits, ...rest } = input;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const definedLimits = Object.fromEntries(Object.entries(limits ?? {}).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, limits: { ...base.limits, ...definedLimits } };
}

/** Environment variable → config field, with the parser for each. Documented in README.md. */
export const ENVIRONMENT = {
  PORT: 'port',
  HOST: 'host',
  REDSTRING_DATA_DIR: 'dataDir',
  REDSTRING_ALLOWED_ORIGINS: 'allowedOrigins',
  REDSTRING_WEB_BUILD: 'webBuildDir',
  REDSTRING_LOG_LEVEL: 'logLevel',
  REDSTRING_SESSION_SECRET: 'sessionSecret',
  REDSTRING_SESSION_TTL_HOURS: 'sessionTtlMs',
  REDSTRING_COMPACT_AFTER_UPDATES: 'compactAfterUpdates',
  REDSTRING_STORE_COMMIT_INTERVAL_MS: 'storeCommitIntervalMs',
  REDSTRING_MAX_PAYLOAD_BYTES: 'limits.maxPayloadBytes',
  REDSTRING_MESSAGES_PER_SECOND: 'limits.messagesPerSecond',
  REDSTRING_MESSAGE_BURST: 'limits.messageBurst',
  REDSTRING_MESSAGE_CATCHUP_SECONDS: 'limits.messageCatchUpSeconds',
  REDSTRING_AUTH_TIMEOUT_MS: 'limits.authTimeoutMs',
  REDSTRING_MAX_HTTP_BODY_BYTES: 'limits.maxHttpBodyBytes',
} as const;

export class ConfigError extends Error {}

function integer(name: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Reads the process environment; throws ConfigError with the variable's name on a bad value. */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfigInput {
  const config: ServerConfigInput = {};
  const limits: Partial<LimitsConfig> = {};
  const value = (name: keyof typeof ENVIRONMENT): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw;
  };
  let raw: string | undefined;
  if ((raw = value('PORT')) !== undefined) config.port = integer('PORT', raw, 0, 65535);
  if ((raw = value('HOST')) !== undefined) config.host = raw.trim();
  if ((raw = value('REDSTRING_DATA_DIR')) !== undefined) config.dataDir = resolve(raw.trim());
  if ((raw = value('REDSTRING_ALLOWED_ORIGINS')) !== undefined) {
    config.allowedOrigins = raw
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '');
  }
  if ((raw = value('REDSTRING_WEB_BUILD')) !== undefined) config.webBuildDir = resolve(raw.trim());
  if ((raw = value('REDSTRING_LOG_LEVEL')) !== undefined) {
    const level = raw.trim() as LogLevel;
    if (!LOG_LEVELS.includes(level)) {
      throw new ConfigError(`REDSTRING_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`);
    }
    config.logLevel = level;
  }
  if ((raw = value('REDSTRING_SESSION_SECRET')) !== undefined) {
    if (raw.length < 32) throw new ConfigError('REDSTRING_SESSION_SECRET must be at least 32 characters');
    config.sessionSecret = raw;
  }
  if ((raw = value('REDSTRING_SESSION_TTL_HOURS')) !== undefined) {
    config.sessionTtlMs = integer('REDSTRING_SESSION_TTL_HOURS', raw, 1, 24 * 3650) * 3600 * 1000;
  }
  if ((raw = value('REDSTRING_COMPACT_AFTER_UPDATES')) !== undefined) {
    config.compactAfterUpdates = integer('REDSTRING_COMPACT_AFTER_UPDATES', raw, 1);
  }
  if ((raw = value('REDSTRING_STORE_COMMIT_INTERVAL_MS')) !== undefined) {
    config.storeCommitIntervalMs = integer('REDSTRING_STORE_COMMIT_INTERVAL_MS', raw, 0, 1000);
  }
  if ((raw = value('REDSTRING_MAX_PAYLOAD_BYTES')) !== undefined) {
    limits.maxPayloadBytes = integer('REDSTRING_MAX_PAYLOAD_BYTES', raw, 1024, 1024 * 1024 * 1024);
  }
  if ((raw = value('REDSTRING_MESSAGES_PER_SECOND')) !== undefined) {
    limits.messagesPerSecond = integer('REDSTRING_MESSAGES_PER_SECOND', raw, 1);
  }
  if ((raw = value('REDSTRING_MESSAGE_BURST')) !== undefined) limits.messageBurst = integer('REDSTRING_MESSAGE_BURST', raw, 1);
  if ((raw = value('REDSTRING_MESSAGE_CATCHUP_SECONDS')) !== undefined) {
    limits.messageCatchUpSeconds = integer('REDSTRING_MESSAGE_CATCHUP_SECONDS', raw, 0, 3600);
  }
  if ((raw = value('REDSTRING_AUTH_TIMEOUT_MS')) !== undefined) {
    limits.authTimeoutMs = integer('REDSTRING_AUTH_TIMEOUT_MS', raw, 100);
  }
  if ((raw = value('REDSTRING_MAX_HTTP_BODY_BYTES')) !== undefined) {
    limits.maxHttpBodyBytes = integer('REDSTRING_MAX_HTTP_BODY_BYTES', raw, 1024);
  }
  if (Object.keys(limits).length > 0) config.limits = limits;
  return config;
}
