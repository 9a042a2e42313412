// What search and board lists need from a document: read through the model, never by poking at maps.
import type * as Y from 'yjs';
import { BoardDoc, type BoardSnapshot } from '@redstring/model';
import type { BoardSummaryUpdate } from '../storage/storage';

/** The actor the server reads documents as (it never writes to them after creation). */
export const SERVER_ACTOR = { userId: 'redstring-server', name: 'Redstring server' } as const;

/** Search text is capped so one enormous board cannot bloat the boards table. */
const SEARCH_TEXT_MAX_CHARS = 1_000_000;

export function readBoardSnapshot(doc: Y.Doc): BoardSnapshot {
  return new BoardDoc(doc, { actor: SERVER_ACTOR }).read().board;
}

export function summarizeBoard(board: BoardSnapshot): BoardSummaryUpdate {
  const parts = [board.meta.title];
  let length = board.meta.title.length;
  for (const card of board.cards) {
    if (length > SEARCH_TEXT_MAX_CHARS) break;
    parts.push(card.title, card.body);
    length += card.title.length + card.body.length + 2;
  }
  return {
    title: board.meta.title,
    status: board.meta.status,
    cardCount: board.cards.length,
    participants: board.participants.map((p) => p.name),
    searchText: parts.join('\n').slice(0, SEARCH_TEXT_MAX_CHARS),
  };
}
