// Realistic traffic, generated once from real Y.Docs and Awareness instances and replayed as bytes.
// Layout follows docs/model-contract.md: doc.getMap('cards') holds cardId → Y.Map with plain fields and
// Y.Text title/body.
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { awarenessMessage, updateMessage } from './messages';

export interface BoardSeed {
  /** One update that creates every card (what a client uploads, or what the server stores). */
  update: Uint8Array;
  cardIds: string[];
}

/** Ids of the cards the two probe clients move; they exist in every seed. */
export const PROBE_CARD_IDS = ['probe-card-0', 'probe-card-1'] as const;

const KINDS = ['theory', 'hypothesis', 'evidence', 'action', 'question', 'note'] as const;

/** A board of `cardCount` cards (plus the probe cards) laid out on a grid, as one update. */
export function makeBoardSeed(cardCount: number): BoardSeed {
  const doc = new Y.Doc();
  const cards = doc.getMap<Y.Map<unknown>>('cards');
  const cardIds: string[] = [];
  const createdAt = Date.UTC(2025, 0, 15, 9, 0);
  doc.transact(() => {
    for (let i = 0; i < cardCount + PROBE_CARD_IDS.length; i++) {
      const id = i < PROBE_CARD_IDS.length ? PROBE_CARD_IDS[i]! : `card-${String(i).padStart(6, '0')}`;
      const card = new Y.Map<unknown>();
      const kind = KINDS[i % KINDS.length]!;
      card.set('id', id);
      card.set('kind', kind);
      card.set('title', new Y.Text(`${kind} ${i}: cache hit rate dropped after deploy ${8000 + (i % 997)}`));
      card.set('body', new Y.Text(`Observed on the checkout dashboard; p99 latency ${(i % 40) / 10 + 1} s.`));
      card.set('author', `user-${i % 7}`);
      card.set('x', (i % 50) * 260);
      card.set('y', Math.floor(i / 50) * 180);
      card.set('w', 240);
      card.set('h', 160);
      card.set('createdAt', createdAt + i * 1000);
      card.set('updatedAt', createdAt + i * 1000);
      cards.set(id, card);
      cardIds.push(id);
    }
  });
  return { update: Y.encodeStateAsUpdate(doc), cardIds };
}

/**
 * For each of `clients` draggers, `count` card-move messages (sync update frames), as a real client would
 * produce them while dragging a card: one transaction setting x and y per pointer event. Each dragger
 * works on its own Y.Doc (own clientID) that starts from the seed.
 */
export function makeDragMessages(seed: BoardSeed, clients: number, count: number): Uint8Array[][] {
  const result: Uint8Array[][] = [];
  const draggable = seed.cardIds.slice(PROBE_CARD_IDS.length);
  for (let c = 0; c < clients; c++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, seed.update);
    const cards = doc.getMap<Y.Map<unknown>>('cards');
    const messages: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => messages.push(updateMessage(update)));
    // A drag is ~120 pointer events on one card, then the next card.
    for (let i = 0; i < count; i++) {
      const card = cards.get(draggable[(c * 37 + Math.floor(i / 120)) % draggable.length]!)!;
      const step = i % 120;
      doc.transact(() => {
        card.set('x', 100 + c * 300 + step * 3);
        card.set('y', 200 + step * 2);
      });
    }
    doc.destroy();
    result.push(messages);
  }
  return result;
}

/** For each of `clients` users, `count` awareness messages of a moving cursor (one per pointer event). */
export function makeCursorMessages(clients: number, count: number): Uint8Array[][] {
  const result: Uint8Array[][] = [];
  for (let c = 0; c < clients; c++) {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalState({ user: { name: `Responder ${c}`, color: '#c0392b' }, cursor: null });
    const messages: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      awareness.setLocalStateField('cursor', { x: 400 + ((i * 7 + c * 13) % 900), y: 300 + ((i * 5) % 600) });
      messages.push(awarenessMessage(encodeAwarenessUpdate(awareness, [doc.clientID])));
    }
    awareness.destroy();
    doc.destroy();
    result.push(messages);
  }
  return result;
}

/**
 * For each of `clients` users, `count` messages: the first creates the user's own card, the rest move it.
 * Each user writes on a Y.Doc of its own: every user touches only its own card, so each user's updates
 * depend only on its own earlier ones, and the streams can be replayed in any interleaving. (One shared
 * Y.Doc with its clientID switched per user was quadratic: every transaction reads the state vector of
 * all clients so far — 3 s for 700 users × 40 messages.)
 */
export function makeOwnCardMessages(clients: number, count: number): Uint8Array[][] {
  const result: Uint8Array[][] = [];
  for (let c = 0; c < clients; c++) {
    const doc = new Y.Doc();
    const cards = doc.getMap<Y.Map<unknown>>('cards');
    const messages: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => messages.push(updateMessage(update)));
    const id = `own-card-${c}`;
    const card = new Y.Map<unknown>();
    doc.transact(() => {
      card.set('id', id);
      card.set('kind', 'note');
      card.set('title', new Y.Text(`note ${c}`));
      card.set('body', new Y.Text(''));
      card.set('x', c * 10);
      card.set('y', 0);
      cards.set(id, card);
    });
    for (let i = 1; i < count; i++) {
      doc.transact(() => {
        card.set('x', c * 10 + i);
        card.set('y', i % 300);
      });
    }
    doc.destroy();
    result.push(messages);
  }
  return result;
}
