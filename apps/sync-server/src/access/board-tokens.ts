// Board share tokens: 256 random bits each, shown once at creation. Only their SHA-256 is stored, so a
// copy of the database does not grant access to any board. (High-entropy secrets need no slow hash.)
import { createHash, randomBytes } from 'node:crypto';

export function newBoardToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashBoardToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Cheap shape check before hashing anything a client sent. */
export function looksLikeBoardToken(token: unknown): token is string {
  return typeof token === 'string' && token.length >= 16 && token.length <= 256;
}
