// @y/websocket-server 0.1.1 ships no type declarations for its ESM entry; this is the part the bench uses.
declare module '@y/websocket-server/utils' {
  import type { IncomingMessage } from 'node:http';
  import type { WebSocket } from 'ws';
  export function setupWSConnection(conn: WebSocket, req: IncomingMessage, options?: { docName?: string; gc?: boolean }): void;
}
