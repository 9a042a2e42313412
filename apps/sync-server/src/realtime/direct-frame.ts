// socket.io hands each notice of a fan-out to engine.io, which for every socket makes a packet object,
// emits events, flips its writable flag and flushes: ~15 µs a socket, most of a 1,000-tab fan-out.
// The notice's WebSocket frame is the same for every tab. Where engine.io has nothing queued for a tab
// and the tab's transport is a WebSocket without compression, the frame goes straight to ws's sender
// (the call engine.io itself makes for frames socket.io pre-encodes), so order with engine.io's own
// writes is kept. Anything else (polling, an upgrade under way, queued packets) returns false and
// the caller sends through socket.io. Relies on engine.io 6 / ws 8 fields; if they change, every
// check fails and everything goes through socket.io as before.
import type { Socket } from 'socket.io';
import { textFrame } from '../http/frame-once';

interface WsSender {
  sendFrame(list: Buffer[], cb?: (error?: Error) => void): void;
}

interface EngineSocketInternals {
  readyState?: string;
  upgrading?: boolean;
  writeBuffer?: unknown[];
  transport?: {
    name?: string;
    writable?: boolean;
    perMessageDeflate?: unknown;
    socket?: { readyState?: number; _sender?: Partial<WsSender> };
  };
}

const WS_OPEN = 1;

/** The frame of a Socket.IO event on the main namespace, without acknowledgement or binary parts. */
export function eventFrame(event: string, payload: unknown): Buffer[] {
  // Engine.IO "4" (message) + Socket.IO "2" (event) + the JSON array.
  return [textFrame(Buffer.from(`42${JSON.stringify([event, payload])}`))];
}

/** Writes `frame` to `socket` directly if engine.io has nothing before it; false when it did not. */
export function sendDirect(socket: Socket, frame: Buffer[]): boolean {
  const engine = socket.conn as unknown as EngineSocketInternals;
  const transport = engine.transport;
  const ws = transport?.socket;
  const sender = ws?._sender;
  if (
    !socket.connected ||
    engine.readyState !== 'open' ||
    engine.upgrading !== false ||
    engine.writeBuffer?.length !== 0 ||
    transport?.name !== 'websocket' ||
    transport.writable !== true ||
    transport.perMessageDeflate ||
    ws?.readyState !== WS_OPEN ||
    typeof sender?.sendFrame !== 'function'
  ) {
    return false;
  }
  sender.sendFrame(frame);
  return true;
}
