// Frames built once and written beside `ws` must be what a standard WebSocket client reads, at every
// length encoding (7-bit, 16-bit and 64-bit lengths).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FrameOnce, binaryFrame } from '../src/http/frame-once';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('binaryFrame', () => {
  it('is read back byte for byte by a ws client, for every length encoding', async () => {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    let serverSocket: Duplex | null = null;
    http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, () => (serverSocket = socket)));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    closers.push(() => http.close());
    const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    closers.push(() => client.terminate());
    const received: Buffer[] = [];
    client.on('message', (data: Buffer) => received.push(data));
    await new Promise((resolve) => client.once('open', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));

    const lengths = [0, 1, 125, 126, 65_535, 65_536, 300_000];
    const payloads = lengths.map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff));
    for (const payload of payloads) serverSocket!.write(binaryFrame(payload));
    await new Promise<void>((resolve) => {
      const check = () => (received.length === payloads.length ? resolve() : setTimeout(check, 10));
      check();
    });
    received.forEach((data, i) => expect(new Uint8Array(data)).toEqual(payloads[i]));
  });

  it('builds the frame once per payload object, also across other payloads in between', () => {
    const frames = new FrameOnce();
    const board = new Uint8Array([0, 1, 5, 6]);
    const first = frames.frame(board);
    expect(frames.frame(board)).toBe(first);
    frames.frame(new Uint8Array([0, 2, 1]));
    expect(frames.frame(board)).toBe(first);
    expect(frames.frame(new Uint8Array([0, 1, 5, 6]))).not.toBe(first);
  });
});
