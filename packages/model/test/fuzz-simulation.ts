// The convergence fuzz's simulation: seeded replicas, random model operations and a lossy network.
// Kept apart from the test file so it can be profiled on its own.
import * as Y from 'yjs';
import { mulberry32 } from '../bench/mulberry32';
import {
  type BoardRead,
  type CardKind,
  BoardDoc,
  CARD_KINDS,
  HYPOTHESIS_STATUSES,
  LINK_RELATIONS,
  BOARD_STATUSES,
  SEVERITIES,
  BOARD_OUTCOMES,
  ACTION_STATES,
  EVIDENCE_SOURCE_KINDS,
} from '../src/index';

export const OPS_PER_SEED = 500;
const DROP_CHANCE = 0.03;
const DUPLICATE_CHANCE = 0.05;
/** Per operation: chance that two random replicas reconnect and exchange state vectors. */
const RESYNC_CHANCE = 0.08;
/** Messages are delivered in random order among the this many oldest in flight. */
const REORDER_WINDOW = 6;
const T0 = 1_700_000_000_000;

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  text(maxLength: number): string {
    // Multi-byte characters on purpose: UTF-16 positions must behave the same on every replica.
    const alphabet = 'abcdefghijklmnopqrstuvwxyz     ABC0123456789éü→…✓';
    let s = '';
    const length = this.int(maxLength + 1);
    for (let i = 0; i < length; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

interface Peer {
  board: BoardDoc;
  undo: Y.UndoManager;
}

interface Message {
  to: number;
  update: Uint8Array;
}

const NET = 'network';

// Y.Map key order depends on the order updates arrived, which the seed fixes, so a replay sees it again.
function keysOf(map: Y.Map<unknown>): string[] {
  return [...map.keys()];
}

/** One random model operation on `peer`. Ops refused by the model (typed errors) are part of the game. */
function randomOperation(rng: Rng, peer: Peer): void {
  const { board } = peer;
  const cards = keysOf(board.doc.getMap('cards'));
  const links = keysOf(board.doc.getMap('links'));
  const someCard = (): string | undefined => (cards.length ? rng.pick(cards) : undefined);
  const roll = rng.int(100);

  if (roll < 16 || cards.length < 2) {
    const kind: CardKind = rng.pick(CARD_KINDS);
    board.createCard({ kind, title: rng.text(24), body: rng.text(40), x: rng.int(4000) - 2000, y: rng.int(4000) - 2000 });
  } else if (roll < 26) {
    const moves = Array.from({ length: 1 + rng.int(3) }, () => ({ id: someCard()!, x: rng.int(5000), y: rng.int(5000) - 100 }));
    board.moveCards(moves);
  } else if (roll < 46) {
    const id = someCard()!;
    const field = rng.chance(0.5) ? 'title' : 'body';
    const text = field === 'title' ? board.titleText(id) : board.bodyText(id);
    const length = text?.length ?? 0;
    const index = rng.int(length + 1);
    const room = field === 'title' ? Math.max(0, 120 - length) : 400;
    board.editText(id, field, index, rng.int(4), rng.text(Math.min(room, 8)));
  } else if (roll < 50) {
    board.setTitle(someCard()!, rng.text(30));
  } else if (roll < 56) {
    const id = someCard()!;
    const patches = [
      { w: 50 + rng.int(400), h: 50 + rng.int(300) },
      { followUp: rng.chance(0.5) },
      { tags: [rng.pick(['db', 'cache', 'deploy', 'network'])] },
      { source: { kind: rng.pick(EVIDENCE_SOURCE_KINDS), value: `q-${rng.int(1000)}` } },
      { observedAt: T0 - rng.int(600_000), noticedAt: T0 + rng.int(60_000) },
      { actionState: rng.pick(ACTION_STATES), owner: null },
      { answered: rng.chance(0.5), tags: null },
    ];
    board.updateCard(id, rng.pick(patches));
  } else if (roll < 61) {
    board.deleteCards([someCard()!]);
  } else if (roll < 71) {
    const from = someCard()!;
    const to = someCard()!;
    if (from !== to) board.link(from, to, rng.pick(LINK_RELATIONS), rng.chance(0.3) ? rng.text(20) : undefined);
  } else if (roll < 74) {
    if (links.length) board.unlink(rng.pick(links));
  } else if (roll < 84) {
    const hypotheses = cards.filter((id) => (board.doc.getMap('cards').get(id) as Y.Map<unknown>).get('kind') === 'hypothesis');
    if (hypotheses.length) board.setHypothesisStatus(rng.pick(hypotheses), rng.pick(HYPOTHESIS_STATUSES), rng.text(20));
  } else if (roll < 89) {
    const patches = [
      { title: rng.text(40) },
      { status: rng.pick(BOARD_STATUSES) },
      { severity: rng.chance(0.3) ? null : rng.pick(SEVERITIES) },
      { outcome: rng.pick(BOARD_OUTCOMES), summary: rng.text(50) },
    ];
    board.setBoardMeta(rng.pick(patches));
  } else if (roll < 90) {
    board.closeBoard(rng.pick(BOARD_OUTCOMES));
  } else if (roll < 95) {
    board.touchParticipant({ name: board.actor.name, color: rng.pick(['#e5484d', '#30a46c', '#0090ff']), clockOffsetMs: rng.int(2000) - 1000 });
  } else if (roll < 98) {
    peer.undo.undo();
  } else {
    peer.undo.redo();
  }
}

export interface SeedResult {
  reads: BoardRead[];
  /** State vector + delete set: which operations a replica has integrated (byte-comparable). */
  snapshots: Uint8Array[];
  /** Every top-level type as JSON: what the replica holds. */
  contents: unknown[];
}

// encodeStateAsUpdate is not canonical across replicas: one that garbage-collected a deleted card stores
// it as a GC range, one that received it already deleted may not. Compare what was integrated and what
// is visible instead.
function contentOf(doc: Y.Doc): unknown {
  return {
    meta: doc.getMap('meta').toJSON(),
    cards: doc.getMap('cards').toJSON(),
    links: doc.getMap('links').toJSON(),
    statusLog: doc.getArray('statusLog').toJSON(),
    participants: doc.getMap('participants').toJSON(),
  };
}

export function runSeed(seed: number, ops = OPS_PER_SEED): SeedResult {
  const rng = new Rng(seed);
  const peerCount = 3 + rng.int(3);
  let simulatedTime = T0;
  const queue: Message[] = [];
  const peers: Peer[] = [];

  for (let i = 0; i < peerCount; i++) {
    const doc = new Y.Doc({ guid: 'board-fuzz' });
    doc.clientID = seed * 8 + i + 1; // fixed, so concurrent inserts order the same way on replay
    const skew = rng.int(120_001) - 60_000; // up to a minute fast or slow
    let counter = 0;
    const board = new BoardDoc(doc, {
      actor: { userId: `user-${i}`, name: `User ${i}` },
      clock: () => simulatedTime + skew,
      newId: () => `p${i}-${++counter}`,
    });
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === NET) return;
      for (let to = 0; to < peerCount; to++) if (to !== i) queue.push({ to, update });
    });
    const undo = new Y.UndoManager(board.undoScope(), { trackedOrigins: new Set([board.origin]), captureTimeout: 0 });
    peers.push({ board, undo });
  }
  // Everyone may initialize concurrently (it must not matter who wins which field).
  for (const [i, peer] of peers.entries()) {
    if (i === 0 || rng.chance(0.3)) {
      BoardDoc.initialize(peer.board.doc, { id: 'board-fuzz', title: `Board by ${i}`, createdBy: `user-${i}`, createdAt: T0 + i });
    }
  }

  const deliver = (): void => {
    // Random order within a window of the oldest messages: arbitrary reordering of nearby updates,
    // without letting one message wait forever (which only makes Yjs re-merge its pending queue).
    const index = rng.int(Math.min(queue.length, REORDER_WINDOW));
    const message = queue[index]!;
    const roll = rng.float();
    if (roll < DROP_CHANCE) {
      queue.splice(index, 1);
      return;
    }
    // Delivered; sometimes it stays queued and arrives again later (a duplicate).
    if (roll >= DROP_CHANCE + DUPLICATE_CHANCE) queue.splice(index, 1);
    Y.applyUpdate(peers[message.to]!.board.doc, message.update, NET);
  };

  // A reconnect: two replicas exchange what their state vectors say the other misses, which also
  // unblocks updates that were waiting for a dropped one (as y-websocket's sync step 1/2 does).
  const resync = (a: Peer, b: Peer): void => {
    Y.applyUpdate(b.board.doc, Y.encodeStateAsUpdate(a.board.doc, Y.encodeStateVector(b.board.doc)), NET);
    Y.applyUpdate(a.board.doc, Y.encodeStateAsUpdate(b.board.doc, Y.encodeStateVector(a.board.doc)), NET);
  };

  for (let op = 0; op < ops; op++) {
    simulatedTime += rng.int(5_000);
    randomOperation(rng, rng.pick(peers));
    const deliveries = rng.int(4);
    for (let d = 0; d < deliveries && queue.length; d++) deliver();
    if (rng.chance(RESYNC_CHANCE)) resync(rng.pick(peers), rng.pick(peers));
  }
  while (queue.length) deliver();

  // Final full sync: everyone sends everyone what their state vector says is missing.
  for (const a of peers) {
    for (const b of peers) {
      if (a !== b) Y.applyUpdate(b.board.doc, Y.encodeStateAsUpdate(a.board.doc, Y.encodeStateVector(b.board.doc)), NET);
    }
  }
  return {
    reads: peers.map((p) => p.board.read()),
    snapshots: peers.map((p) => Y.encodeSnapshot(Y.snapshot(p.board.doc))),
    contents: peers.map((p) => contentOf(p.board.doc)),
  };
}

/** Seeds that once failed; they run on every test run (add the seed here when you fix what it found). */
export const regressionSeeds: number[] = [
  10, 70, 77, // undo emptied a card's x/y after a concurrent move: read() dropped the card (now shown with defaults)
  267, // the same for the board title after a concurrent rename
];

const DEFAULT_SEED_COUNT = 100;

export function seedsToRun(): number[] {
  const env = process.env;
  if (env.FUZZ_SEED !== undefined) return [Number(env.FUZZ_SEED)];
  const count = env.FUZZ_SEEDS !== undefined ? Number(env.FUZZ_SEEDS) : DEFAULT_SEED_COUNT;
  const seeds = Array.from({ length: count }, (_, i) => i + 1);
  return [...new Set([...regressionSeeds, ...seeds])];
}

export function replayHint(seed: number): string {
  return `seed ${seed} (replay: FUZZ_SEED=${seed} pnpm exec vitest run --project model convergence)`;
}

