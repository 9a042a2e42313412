// Reading a board's Y.Doc into plain, validated snapshots. Whatever is in the document — including
// values a buggy or hostile client wrote straight into it — read never throws: bad records are skipped
// and reported as problems, good ones are returned in an order every replica agrees on.
import * as Y from 'yjs';
import { BODY_MAX_LENGTH, ID_PATTERN, TITLE_MAX_LENGTH } from './limits';
import { CURRENT_SCHEMA_VERSION } from './migrations';
import { type BoardDocTypes, CARD_STORED_KEYS } from './board-layout';
import { type BoardMeta, DEFAULT_BOARD_STATUS, DEFAULT_BOARD_TITLE, validateBoardMeta } from './records/board';
import { type Card, type CardKind, DEFAULT_CARD_SIZE, validateCard } from './records/card';
import { type Link, validateLink } from './records/link';
import { type Participant, validateParticipant } from './records/participant';
import { type StatusChange, compareStatusChanges, currentStatuses, validateStatusChange } from './records/status-change';

export interface BoardSnapshot {
  meta: BoardMeta;
  /** By (createdAt, id). */
  cards: Card[];
  /** By (createdAt, id). Links whose cards were deleted are kept; the timeline reports them. */
  links: Link[];
  /** In effective order: by (at, id). */
  statusLog: StatusChange[];
  /** By (firstSeenAt, userId). */
  participants: Participant[];
}

export interface ReadProblem {
  where: 'meta' | 'card' | 'link' | 'statusLog' | 'participant';
  id?: string;
  message: string;
}

export interface BoardRead {
  board: BoardSnapshot;
  problems: ReadProblem[];
}

function byCreatedAtThenId<T extends { createdAt: number; id: string }>(a: T, b: T): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function describePath(path: string, message: string): string {
  return path ? `${path}: ${message}` : message;
}

/** Like Object.fromEntries over a Y.Map, but never follows the value's prototype chain. */
function plainEntries(map: Y.Map<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of map.entries()) out[key] = value;
  return out;
}

export function readMeta(meta: Y.Map<unknown>, fallbackId: string, problems: ReadProblem[]): BoardMeta {
  const defaults: Record<string, unknown> = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    id: ID_PATTERN.test(fallbackId) ? fallbackId : 'unknown-board',
    title: DEFAULT_BOARD_TITLE,
    status: DEFAULT_BOARD_STATUS,
    createdAt: 0,
    createdBy: 'unknown',
  };
  if (meta.size === 0) {
    problems.push({ where: 'meta', message: 'the board has not been initialized (no meta yet)' });
    return { ...defaults } as unknown as BoardMeta;
  }
  const candidate: Record<string, unknown> = { ...plainEntries(meta) };
  // Repair field by field: drop (or default) each field the validator rejects, so one bad value does not
  // hide the rest of the board's meta.
  for (let attempt = 0; attempt <= Object.keys(defaults).length + 12; attempt++) {
    const checked = validateBoardMeta(candidate);
    if (checked.ok) return checked.value;
    const key = checked.error.path.split(/[.[]/)[0] ?? '';
    const missing = key !== '' && candidate[key] === undefined && key in defaults;
    // A missing field is usually an undo that conflicted with someone else's change, not corruption.
    const message = missing
      ? `${key}: missing, shown as ${String(defaults[key])}`
      : describePath(checked.error.path, checked.error.message);
    problems.push({ where: 'meta', message });
    if (key === '') break;
    if (key in defaults) candidate[key] = defaults[key];
    else delete candidate[key];
  }
  return defaults as unknown as BoardMeta;
}

/** Plain fields of one card's Y.Map, with title and body read out of their Y.Text. */
export function readCard(id: string, value: unknown, problems: ReadProblem[]): Card | undefined {
  if (!(value instanceof Y.Map)) {
    problems.push({ where: 'card', id, message: 'a card must be a Y.Map' });
    return undefined;
  }
  const raw: Record<string, unknown> = {};
  for (const key of CARD_STORED_KEYS) {
    const field: unknown = value.get(key);
    if (field !== undefined) raw[key] = field;
  }
  // Layout fields can legitimately vanish: Yjs's undo deletes this user's value of a key and will not
  // restore the older one when another user changed that key concurrently. Show the card with defaults.
  const repairs: ReadProblem[] = [];
  for (const key of ['x', 'y', 'w', 'h', 'updatedAt'] as const) {
    if (raw[key] !== undefined) continue;
    const fallback = layoutDefault(key, raw);
    if (fallback === undefined) continue;
    raw[key] = fallback;
    repairs.push({ where: 'card', id, message: `${key}: missing, shown as ${fallback}` });
  }
  for (const [key, max] of [
    ['title', TITLE_MAX_LENGTH],
    ['body', BODY_MAX_LENGTH],
  ] as const) {
    const text = raw[key];
    if (!(text instanceof Y.Text)) {
      problems.push({ where: 'card', id, message: `${key}: must be a Y.Text` });
      return undefined;
    }
    let s = text.toString();
    // Concurrent typing can merge two valid texts into one over the limit. Dropping the card would lose
    // both people's work, so keep it, cut the excess from the snapshot and say so.
    if (s.length > max) {
      problems.push({ where: 'card', id, message: `${key}: ${s.length} characters, over the limit of ${max}; shown cut` });
      s = s.slice(0, max);
    }
    raw[key] = s;
  }
  const checked = validateCard(raw);
  if (!checked.ok) {
    problems.push({ where: 'card', id, message: describePath(checked.error.path, checked.error.message) });
    return undefined;
  }
  if (checked.value.id !== id) {
    problems.push({ where: 'card', id, message: `id: stored id ${checked.value.id} differs from its key` });
    return undefined;
  }
  problems.push(...repairs);
  return checked.value;
}

function layoutDefault(key: 'x' | 'y' | 'w' | 'h' | 'updatedAt', raw: Record<string, unknown>): number | undefined {
  if (key === 'x' || key === 'y') return 0;
  if (key === 'updatedAt') return typeof raw.createdAt === 'number' ? raw.createdAt : undefined;
  const size = typeof raw.kind === 'string' && Object.hasOwn(DEFAULT_CARD_SIZE, raw.kind) ? DEFAULT_CARD_SIZE[raw.kind as CardKind] : undefined;
  return size?.[key];
}

export function readBoard(types: BoardDocTypes, fallbackId: string): BoardRead {
  const problems: ReadProblem[] = [];
  const meta = readMeta(types.meta, fallbackId, problems);

  const statusLog: StatusChange[] = [];
  const seenChanges = new Set<string>();
  types.statusLog.forEach((entry, index) => {
    const checked = validateStatusChange(entry);
    if (!checked.ok) {
      problems.push({ where: 'statusLog', message: `entry ${index}: ${describePath(checked.error.path, checked.error.message)}` });
      return;
    }
    if (seenChanges.has(checked.value.id)) {
      problems.push({ where: 'statusLog', id: checked.value.id, message: `entry ${index}: duplicate id, ignored` });
      return;
    }
    seenChanges.add(checked.value.id);
    statusLog.push(checked.value);
  });
  statusLog.sort(compareStatusChanges);
  const statuses = currentStatuses(statusLog);

  const cards: Card[] = [];
  for (const [id, value] of types.cards.entries()) {
    const card = readCard(id, value, problems);
    if (!card) continue;
    // Status is the log's, whatever a client may have stored on the card.
    delete card.status;
    if (card.kind === 'hypothesis') card.status = statuses.get(id) ?? 'open';
    cards.push(card);
  }
  cards.sort(byCreatedAtThenId);

  const links: Link[] = [];
  for (const [id, value] of types.links.entries()) {
    const checked = validateLink(value);
    if (!checked.ok) {
      problems.push({ where: 'link', id, message: describePath(checked.error.path, checked.error.message) });
    } else if (checked.value.id !== id) {
      problems.push({ where: 'link', id, message: `id: stored id ${checked.value.id} differs from its key` });
    } else {
      links.push(checked.value);
    }
  }
  links.sort(byCreatedAtThenId);

  const participants: Participant[] = [];
  for (const [userId, value] of types.participants.entries()) {
    const checked = validateParticipant(value);
    if (!checked.ok) {
      problems.push({ where: 'participant', id: userId, message: describePath(checked.error.path, checked.error.message) });
    } else if (checked.value.userId !== userId) {
      problems.push({ where: 'participant', id: userId, message: `userId: stored ${checked.value.userId} differs from its key` });
    } else {
      participants.push(checked.value);
    }
  }
  participants.sort(
    (a, b) => a.firstSeenAt - b.firstSeenAt || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );

  return { board: { meta, cards, links, statusLog, participants }, problems };
}
