// A board fans each update out to everyone on it: the same bytes, framed for each recipient. `ws` would
// wrap every send in its own header and two writes; instead the WebSocket frame is built once and the
// same buffer is written to every socket. Server frames are unmasked, so one frame fits all.
// Consecutive sends of the same payload (a fan-out loop) share the frame through a one-entry cache.

const FIN_BINARY = 0x82;

/** The complete unmasked binary WebSocket frame (RFC 6455 §5.2) carrying `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = FIN_BINARY;
  if (headerBytes === 2) {
    frame[1] = length;
  } else if (headerBytes === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, headerBytes);
  return frame;
}

export class FrameOnce {
  private lastPayload: Uint8Array | null = null;
  private lastFrame: Buffer | null = null;

  /** The frame for `payload`, built again only when the payload is a different object. */
  frame(payload: Uint8Array): Buffer {
    if (payload !== this.lastPayload || !this.lastFrame) {
      this.lastPayload = payload;
      this.lastFrame = binaryFrame(payload);
    }
    return this.lastFrame;
  }
}
