// The floor: a bare ws relay that forwards every frame to the other sockets on the same path. It keeps
// no document, applies nothing and stores nothing; whatever a real server adds costs more than this.
import type http from 'node:http';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { serveBaseline } from './baseline-http';

const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ noServer: true });

wss.on('connection', (ws: WebSocket, request: http.IncomingMessage) => {
  const name = request.url ?? '/';
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  const peers = room;
  peers.add(ws);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    for (const peer of peers) if (peer !== ws) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => {
    peers.delete(ws);
    if (peers.size === 0) rooms.delete(name);
  });
});

serveBaseline(wss);
