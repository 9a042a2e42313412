// Origin allowlist for WebSocket and socket.io handshakes. Browsers always send Origin on these; a page on
// another site must not be able to open a board socket with a user's credentials. Requests without an
// Origin header come from non-browser clients (CLI, tests), which the board token still gates.

export type OriginDecision = { ok: true } | { ok: false; reason: string };

export function checkOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): OriginDecision {
  if (origin === undefined || origin === '') return { ok: true };
  if (allowed.includes('*')) return { ok: true };
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return { ok: false, reason: 'Origin header is not a URL' };
  }
  // Same origin: the page was served by this host (the Host header the browser used to reach us).
  if (host !== undefined && parsed.host.toLowerCase() === host.toLowerCase()) return { ok: true };
  const normalised = parsed.origin.toLowerCase();
  if (allowed.some((a) => a.replace(/\/+$/, '').toLowerCase() === normalised)) return { ok: true };
  return { ok: false, reason: `origin ${normalised} is not allowed` };
}
