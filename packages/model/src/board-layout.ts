// Names of the top-level shared types of one board's Y.Doc (schema version 1) and the keys a card's
// Y.Map stores. Written down once so the binding, the reader and tests agree.
import type * as Y from 'yjs';
import type { Card } from './records/card';

export const BOARD_DOC_TYPES = {
  /** BoardMeta fields as plain values. */
  meta: 'meta',
  /** cardId → Y.Map of Card fields; `title` and `body` are Y.Text. */
  cards: 'cards',
  /** linkId → plain Link object. */
  links: 'links',
  /** StatusChange entries, append-only. */
  statusLog: 'statusLog',
  /** userId → plain Participant object. */
  participants: 'participants',
} as const;

/** Card fields kept in a card's Y.Map (status is derived from the status log, never stored). */
export const CARD_STORED_KEYS = [
  'id',
  'kind',
  'title',
  'body',
  'author',
  'x',
  'y',
  'w',
  'h',
  'createdAt',
  'updatedAt',
  'source',
  'observedAt',
  'noticedAt',
  'actionState',
  'doneAt',
  'owner',
  'answered',
  'followUp',
  'tags',
] as const satisfies readonly (keyof Card)[];

/**
 * Card fields the timeline never reads: where a card sits and how big it is, its body, its tags and when
 * it was last edited. A transaction that changes nothing else leaves the timeline as it was.
 */
export const CARD_KEYS_OUTSIDE_TIMELINE: ReadonlySet<string> = new Set([
  'x',
  'y',
  'w',
  'h',
  'body',
  'tags',
  'updatedAt',
] satisfies (typeof CARD_STORED_KEYS)[number][]);

/** Card fields held as collaborative text. */
export const CARD_TEXT_KEYS = ['title', 'body'] as const;
export type CardTextKey = (typeof CARD_TEXT_KEYS)[number];

export interface BoardDocTypes {
  meta: Y.Map<unknown>;
  cards: Y.Map<unknown>;
  links: Y.Map<unknown>;
  statusLog: Y.Array<unknown>;
  participants: Y.Map<unknown>;
}

export function boardDocTypes(doc: Y.Doc): BoardDocTypes {
  return {
    meta: doc.getMap(BOARD_DOC_TYPES.meta),
    cards: doc.getMap(BOARD_DOC_TYPES.cards),
    links: doc.getMap(BOARD_DOC_TYPES.links),
    statusLog: doc.getArray(BOARD_DOC_TYPES.statusLog),
    participants: doc.getMap(BOARD_DOC_TYPES.participants),
  };
}
