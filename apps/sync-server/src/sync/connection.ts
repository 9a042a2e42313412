// What the sync core needs from a transport. The ws binding implements it; tests could implement it
// with an in-memory pair. Nothing in the core knows about HTTP or WebSockets.
export interface Connection {
  send(frame: Uint8Array): void;
  /** Closes the transport; the transport later reports it through BoardClient.transportClosed(). */
  close(code: number, reason: string): void;
  /** Bytes queued for sending but not yet written (slow-reader protection). */
  readonly bufferedAmount: number;
  /** For logs only. */
  readonly remoteAddress: string | undefined;
}

/** WebSocket's standard "internal error" close code, for bugs rather than client mistakes. */
export const INTERNAL_ERROR_CLOSE_CODE = 1011;
