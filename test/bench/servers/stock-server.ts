// The baseline: the stock @y/websocket-server 0.1.1 connection handler behind the same minimal http + ws
// setup as its own bin/server.js (no auth, no persistence: documents live in memory only), plus /healthz
// and an event-loop /metrics. Prints {"msg":"listening","port":N} like Redstring's server.
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { serveBaseline } from './baseline-http';

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);

serveBaseline(wss);
