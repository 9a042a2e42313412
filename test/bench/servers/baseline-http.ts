// The minimal http + ws setup the baseline servers share (as in @y/websocket-server's own bin/server.js):
// ws in noServer mode, an event-loop /metrics, "okay" for everything else, and the same
// {"msg":"listening","port":N} line Redstring's server prints, so the runner starts all of them alike.
import http from 'node:http';
import type { WebSocketServer } from 'ws';
import { eventLoopMetrics } from './event-loop-metrics';

export function serveBaseline(wss: WebSocketServer): http.Server {
  const metrics = eventLoopMetrics();
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
  return server;
}
