// A minimal WebSocket client over a raw TCP socket, for the light load clients. It sends pre-built frames
// with one write each and reads incoming frames without copying their payloads (it only peeks at the
// first bytes, which carry the y-websocket message type), so one load-generator core can drive hundreds
// of connections and absorb the server's whole fan-out. Not a general client: no fragmentation on
// send, no extensions (permessage-deflate is never offered).
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

const OPCODE_CONTINUATION = 0x0;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
/** Payload bytes handed to the frame listener: enough for the message type and the sync sub-type. */
const PEEK_BYTES = 2;

/**
 * Encodes a masked client frame. The mask key is zero, which leaves the payload bytes as they are, so a
 * frame can be built once and written many times.
 */
export function clientFrame(payload: Uint8Array, opcode = OPCODE_BINARY): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const frame = Buffer.alloc(2 + lengthBytes + 4 + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) {
    frame[1] = 0x80 | length;
  } else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  // mask key: 4 zero bytes (already zero from alloc)
  frame.set(payload, 2 + lengthBytes + 4);
  return frame;
}

export interface RawSocketHandlers {
  /**
   * A complete message frame arrived. `head` holds up to its first PEEK_BYTES payload bytes; `payload`
   * is the whole payload only when `wantsPayload(head)` asked for it.
   */
  onFrame(head: Uint8Array, length: number, payload: Buffer | null): void;
  /** Decides from the first bytes whether the listener needs the whole payload (default: no). */
  wantsPayload?(head: Uint8Array): boolean;
  onClose?(code: number | null): void;
}

/**
 * One receive buffer shared by every light socket: `onread` fills it and our callback consumes it
 * synchronously, which avoids a Buffer allocation and a stream 'data' event per read — the load
 * generator must absorb the server's whole fan-out on one core.
 */
const SHARED_READ_BUFFER = Buffer.alloc(256 * 1024);

/** Opens a WebSocket; resolves once the server has answered the upgrade with 101. */
export function openRawSocket(url: string, handlers: RawSocketHandlers): Promise<RawSocket> {
  const parsed = new URL(url);
  return new Promise((resolve, reject) => {
    let onBytes: (bytes: Buffer) => void = () => undefined;
    const socket = connect({
      host: parsed.hostname,
      port: Number(parsed.port),
      noDelay: true,
      onread: {
        buffer: SHARED_READ_BUFFER,
        callback: (nread: number, buffer: Uint8Array) => {
          onBytes(Buffer.from(buffer.buffer, buffer.byteOffset, nread));
          return true; // keep reading
        },
      },
    });
    const key = randomBytes(16).toString('base64');
    let handshake = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('close', () => fail(new Error('closed during the upgrade')));
    socket.on('connect', () => {
      socket.write(
        `GET ${parsed.pathname}${parsed.search} HTTP/1.1\r\nHost: ${parsed.host}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
          `Origin: http://${parsed.host}\r\n\r\n`,
      );
    });
    onBytes = (bytes) => {
      handshake = Buffer.concat([handshake, bytes]);
      const end = handshake.indexOf('\r\n\r\n');
      if (end < 0) return;
      const statusLine = handshake.subarray(0, handshake.indexOf('\r\n')).toString();
      if (!statusLine.includes(' 101 ')) return fail(new Error(`upgrade refused: ${statusLine}`));
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      const raw = new RawSocket(socket, handlers);
      onBytes = (chunk) => raw.receive(chunk);
      resolve(raw);
      const rest = handshake.subarray(end + 4);
      if (rest.length > 0) raw.receive(rest);
    };
  });
}

export class RawSocket {
  private pending: Buffer | null = null;
  /** Bytes of the current frame's payload still to skip (payload not wanted). */
  private skipRemaining = 0;
  private closed = false;
  bytesReceived = 0;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: RawSocketHandlers,
  ) {
    socket.on('error', () => this.finish(null));
    socket.on('close', () => this.finish(null));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Writes a pre-built frame (see clientFrame). Returns false when the kernel buffer is full. */
  send(frame: Buffer): boolean {
    if (this.closed) return false;
    return this.socket.write(frame);
  }

  /** Bytes queued in user space because the socket could not take them yet. */
  get writeBacklog(): number {
    return this.socket.writableLength;
  }

  close(): void {
    if (this.closed) return;
    this.socket.end(clientFrame(new Uint8Array([0x03, 0xe8]), OPCODE_CLOSE));
    this.socket.destroySoon();
    this.finish(1000);
  }

  /** Consumes received bytes; `chunk` may be a reused buffer, so nothing keeps a view of it. */
  receive(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    let data = chunk;
    if (this.skipRemaining > 0) {
      if (data.length <= this.skipRemaining) {
        this.skipRemaining -= data.length;
        return;
      }
      data = data.subarray(this.skipRemaining);
      this.skipRemaining = 0;
    }
    if (this.pending) {
      data = Buffer.concat([this.pending, data]);
      this.pending = null;
    }
    let offset = 0;
    while (offset < data.length) {
      const consumed = this.parseFrame(data, offset);
      if (consumed === 0) {
        this.pending = Buffer.from(data.subarray(offset));
        return;
      }
      offset += consumed;
      if (this.skipRemaining > 0) return; // the rest of this chunk belongs to a skipped payload
    }
  }

  /** Parses one frame at offset; returns bytes consumed, or 0 when more bytes are needed. */
  private parseFrame(data: Buffer, offset: number): number {
    const available = data.length - offset;
    if (available < 2) return 0;
    const b0 = data[offset]!;
    const b1 = data[offset + 1]!;
    const opcode = b0 & 0x0f;
    let length = b1 & 0x7f;
    let header = 2;
    if (length === 126) {
      if (available < 4) return 0;
      length = data.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (available < 10) return 0;
      length = Number(data.readBigUInt64BE(offset + 2));
      header = 10;
    }
    const peekLength = Math.min(PEEK_BYTES, length);
    if (available < header + peekLength) return 0;
    const payloadStart = offset + header;
    const head = data.subarray(payloadStart, payloadStart + peekLength);
    const isMessage = opcode === OPCODE_BINARY || opcode === OPCODE_CONTINUATION || opcode === 0x1;
    const needWhole = !isMessage || (this.handlers.wantsPayload?.(head) ?? false);
    const inChunk = available - header;
    if (needWhole) {
      if (inChunk < length) return 0;
      const payload = data.subarray(payloadStart, payloadStart + length);
      this.handleFrame(opcode, head, length, payload);
      return header + length;
    }
    this.handlers.onFrame(head, length, null);
    if (inChunk < length) {
      this.skipRemaining = length - inChunk;
      return available;
    }
    return header + length;
  }

  private handleFrame(opcode: number, head: Uint8Array, length: number, payload: Buffer): void {
    if (opcode === OPCODE_PING) {
      this.send(clientFrame(payload, 0xa));
    } else if (opcode === OPCODE_CLOSE) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : null;
      this.socket.destroy();
      this.finish(code);
    } else if (opcode !== 0xa) {
      this.handlers.onFrame(head, length, Buffer.from(payload));
    }
  }

  private finish(code: number | null): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose?.(code);
  }
}
