// Session tokens crafted from the outside, for the authorization matrix. The format is the server's
// (apps/sync-server/src/access/sessions.ts): `v1.<base64url(JSON {u,n,c,iat})>.<base64url(HMAC-SHA256)>`.
// With the secret the suite configured (REDSTRING_SESSION_SECRET) it can sign a token that is genuine
// but expired; without it, it can only forge.
import { createHmac } from 'node:crypto';

export const testSessionSecret = 'fault-suite-session-secret-0123456789abcdef';

export function signSession(secret: string, payload: { u: string; n: string; c: string; iat: number }): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const signature = createHmac('sha256', secret).update(body, 'utf8').digest('base64url');
  return `v1.${body}.${signature}`;
}

/** The same token with its payload swapped for another user's, signature left as it was. */
export function tamperedSession(token: string, userId: string): string {
  const [version, body, signature] = token.split('.');
  const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...payload, u: userId }), 'utf8').toString('base64url');
  return `${version}.${forged}.${signature}`;
}
