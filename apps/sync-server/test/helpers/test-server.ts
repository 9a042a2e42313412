// One factory for every test: a quiet server on port 0 in its own temporary data directory, closed and
// deleted when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createRedstringServer, type RedstringServer, type ServerConfigInput, type ServerParts } from '../../src/index';

export interface TestServer extends RedstringServer {
  dataDir: string;
  /** Every log line the server wrote (parsed), for assertions about logging. */
  logs: Record<string, unknown>[];
  wsUrl: string;
}

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'redstring-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function startTestServer(config: ServerConfigInput = {}, parts: ServerParts = {}): Promise<TestServer> {
  const dataDir = config.dataDir ?? tempDataDir();
  const logs: Record<string, unknown>[] = [];
  const server = await createRedstringServer(
    { port: 0, host: '127.0.0.1', webBuildDir: null, logLevel: 'debug', ...config, dataDir },
    { logSink: (line) => logs.push(JSON.parse(line) as Record<string, unknown>), ...parts },
  );
  onTestFinished(() => server.close());
  return Object.assign(server, { dataDir, logs, wsUrl: server.url.replace(/^http/, 'ws') });
}
