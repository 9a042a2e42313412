// The HMAC key for sessions. When not configured it is generated once and kept in the data directory,
// readable by the server's user only, so sessions survive restarts without anyone having to set it.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SESSION_SECRET_FILE = 'session-secret';

export function loadOrCreateSessionSecret(dataDir: string): string {
  const path = join(dataDir, SESSION_SECRET_FILE);
  if (existsSync(path)) {
    // Tighten permissions that were loosened by hand (e.g. a copy with a permissive umask).
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const secret = readFileSync(path, 'utf8').trim();
    if (secret.length >= 32) return secret;
    throw new Error(`${path} holds a session secret shorter than 32 characters; delete it to generate a new one`);
  }
  const secret = randomBytes(48).toString('base64url');
  // 'wx' fails if another process created it meanwhile; mode applies to the new file.
  writeFileSync(path, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
