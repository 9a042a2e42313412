// The thin WebSocket layer: `ws` in noServer mode on the shared HTTP server. It checks the path and the
// Origin, then hands frames to the transport-independent BoardHub. socket.io's upgrades pass through.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CloseCode, HttpPaths, ID_PATTERN } from '@redstring/model';
import { checkOrigin } from '../access/origin';
import type { LimitsConfig } from '../config';
import type { Logger } from '../log';
import type { BoardHub } from '../sync/board-hub';
import type { Connection } from '../sync/connection';
import { FrameOnce } from './frame-once';
import { WriteCoalescer } from './write-coalescer';

const BOARD_SOCKET_PATH = /^\/ws\/board\/([^/]+)$/;

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface BoardSocketServer {
  close(): void;
}

export function attachBoardSockets(
  httpServer: HttpServer,
  hub: BoardHub,
  options: { allowedOrigins: readonly string[]; limits: LimitsConfig; log: Logger },
): BoardSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    // ws itself cuts frames far over the limit without buffering them (close 1009); frames just over it
    // reach BoardClient, which answers with an Error frame and TooLarge.
    maxPayload: options.limits.maxPayloadBytes * 2,
    perMessageDeflate: false,
  });
  const coalescer = new WriteCoalescer();
  const frames = new FrameOnce();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith(HttpPaths.socketIo)) return; // socket.io's own upgrade listener takes it
    const match = BOARD_SOCKET_PATH.exec(path);
    let boardId: string;
    try {
      boardId = decodeURIComponent(match?.[1] ?? '');
    } catch {
      boardId = '';
    }
    if (!match || !ID_PATTERN.test(boardId)) {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const origin = checkOrigin(req.headers.origin, req.headers.host, options.allowedOrigins);
      const connection: Connection = {
        send: (payload) => {
          // What ws.send does once the socket is closing: nothing (a frame after Close breaks the protocol).
          if (ws.readyState !== WebSocket.OPEN) return;
          // `socket` is the connection ws writes to. Frames written this turn leave together, and the
          // frame is built once per fan-out. Writing beside ws is safe because it never queues frames
          // itself here (no compression, no Blob payloads): each write lands whole, in call order.
          coalescer.hold(socket);
          socket.write(frames.frame(payload));
        },
        close: (code, reason) => ws.close(code, reason),
        get bufferedAmount() {
          return ws.bufferedAmount;
        },
        remoteAddress: req.socket.remoteAddress,
      };
      const client = hub.connect(connection, boardId, origin);
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (!isBinary) {
          client.fail(CloseCode.ProtocolError, 'text frames are not part of the protocol');
          return;
        }
        client.receive(toBytes(data));
      });
      ws.on('close', () => client.transportClosed());
      ws.on('error', (error) => options.log.debug('board socket error', { client: client.id, error: error.message }));
    });
  };

  httpServer.on('upgrade', onUpgrade);
  return {
    close: () => {
      httpServer.off('upgrade', onUpgrade);
      wss.close();
    },
  };
}
