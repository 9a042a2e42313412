// Client/server clock offset from round trips, NTP style: the sample with the shortest round trip has
// the least room for asymmetric delay, so it alone decides the offset.

export interface ClockSample {
  /** Client clock when the request left. */
  clientSentAt: number;
  /** Server clock when it answered. */
  serverTime: number;
  /** Client clock when the answer arrived. */
  clientReceivedAt: number;
}

export interface ClockEstimate {
  /** serverTime ≈ clientTime + offsetMs. 0 when no sample was usable. */
  offsetMs: number;
  /** Round trip of the sample used; Infinity when no sample was usable. */
  rttMs: number;
  /** How many samples were usable (finite, non-negative round trip). Additive to the contract. */
  samples: number;
}

export function estimateClockOffset(samples: readonly ClockSample[]): ClockEstimate {
  let best: { offsetMs: number; rttMs: number } | undefined;
  let usable = 0;
  for (const s of samples) {
    const rtt = s.clientReceivedAt - s.clientSentAt;
    if (!Number.isFinite(rtt) || rtt < 0 || !Number.isFinite(s.serverTime)) continue;
    usable++;
    // Assume the server answered halfway through the round trip.
    const offsetMs = s.serverTime - (s.clientSentAt + rtt / 2);
    if (!best || rtt < best.rttMs) best = { offsetMs, rttMs: rtt };
  }
  return best ? { ...best, samples: usable } : { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY, samples: 0 };
}
