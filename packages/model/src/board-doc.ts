// Typed operations over one board's Y.Doc. Every operation is one transaction with this binding's
// stable `origin`, so an UndoManager tracking that origin undoes exactly this user's changes, and
// observers can tell local changes from remote ones.
//
// Operations throw BoardDocError when called with invalid values (a caller bug: the UI validates what
// people type); they never write an invalid record. read() never throws.
import * as Y from 'yjs';
import type { Result } from './result';
import { invalid, ok } from './result';
import { newId as randomId } from './ids';
import { CURRENT_SCHEMA_VERSION } from './migrations';
import { type BoardDocTypes, type CardTextKey, CARD_KEYS_OUTSIDE_TIMELINE, boardDocTypes } from './board-layout';
import { type BoardRead, readBoard, readCard } from './board-read';
import {
  type BoardOutcome,
  type BoardStatus,
  type Severity,
  boardOutcome,
  boardStatus,
  boardSummary,
  boardTitle,
  personName,
  severity as severityValue,
  validateBoardMeta,
} from './records/board';
import {
  type Card,
  type CardKind,
  type HypothesisStatus,
  DEFAULT_CARD_SIZE,
  cardBody,
  cardFieldValidators,
  cardTitle,
  coordinate,
  hypothesisStatus,
  validateCard,
} from './records/card';
import { type LinkRelation, validateLink } from './records/link';
import { participantColor, clockOffset, type Participant } from './records/participant';
import { type StatusChange, compareStatusChanges, statusReason, validateStatusChange } from './records/status-change';
import { idString, isPlainObject, type Validator } from './validate';

export { type BoardSnapshot, type ReadProblem, type BoardRead } from './board-read';
export { BOARD_DOC_TYPES, CARD_STORED_KEYS } from './board-layout';

export interface Actor {
  userId: string;
  name: string;
}

/** The origin of every transaction a BoardDoc makes (one stable object per BoardDoc). */
export interface BoardDocOrigin {
  readonly actor: Actor;
  readonly local: true;
}

export interface BoardDocOptions {
  actor: Actor;
  /** ms since the epoch; defaults to Date.now (inject a corrected or simulated clock). */
  clock?: () => number;
  /** Id generator for new cards, links and status changes; defaults to newId (tests inject a seeded one). */
  newId?: () => string;
}

/** A new card. `author` is always the acting user and `status` comes from the status log: both ignored. */
export type NewCardInput = Partial<Card> & { kind: CardKind; title: string };

type PlainCardField = keyof typeof cardFieldValidators;
type OptionalCardField = 'source' | 'observedAt' | 'noticedAt' | 'actionState' | 'doneAt' | 'owner' | 'answered' | 'followUp' | 'tags';
/** Plain card fields to change. `null` removes an optional field. Title and body: setTitle/setBody/editText. */
export type CardPatch = { [K in Exclude<PlainCardField, OptionalCardField | 'title' | 'body' | 'updatedAt'>]?: Card[K] } & {
  [K in OptionalCardField]?: Card[K] | null;
};

export interface BoardMetaPatch {
  title?: string;
  status?: BoardStatus;
  /** null clears the severity (it is decided later, or not at all). */
  severity?: Severity | null;
  outcome?: BoardOutcome | null;
  summary?: string | null;
}

export interface BoardChange {
  /** True when this BoardDoc made the change (transaction.origin === boardDoc.origin). */
  local: boolean;
  origin: unknown;
  /**
   * False when the transaction only moved, resized or re-tagged cards or edited their bodies: the timeline
   * built from the board is then the same as before (a page showing it need not rebuild).
   */
  timeline: boolean;
}

/** An operation was called with a value the model does not accept. */
export class BoardDocError extends Error {
  override readonly name = 'BoardDocError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

function check<T>(validator: Validator<T>, value: unknown, path: string): T {
  const result = validator(value, path);
  if (!result.ok) throw new BoardDocError(result.error.path, result.error.message);
  return result.value;
}

export class BoardDoc {
  readonly doc: Y.Doc;
  readonly origin: BoardDocOrigin;
  private readonly types: BoardDocTypes;
  private readonly clock: () => number;
  private readonly makeId: () => string;

  constructor(doc: Y.Doc, options: BoardDocOptions) {
    check(idString, options.actor.userId, 'actor.userId');
    check(personName, options.actor.name, 'actor.name');
    this.doc = doc;
    this.origin = Object.freeze({ actor: { ...options.actor }, local: true as const });
    this.types = boardDocTypes(doc);
    this.clock = options.clock ?? (() => Date.now());
    this.makeId = options.newId ?? randomId;
  }

  get actor(): Actor {
    return this.origin.actor;
  }

  /**
   * Writes the board's meta if the document has none yet (the creating server or client calls this;
   * calling it again, or after another replica did, changes nothing).
   */
  static initialize(doc: Y.Doc, meta: { id: string; title: string; createdBy: string; createdAt: number }): void {
    const record = { schemaVersion: CURRENT_SCHEMA_VERSION, status: 'investigating', ...meta };
    const checked = validateBoardMeta(record);
    if (!checked.ok) throw new BoardDocError(checked.error.path, checked.error.message);
    const map = boardDocTypes(doc).meta;
    doc.transact(() => {
      if (map.get('id') !== undefined) {
        if (map.get('schemaVersion') === undefined) map.set('schemaVersion', CURRENT_SCHEMA_VERSION);
        return;
      }
      for (const [key, value] of Object.entries(checked.value)) map.set(key, value);
    });
  }

  /**
   * The shared types an UndoManager should cover: meta, cards and links. The status log is left out on
   * purpose (it is history: a status change is undone by another status change, not by erasing it), and
   * so are participants (presence bookkeeping). Use with trackedOrigins: new Set([boardDoc.origin]).
   */
  undoScope(): Y.Map<unknown>[] {
    return [this.types.meta, this.types.cards, this.types.links];
  }

  /** Runs `fn` as one transaction of this user (for batching edits made directly on Y.Text). */
  transact(fn: () => void): void {
    this.doc.transact(fn, this.origin);
  }

  // ------------------------------------------------------------------------------------------- cards

  createCard(input: NewCardInput): string {
    const now = this.clock();
    const id = input.id ?? this.makeId();
    if (this.types.cards.has(id)) throw new BoardDocError('id', `a card ${id} already exists`);
    const size = DEFAULT_CARD_SIZE[input.kind] ?? { w: 200, h: 120 };
    const raw: Record<string, unknown> = {
      ...input,
      id,
      body: input.body ?? '',
      author: this.actor.userId,
      x: input.x ?? 0,
      y: input.y ?? 0,
      w: input.w ?? size.w,
      h: input.h ?? size.h,
      createdAt: input.createdAt ?? now,
      updatedAt: input.updatedAt ?? input.createdAt ?? now,
    };
    delete raw.status;
    const checked = validateCard(raw);
    if (!checked.ok) throw new BoardDocError(checked.error.path, checked.error.message);
    const card = checked.value;
    this.transact(() => {
      const map = new Y.Map<unknown>();
      this.types.cards.set(id, map);
      for (const [key, value] of Object.entries(card)) {
        if (key === 'title' || key === 'body') map.set(key, new Y.Text(value as string));
        else map.set(key, value);
      }
    });
    return id;
  }

  /** Changes plain fields of a card; does nothing if the card does not exist (e.g. deleted remotely). */
  updateCard(id: string, patch: CardPatch): void {
    if (!isPlainObject(patch)) throw new BoardDocError('', 'a card patch must be a plain object');
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
    for (const [key, value] of entries) {
      if (key === 'title' || key === 'body') throw new BoardDocError(key, 'use setTitle/setBody/editText for text');
      if (key === 'updatedAt') throw new BoardDocError(key, 'is set by the model');
      const validator = (cardFieldValidators as Record<string, Validator<unknown> | undefined>)[key];
      if (!validator) throw new BoardDocError(key, 'is not a card field that can be changed');
      if (value !== null) check(validator, value, key);
      else if (['x', 'y', 'w', 'h'].includes(key)) throw new BoardDocError(key, 'cannot be removed');
    }
    const map = this.cardMap(id);
    if (!map || entries.length === 0) return;
    this.transact(() => {
      for (const [key, value] of entries) {
        if (value === null) map.delete(key);
        else map.set(key, value);
      }
      map.set('updatedAt', this.clock());
    });
  }

  /** Moves several cards in one transaction (one undo step); unknown ids are skipped. */
  moveCards(moves: readonly { id: string; x: number; y: number }[]): void {
    moves.forEach((m, i) => {
      check(coordinate, m.x, `moves[${i}].x`);
      check(coordinate, m.y, `moves[${i}].y`);
    });
    this.transact(() => {
      for (const m of moves) {
        const map = this.cardMap(m.id);
        if (!map) continue;
        if (map.get('x') !== m.x) map.set('x', m.x);
        if (map.get('y') !== m.y) map.set('y', m.y);
      }
    });
  }

  titleText(id: string): Y.Text | undefined {
    return this.cardText(id, 'title');
  }

  bodyText(id: string): Y.Text | undefined {
    return this.cardText(id, 'body');
  }

  setTitle(id: string, text: string): void {
    this.replaceText(id, 'title', check(cardTitle, text, 'title'));
  }

  setBody(id: string, text: string): void {
    this.replaceText(id, 'body', check(cardBody, text, 'body'));
  }

  /** Deletes `deleteCount` characters at `index` of a card's title or body, then inserts `insert` there. */
  editText(id: string, field: CardTextKey, index: number, deleteCount: number, insert = ''): void {
    const text = this.cardText(id, field);
    if (!text) return;
    const at = Math.max(0, Math.min(Math.trunc(index), text.length));
    const remove = Math.max(0, Math.min(Math.trunc(deleteCount), text.length - at));
    if (typeof insert !== 'string') throw new BoardDocError('insert', 'must be a string');
    if (remove === 0 && insert === '') return;
    this.transact(() => {
      if (remove > 0) text.delete(at, remove);
      if (insert) text.insert(at, insert);
      this.cardMap(id)?.set('updatedAt', this.clock());
    });
  }

  /** Deletes cards and every link touching them, in one transaction. The status log keeps their history. */
  deleteCards(ids: readonly string[]): void {
    const doomed = new Set(ids);
    this.transact(() => {
      for (const id of doomed) this.types.cards.delete(id);
      for (const [linkId, value] of this.types.links.entries()) {
        if (!isPlainObject(value)) continue;
        if (doomed.has(value.from as string) || doomed.has(value.to as string)) this.types.links.delete(linkId);
      }
    });
  }

  // ------------------------------------------------------------------------------------------- links

  link(from: string, to: string, relation: LinkRelation, note?: string): string {
    const raw: Record<string, unknown> = {
      id: this.makeId(),
      from,
      to,
      relation,
      author: this.actor.userId,
      createdAt: this.clock(),
    };
    if (note !== undefined && note !== '') raw.note = note;
    const checked = validateLink(raw);
    if (!checked.ok) throw new BoardDocError(checked.error.path, checked.error.message);
    if (!this.cardMap(from)) throw new BoardDocError('from', `no card ${from}`);
    if (!this.cardMap(to)) throw new BoardDocError('to', `no card ${to}`);
    const link = checked.value;
    this.transact(() => this.types.links.set(link.id, link));
    return link.id;
  }

  unlink(linkId: string): void {
    if (!this.types.links.has(linkId)) return;
    this.transact(() => this.types.links.delete(linkId));
  }

  // ------------------------------------------------------------------------------ hypothesis status

  /**
   * Moves a hypothesis to `to`, appending who/when/why to the status log. Refuses cards that are not
   * hypotheses and changes to the status it already has.
   */
  setHypothesisStatus(cardId: string, to: HypothesisStatus, reason: string): Result<StatusChange> {
    const statusOk = hypothesisStatus(to, 'to');
    if (!statusOk.ok) return statusOk;
    const reasonOk = statusReason(reason, 'reason');
    if (!reasonOk.ok) return reasonOk;
    const map = this.cardMap(cardId);
    if (!map) return invalid('cardId', `no card ${cardId}`);
    if (map.get('kind') !== 'hypothesis') return invalid('cardId', `card ${cardId} is not a hypothesis`);
    const history = this.statusHistory(cardId);
    const last = history[history.length - 1];
    const from = last?.to ?? 'open';
    if (from === to) return invalid('to', `the hypothesis is already ${to}`);
    // A change must sort after the one it replaces, even when this client's clock is behind the clock of
    // whoever wrote that one; otherwise replicas would order the log against what people did.
    const now = this.clock();
    const at = last && now <= last.at ? last.at + 1 : now;
    const change: StatusChange = { id: this.makeId(), cardId, from, to, by: this.actor.userId, at, reason };
    this.transact(() => this.types.statusLog.push([change]));
    return ok(change);
  }

  // ------------------------------------------------------------------------------------- board meta

  setBoardMeta(patch: BoardMetaPatch): void {
    if (!isPlainObject(patch)) throw new BoardDocError('', 'a meta patch must be a plain object');
    const sets: [string, unknown][] = [];
    const deletes: string[] = [];
    if (patch.title !== undefined) sets.push(['title', check(boardTitle, patch.title, 'title')]);
    if (patch.status !== undefined) {
      sets.push(['status', check(boardStatus, patch.status, 'status')]);
      if (patch.status !== 'resolved') deletes.push('closedAt');
    }
    for (const [key, validator] of [
      ['severity', severityValue],
      ['outcome', boardOutcome],
      ['summary', boardSummary],
    ] as const) {
      const value = patch[key];
      if (value === null) deletes.push(key);
      else if (value !== undefined) sets.push([key, check(validator as Validator<unknown>, value, key)]);
    }
    if (sets.length === 0 && deletes.length === 0) return;
    this.transact(() => {
      for (const key of deletes) this.types.meta.delete(key);
      for (const [key, value] of sets) this.types.meta.set(key, value);
    });
  }

  /** Ends the investigation with an outcome (no impact, bug filed, …). */
  closeBoard(outcome: BoardOutcome): void {
    check(boardOutcome, outcome, 'outcome');
    this.transact(() => {
      this.types.meta.set('status', 'resolved');
      this.types.meta.set('outcome', outcome);
      this.types.meta.set('closedAt', this.clock());
    });
  }

  // ----------------------------------------------------------------------------------- participants

  /** Records that this user is on the board (first call) or still here (later calls). */
  touchParticipant(p: { name: string; color: string; clockOffsetMs?: number }): void {
    const now = this.clock();
    const previous = this.types.participants.get(this.actor.userId);
    const firstSeenAt =
      isPlainObject(previous) && typeof previous.firstSeenAt === 'number' && Number.isFinite(previous.firstSeenAt)
        ? Math.min(previous.firstSeenAt, now)
        : now;
    const participant: Participant = {
      userId: this.actor.userId,
      name: check(personName, p.name, 'name'),
      color: check(participantColor, p.color, 'color'),
      firstSeenAt,
      lastSeenAt: now,
    };
    if (p.clockOffsetMs !== undefined) participant.clockOffsetMs = check(clockOffset, p.clockOffsetMs, 'clockOffsetMs');
    this.transact(() => this.types.participants.set(this.actor.userId, participant));
  }

  // -------------------------------------------------------------------------------------- reading

  /** A validated snapshot of the whole board, and what had to be skipped. Never throws. */
  read(): BoardRead {
    try {
      return readBoard(this.types, this.doc.guid);
    } catch (error) {
      // Only reachable through a defect (a corrupted Yjs internals); still, never take the UI down.
      const message = error instanceof Error ? error.message : String(error);
      const fallback = readBoard(boardDocTypes(new Y.Doc()), this.doc.guid);
      fallback.problems.push({ where: 'meta', message: `the document could not be read: ${message}` });
      return fallback;
    }
  }

  /** One card as plain data (hypotheses with their status), or undefined if it is missing or invalid. */
  readCard(id: string): Card | undefined {
    const value = this.types.cards.get(id);
    const card = value === undefined ? undefined : readCard(id, value, []);
    if (!card) return undefined;
    delete card.status;
    if (card.kind === 'hypothesis') card.status = this.statusHistory(id).at(-1)?.to ?? 'open';
    return card;
  }

  /**
   * Calls `listener` once per transaction that changed the board. `local` is true for this BoardDoc's
   * own operations. Returns a disposer.
   */
  onChange(listener: (change: BoardChange) => void): () => void {
    const observed = [this.types.meta, this.types.cards, this.types.links, this.types.statusLog, this.types.participants];
    let lastTransaction: Y.Transaction | undefined;
    const handler = (_events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction): void => {
      // Each top-level type reports separately; one transaction is one change.
      if (transaction === lastTransaction) return;
      lastTransaction = transaction;
      listener({
        local: transaction.origin === this.origin,
        origin: transaction.origin,
        timeline: mayChangeTimeline(transaction, this.types.cards, observed),
      });
    };
    for (const type of observed) type.observeDeep(handler);
    return () => {
      for (const type of observed) type.unobserveDeep(handler);
    };
  }

  // -------------------------------------------------------------------------------------- internals

  private cardMap(id: string): Y.Map<unknown> | undefined {
    const value = this.types.cards.get(id);
    return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
  }

  private cardText(id: string, field: CardTextKey): Y.Text | undefined {
    const value = this.cardMap(id)?.get(field);
    return value instanceof Y.Text ? value : undefined;
  }

  /** Replaces a text by editing only the part that differs, so concurrent edits elsewhere survive. */
  private replaceText(id: string, field: CardTextKey, next: string): void {
    const text = this.cardText(id, field);
    if (!text) return;
    const current = text.toString();
    if (current === next) return;
    let start = 0;
    while (start < current.length && start < next.length && current[start] === next[start]) start++;
    let endCurrent = current.length;
    let endNext = next.length;
    while (endCurrent > start && endNext > start && current[endCurrent - 1] === next[endNext - 1]) {
      endCurrent--;
      endNext--;
    }
    this.transact(() => {
      if (endCurrent > start) text.delete(start, endCurrent - start);
      if (endNext > start) text.insert(start, next.slice(start, endNext));
      this.cardMap(id)?.set('updatedAt', this.clock());
    });
  }

  /** Valid status log entries of one card, in effective order. */
  private statusHistory(cardId: string): StatusChange[] {
    const history: StatusChange[] = [];
    for (const entry of this.types.statusLog.toArray()) {
      if (!isPlainObject(entry) || entry.cardId !== cardId) continue;
      const checked = validateStatusChange(entry);
      if (checked.ok) history.push(checked.value);
    }
    return history.sort(compareStatusChanges);
  }
}

/**
 * Whether a transaction changed anything the timeline reads: true unless every type it changed is a card's
 * map with only keys outside the timeline changed (a move, a resize), a card's body text, or a top-level
 * type the board does not use. Any other shape counts as a change. (`_item` and `parentSub` are how Yjs
 * tells where a nested type sits.) Not caught: a layout value so broken that the card no longer reads
 * (only a faulty or hostile client writes a non-number position); the timeline drops that card at its
 * next rebuild.
 */
function mayChangeTimeline(
  transaction: Y.Transaction,
  cards: Y.Map<unknown>,
  boardTypes: readonly object[],
): boolean {
  for (const [type, keys] of transaction.changed) {
    const item = type._item;
    if (item === null) {
      if (boardTypes.includes(type)) return true;
      continue;
    }
    const parent = item.parent;
    if (parent === cards) {
      for (const key of keys) if (key === null || !CARD_KEYS_OUTSIDE_TIMELINE.has(key)) return true;
      continue;
    }
    if (parent instanceof Y.AbstractType && parent._item?.parent === cards && item.parentSub === 'body') continue;
    return true;
  }
  return false;
}
