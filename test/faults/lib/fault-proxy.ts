// A TCP proxy on loopback that sits between clients and the server and misbehaves on request:
// latency, cut connections, blackouts (traffic held, as a partition does), refused connections.
// It also decouples clients from the server's port, so a restarted server can take over the same address.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Prng } from './prng';

export interface LatencySettings {
  /** Fixed delay added to every chunk, each direction. */
  baseMs: number;
  /** Extra uniform random delay in [0, jitterMs]; order within a connection is kept. */
  jitterMs: number;
}

interface Pipe {
  client: Socket;
  upstream: Socket;
  toServer: DelayLine;
  toClient: DelayLine;
}

/** Delivers chunks in order after a delay, and holds them while the proxy is blacked out. */
class DelayLine {
  private readonly queue: { due: number; chunk: Buffer }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private finishing = false;

  constructor(
    private readonly target: Socket,
    private readonly proxy: FaultProxy,
  ) {}

  push(chunk: Buffer): void {
    const due = Date.now() + this.proxy.delayForChunk();
    // Never deliver before an earlier chunk: TCP keeps order.
    const last = this.queue[this.queue.length - 1];
    this.queue.push({ due: last ? Math.max(last.due, due) : due, chunk });
    this.schedule();
  }

  schedule(): void {
    if (this.timer || this.queue.length === 0 || this.proxy.blackedOut) return;
    const wait = Math.max(0, this.queue[0]!.due - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  /** The sender ended its side: pass the end on once everything before it is delivered. */
  finish(): void {
    this.finishing = true;
    this.flush();
  }

  private flush(): void {
    if (this.proxy.blackedOut) return;
    const now = Date.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      const { chunk } = this.queue.shift()!;
      if (!this.target.destroyed) this.target.write(chunk);
    }
    if (this.finishing && this.queue.length === 0) {
      if (!this.target.destroyed) this.target.end();
      return;
    }
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

export class FaultProxy {
  private server: Server | null = null;
  private readonly pipes = new Set<Pipe>();
  private latency: LatencySettings = { baseMs: 0, jitterMs: 0 };
  private refusing = false;
  blackedOut = false;
  /** Totals, for reports. */
  readonly stats = { connections: 0, cuts: 0, bytesToServer: 0, bytesToClient: 0 };

  constructor(
    private upstreamPort: number,
    private readonly prng: Prng,
  ) {}

  async listen(): Promise<number> {
    const server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    return address.port;
  }

  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('proxy is not listening');
    return address.port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get openConnections(): number {
    return this.pipes.size;
  }

  /** Point new connections at another server port (after a restart). */
  setUpstream(port: number): void {
    this.upstreamPort = port;
  }

  setLatency(latency: LatencySettings): void {
    this.latency = latency;
  }

  delayForChunk(): number {
    const { baseMs, jitterMs } = this.latency;
    return baseMs + (jitterMs > 0 ? this.prng.int(0, jitterMs) : 0);
  }

  /** While refusing, new connections are reset at once (a server that is down). */
  setRefusing(refusing: boolean): void {
    this.refusing = refusing;
  }

  /** Hold all traffic, in both directions, on all connections; connections stay open. */
  setBlackout(on: boolean): void {
    this.blackedOut = on;
    if (!on) {
      for (const pipe of this.pipes) {
        pipe.toServer.schedule();
        pipe.toClient.schedule();
      }
    }
  }

  /** Reset every open connection, as a dropped link or a crashed middlebox does. */
  cutAll(): number {
    const count = this.pipes.size;
    for (const pipe of [...this.pipes]) this.cut(pipe);
    return count;
  }

  /** Reset one randomly chosen open connection. */
  cutOne(): boolean {
    const all = [...this.pipes];
    if (all.length === 0) return false;
    this.cut(this.prng.pick(all));
    return true;
  }

  async close(): Promise<void> {
    this.cutAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private cut(pipe: Pipe): void {
    this.stats.cuts++;
    this.teardown(pipe, true);
  }

  private teardown(pipe: Pipe, reset: boolean): void {
    if (!this.pipes.delete(pipe)) return;
    pipe.toServer.stop();
    pipe.toClient.stop();
    for (const socket of [pipe.client, pipe.upstream]) {
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    }
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.resetAndDestroy();
      return;
    }
    this.stats.connections++;
    client.setNoDelay(true);
    const upstream = connect({ port: this.upstreamPort, host: '127.0.0.1', allowHalfOpen: true });
    upstream.setNoDelay(true);
    const pipe: Pipe = {
      client,
      upstream,
      toServer: new DelayLine(upstream, this),
      toClient: new DelayLine(client, this),
    };
    this.pipes.add(pipe);
    client.on('data', (chunk) => {
      this.stats.bytesToServer += chunk.length;
      pipe.toServer.push(chunk);
    });
    upstream.on('data', (chunk) => {
      this.stats.bytesToClient += chunk.length;
      pipe.toClient.push(chunk);
    });
    // A graceful end is passed on after the queued data (so close frames arrive); an error on either
    // side (the expected result of cuts and kills) tears the pair down at once.
    client.on('end', () => pipe.toServer.finish());
    upstream.on('end', () => pipe.toClient.finish());
    const closed = () => {
      if (client.destroyed && upstream.destroyed) this.teardown(pipe, false);
    };
    client.on('close', closed);
    upstream.on('close', closed);
    client.on('error', () => this.teardown(pipe, false));
    upstream.on('error', () => this.teardown(pipe, false));
  }
}
