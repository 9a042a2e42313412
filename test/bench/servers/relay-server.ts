// The floor: a bare ws relay that forwards every frame to the other sockets on the same path. It keeps
// no document, applies nothing and stores nothing; whatever a real server adds costs more than this.
import http from 'node:http';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { eventLoopMetrics } from './event-loop-metrics';

const metrics = eventLoopMetrics();
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

const server = http.createServer((request, response) => {
  if (request.url === '/metrics') {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(metrics());
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('okay');
});
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
