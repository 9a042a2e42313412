// Big fan-outs go out a slice of sockets per event-loop turn: every socket still gets every notice,
// in the order they were sent, and nobody outside the rooms gets anything.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PacedFanOut } from '../src/realtime/paced-fan-out';
import { waitFor } from './helpers/board-client';

let httpServer: HttpServer | null = null;
let ioServer: Server | null = null;
const clients: Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await new Promise<void>((resolve) => (ioServer ? ioServer.close(() => resolve()) : resolve()));
  httpServer = null;
  ioServer = null;
});

async function serverWithRooms(): Promise<{ io: Server; url: string }> {
  httpServer = createServer();
  ioServer = new Server(httpServer, { transports: ['polling', 'websocket'] });
  ioServer.on('connection', (socket) => {
    const room = socket.handshake.auth.room;
    if (typeof room === 'string') void socket.join(room);
  });
  await new Promise<void>((resolve) => httpServer!.listen(0, '127.0.0.1', resolve));
  return { io: ioServer, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
}

async function joinRoom(url: string, room: string, transport: 'websocket' | 'polling' = 'websocket'): Promise<{ socket: Socket; received: string[] }> {
  const socket = connect(url, { transports: [transport], auth: { room }, forceNew: true, reconnection: false });
  clients.push(socket);
  const received: string[] = [];
  socket.on('notice', (text: string) => received.push(text));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, received };
}

/** `count` sockets in room board:b1, once the server has them all there. */
async function joinBoardRoom(io: Server, url: string, count: number) {
  const sockets = await Promise.all(Array.from({ length: count }, () => joinRoom(url, 'board:b1')));
  await waitFor(() => io.of('/').adapter.rooms.get('board:b1')?.size === count, 5000, 'all joined');
  return sockets;
}

describe('PacedFanOut', () => {
  it('delivers every notice to every socket of the rooms, in order, across turns', async () => {
    const { io, url } = await serverWithRooms();
    const board = await joinBoardRoom(io, url, 30);
    const elsewhere = await joinRoom(url, 'board:b2');
    const fanOut = new PacedFanOut(io, 4);

    for (let n = 1; n <= 5; n++) fanOut.send(fanOut.socketsIn(['board:b1']), 'notice', `callout ${n}`);
    // 150 writes at 4 per turn cannot have gone out synchronously.
    expect(fanOut.backlog).toBeGreaterThan(0);
    const expected = ['callout 1', 'callout 2', 'callout 3', 'callout 4', 'callout 5'];
    await waitFor(() => board.every((c) => c.received.length === 5), 5000, 'every socket got every notice');
    for (const c of board) expect(c.received).toEqual(expected);
    expect(fanOut.backlog).toBe(0);
    expect(elsewhere.received).toEqual([]);
    // WebSocket tabs with nothing queued got the frame written directly.
    expect(fanOut.writes).toEqual({ direct: 150, socketIo: 0 });
  });

  it('keeps each tab’s order with socket.io’s own sends, and reaches tabs on long polling through socket.io', async () => {
    const { io, url } = await serverWithRooms();
    const ws = await joinRoom(url, 'board:b1');
    const polling = await joinRoom(url, 'board:b1', 'polling');
    await waitFor(() => io.of('/').adapter.rooms.get('board:b1')?.size === 2, 5000, 'joined');
    const fanOut = new PacedFanOut(io, 4);
    const everyone = () => fanOut.socketsIn(['board:b1']);
    fanOut.send(everyone(), 'notice', 'digest 1');
    io.to('board:b1').emit('notice', 'through socket.io'); // queued in engine.io for the polling tab
    fanOut.send(everyone(), 'notice', 'digest 2');
    fanOut.send(everyone(), 'notice', { text: 'digest 3 — “quoted”, ünïcode' } as unknown as string);
    const expected = ['digest 1', 'through socket.io', 'digest 2', { text: 'digest 3 — “quoted”, ünïcode' }];
    await waitFor(() => ws.received.length === 4 && polling.received.length === 4, 5000, 'all delivered');
    expect(ws.received).toEqual(expected);
    expect(polling.received).toEqual(expected);
    // The polling tab always goes through socket.io; the WebSocket tab took the first digest directly,
    // and after socket.io's send it is not writable until ws calls back, so later ones queue behind it.
    expect(fanOut.writes.direct).toBeGreaterThanOrEqual(1);
    expect(fanOut.writes.socketIo).toBeGreaterThanOrEqual(3);
    expect(fanOut.writes.direct + fanOut.writes.socketIo).toBe(6);
  });

  it('sends small fan-outs at once, and excludes the sockets it is told to', async () => {
    const { io, url } = await serverWithRooms();
    const addressee = await joinRoom(url, 'user:u1');
    const onBoard = await joinRoom(url, 'board:b1');
    await waitFor(() => io.of('/').adapter.rooms.get('board:b1')?.size === 1, 5000, 'joined');
    const fanOut = new PacedFanOut(io, 4);
    const first = fanOut.socketsIn(['user:u1']);
    fanOut.send(first, 'notice', 'for you');
    fanOut.send(fanOut.socketsIn(['board:b1', 'user:u1'], first), 'notice', 'for others');
    expect(fanOut.backlog).toBe(0);
    await waitFor(() => addressee.received.length === 1 && onBoard.received.length === 1, 5000, 'delivered');
    expect(addressee.received).toEqual(['for you']);
    expect(onBoard.received).toEqual(['for others']);
  });

  it('sends a small delivery ahead of a big one still being paced, which still reaches everyone in order', async () => {
    const { io, url } = await serverWithRooms();
    const board = await joinBoardRoom(io, url, 20);
    const addressee = await joinRoom(url, 'user:u1');
    const fanOut = new PacedFanOut(io, 4);
    const everyone = fanOut.socketsIn(['board:b1', 'user:u1']);
    fanOut.send(everyone, 'notice', 'digest 1');
    fanOut.send(everyone, 'notice', 'digest 2');
    fanOut.sendAhead(fanOut.socketsIn(['user:u1']), 'notice', 'for you');
    await waitFor(() => addressee.received.length === 3 && board.every((c) => c.received.length === 2), 5000, 'all delivered');
    // The addressee's socket is last in both digests: the notice for it went first.
    expect(addressee.received).toEqual(['for you', 'digest 1', 'digest 2']);
    for (const c of board) expect(c.received).toEqual(['digest 1', 'digest 2']);
  });
});
