// Signed sessions: a display name and colour bound to a user id, signed with HMAC-SHA256 so the server
// needs no session table. Format: `v1.<base64url(JSON payload)>.<base64url(signature)>`.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { COLOR_PATTERN, NAME_MAX_LENGTH, type SessionUser } from '@redstring/model';

interface SessionPayload {
  /** user id */
  u: string;
  /** display name */
  n: string;
  /** colour */
  c: string;
  /** issued at, ms */
  iat: number;
}

export type SessionCheck = { ok: true; user: SessionUser; issuedAt: number } | { ok: false; reason: string };

export type ProfileCheck = { ok: true; name: string; color: string } | { ok: false; message: string };

/** Validates the name and colour a user asks for (the session body of POST /api/session). */
export function checkProfile(name: unknown, color: unknown): ProfileCheck {
  if (typeof name !== 'string' || name.trim() === '' || name.length > NAME_MAX_LENGTH) {
    return { ok: false, message: `name must be a non-empty string of at most ${NAME_MAX_LENGTH} characters` };
  }
  if (typeof color !== 'string' || !COLOR_PATTERN.test(color)) {
    return { ok: false, message: 'color must be a CSS colour such as #e4572e' };
  }
  return { ok: true, name: name.trim(), color };
}

export class SessionSigner {
  constructor(
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  issue(profile: { name: string; color: string }, userId: string = newUserId()): { token: string; user: SessionUser } {
    const payload: SessionPayload = { u: userId, n: profile.name, c: profile.color, iat: this.clock() };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return { token: `v1.${body}.${this.sign(body)}`, user: { userId, name: profile.name, color: profile.color } };
  }

  verify(token: unknown): SessionCheck {
    if (typeof token !== 'string' || token.length > 2048) return { ok: false, reason: 'missing or oversized session token' };
    const [version, body, signature, extra] = token.split('.');
    if (version !== 'v1' || !body || !signature || extra !== undefined) return { ok: false, reason: 'malformed session token' };
    const expected = Buffer.from(this.sign(body), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'session token signature does not match' };
    }
    let payload: SessionPayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionPayload;
    } catch {
      return { ok: false, reason: 'malformed session token' };
    }
    if (typeof payload.u !== 'string' || typeof payload.n !== 'string' || typeof payload.c !== 'string' || typeof payload.iat !== 'number') {
      return { ok: false, reason: 'malformed session token' };
    }
    if (this.clock() - payload.iat > this.ttlMs) return { ok: false, reason: 'session expired' };
    return { ok: true, user: { userId: payload.u, name: payload.n, color: payload.c }, issuedAt: payload.iat };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body, 'utf8').digest('base64url');
  }
}

/** User ids are opaque and match the model's id pattern. */
export function newUserId(): string {
  return `u_${randomUUID().replaceAll('-', '')}`;
}
