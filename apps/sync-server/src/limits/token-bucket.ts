// Per-connection message rate limit. A token bucket allows short bursts (a paste, a drag) while capping
// the sustained rate, so one client cannot monopolise the event loop.
//
// Frames are counted when the server reads them, not when the client sent them. After a stall (the
// server's event loop was blocked, or the network held the connection's packets), frames an honest client
// sent at its normal pace arrive together. So the refill earned over a gap between reads is not capped at
// `burst`: a gap of g seconds lets up to rate × g frames through at once (g at most `catchUpSeconds`).
// A flood has no gaps — it keeps the connection busy — so it still meets the plain `burst` cap, and over
// any interval a connection gets at most rate × (interval + catchUpSeconds) + burst frames.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: () => number,
    /** The longest gap between reads whose refill may exceed `burst`. */
    private readonly catchUpSeconds = 0,
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  take(cost = 1): boolean {
    const now = this.clock();
    const gapSeconds = Math.max(0, (now - this.last) / 1000);
    this.last = now;
    const cap = Math.max(this.burst, this.ratePerSecond * Math.min(gapSeconds, this.catchUpSeconds));
    // Tokens above `burst` earned by a gap stay until used: the burst that follows a stall arrives in
    // many reads with no gap between them.
    if (this.tokens < cap) this.tokens = Math.min(cap, this.tokens + gapSeconds * this.ratePerSecond);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}
