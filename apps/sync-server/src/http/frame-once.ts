// A board fans each update out to everyone on it: the same bytes, framed for each recipient. `ws` would
// wrap every send in its own header and two writes; instead the WebSocket frame is built once and the
// same buffer is written to every socket. Server frames are unmasked, so one frame fits all.

const FIN_BINARY = 0x82;
const FIN_TEXT = 0x81;

/** The complete unmasked binary WebSocket frame (RFC 6455 §5.2) carrying `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer {
  return unmaskedFrame(FIN_BINARY, payload);
}

/** The same for a text frame (`payload` is UTF-8). */
export function textFrame(payload: Uint8Array): Buffer {
  return unmaskedFrame(FIN_TEXT, payload);
}

function unmaskedFrame(firstByte: number, payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = firstByte;
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
  // Keyed by the payload object: a fan-out's entry goes with its payload, and a long-lived payload (the
  // whole board shared by a burst of joiners) keeps its frame across other boards' traffic, instead of
  // a 2 MB copy per join that the collector must then chase.
  private readonly frames = new WeakMap<Uint8Array, Buffer>();

  /** The frame for `payload`, built once per payload object. */
  frame(payload: Uint8Array): Buffer {
    let frame = this.frames.get(payload);
    if (!frame) {
      frame = binaryFrame(payload);
      this.frames.set(payload, frame);
    }
    return frame;
  }
}
