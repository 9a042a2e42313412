// The S1 workload, shared by S1, S4, S5 and S6: one board, light clients dragging cards and moving
// cursors from pre-encoded bytes, and two probe clients measuring delivery latency.
import { LightClient } from '../load/light-client';
import { LatencyBook, ProbeClient } from '../load/probe-client';
import { makeBoardSeed, makeCursorMessages, makeDragMessages } from '../load/fixtures';
import { updateMessage } from '../load/messages';
import { clientFrame } from '../load/raw-socket';
import { TrafficPump } from '../load/traffic';
import { ServerSampler, type ServerSample } from '../load/server-metrics';
import { SelfCpuMeter } from '../lib/proc';
import { summarize, type Summary } from '../lib/stats';
import { mapLimit, sleep } from '../load/pool';
import { boardFor, createBoard, createSession, type BoardTarget, type ServerEndpoint, type Session } from '../load/targets';

export interface OneBoardOptions {
  cards: number;
  /** All clients on the board, the two probes included. */
  clients: number;
  /** Clients dragging cards, the two probes included. */
  draggers: number;
  dragHz: number;
  cursorHz: number;
  /** Longest the traffic can run (warm-up + measurement); sizes the pre-generated streams. */
  maxSeconds: number;
}

export const S1_OPTIONS: Omit<OneBoardOptions, 'maxSeconds'> = { cards: 500, clients: 30, draggers: 10, dragHz: 60, cursorHz: 30 };

export interface OneBoardLoad {
  target: BoardTarget;
  sessions: Array<Session | null>;
  probes: [ProbeClient, ProbeClient];
  book: LatencyBook;
  clients: LightClient[];
  pump: TrafficPump;
  /** Updates the light draggers send per second in total (for delivery accounting). */
  close(): void;
}

export async function createSessions(server: ServerEndpoint, count: number, prefix: string): Promise<Array<Session | null>> {
  return mapLimit(count, 16, (i) => createSession(server, `${prefix} ${i}`));
}

export async function startOneBoard(server: ServerEndpoint, options: OneBoardOptions): Promise<OneBoardLoad> {
  const lightCount = options.clients - 2;
  const lightDraggers = Math.max(0, options.draggers - 2);
  const seed = makeBoardSeed(options.cards);
  const perStream = (hz: number) => Math.ceil(hz * options.maxSeconds) + 10;
  const drags = makeDragMessages(seed, lightDraggers, perStream(options.dragHz));
  const cursors = makeCursorMessages(lightCount, perStream(options.cursorHz));

  const sessions = await createSessions(server, options.clients, 'Responder');
  const board = await createBoard(server, sessions[0] ?? null, 'S1 board');
  const book = new LatencyBook();
  // Probes join first: on a relay, only peers already present receive the seed.
  const probes: [ProbeClient, ProbeClient] = [
    await ProbeClient.join(boardFor(board, sessions[0] ?? null), 0, book),
    await ProbeClient.join(boardFor(board, sessions[1] ?? null), 1, book),
  ];
  const seeder = await LightClient.join(boardFor(board, sessions[2] ?? null));
  seeder.send(clientFrame(updateMessage(seed.update)));
  await Promise.all(probes.map((p) => p.waitForProbeCards()));
  const others = await mapLimit(lightCount - 1, 8, (i) => LightClient.join(boardFor(board, sessions[i + 3] ?? null)));
  const clients = [seeder, ...others];

  const pump = new TrafficPump();
  clients.forEach((client, i) => {
    const drag = drags[i];
    if (drag) pump.add(client, drag, options.dragHz);
    pump.add(client, cursors[i]!, options.cursorHz);
  });
  pump.start();
  for (const probe of probes) probe.start(options.dragHz, options.cursorHz);
  return {
    target: board,
    sessions,
    probes,
    book,
    clients,
    pump,
    close() {
      pump.stop();
      for (const probe of probes) probe.close();
      for (const client of clients) client.close();
    },
  };
}

export interface WindowResult {
  seconds: number;
  /** Card move: probe → server → other probe. */
  move: Summary;
  /** Cursor (awareness): probe → server → other probe. */
  cursor: Summary;
  /** Update sent → Saved confirmation (Redstring only). */
  save: Summary;
  /** WebSocket ping → pong through the server's event loop. */
  ping: Summary;
  server: ServerSample;
  /** Fraction of one core the load generator used; above SATURATED it cannot be trusted. */
  loadgenCpu: number;
  /** Board updates the light clients received per second (fan-out actually delivered). */
  deliveredUpdatesPerSecond: number;
  /** Connections the server closed (by the end of the window), and their close codes. */
  closedClients: number;
  closeCodes: Record<string, number>;
  /** Frame slots the light clients' schedules slipped because the load generator fell behind (see TrafficPump). */
  deferredFrames: number;
}

/** Fraction of its core above which the load generator, not the server, may be the bottleneck. */
export const SATURATED = 0.9;

function closeCodes(codes: Array<number | null | undefined>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) if (code !== undefined) counts[String(code)] = (counts[String(code)] ?? 0) + 1;
  return counts;
}

/** Measures `seconds` of whatever load is running on `load`. */
export async function measureWindow(server: ServerEndpoint, load: OneBoardLoad, seconds: number): Promise<WindowResult> {
  const sampler = new ServerSampler(server);
  const self = new SelfCpuMeter();
  load.book.reset();
  for (const probe of load.probes) probe.resetSamples();
  const receivedBefore = load.clients.reduce((n, c) => n + c.counters.updates, 0);
  const deferredBefore = load.pump.deferred;
  await sampler.start();
  self.start();
  load.book.recording = true;
  await sleep(seconds * 1000);
  load.book.recording = false;
  const loadgenCpu = self.read();
  const serverSample = await sampler.stop();
  const received = load.clients.reduce((n, c) => n + c.counters.updates, 0) - receivedBefore;
  return {
    seconds,
    move: summarize(load.book.moveLatencies),
    cursor: summarize(load.book.cursorLatencies),
    save: summarize(load.probes.flatMap((p) => p.saveLatencies)),
    ping: summarize(load.probes.flatMap((p) => p.pingRtts)),
    server: serverSample,
    loadgenCpu,
    deliveredUpdatesPerSecond: Math.round(received / seconds),
    closedClients: load.clients.filter((c) => !c.isOpen).length + load.probes.filter((p) => p.closeCode !== null).length,
    closeCodes: closeCodes([...load.clients.map((c) => (c.isOpen ? undefined : c.closeCode)), ...load.probes.map((p) => p.closeCode ?? undefined)]),
    deferredFrames: load.pump.deferred - deferredBefore,
  };
}
