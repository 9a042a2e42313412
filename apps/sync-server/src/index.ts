// @redstring/sync-server — start a server in-process with createRedstringServer, or run src/main.ts
// (compiled to dist/main.mjs by build.mjs).
export { createRedstringServer, DATABASE_FILE, type RedstringServer, type ServerParts } from './server';
export {
  configFromEnv,
  defaultConfig,
  resolveConfig,
  ConfigError,
  DEFAULT_LIMITS,
  ENVIRONMENT,
  type LimitsConfig,
  type ServerConfig,
  type ServerConfigInput,
} from './config';
export type {
  Storage,
  NewBoard,
  BoardRecord,
  StoredBoardState,
  BoardSummaryUpdate,
  BoardListing,
  MemberRecord,
  PendingToStore,
  CalloutInsertResult,
} from './storage/storage';
export { SqliteStorage } from './storage/sqlite-storage';
export { MemoryStorage } from './storage/memory-storage';
export { encodeHello, encodeSaved, encodeError, type ErrorFrame } from './sync/frames';
export type { Connection } from './sync/connection';
export { BoardHub } from './sync/board-hub';
export { LOG_LEVELS, type LogLevel, type LogSink } from './log';
