// Random but reproducible board work through the model's BoardDoc: what responders do to a board
// (cards, text edits, moves, links, hypothesis status, board meta), drawn from a seeded generator.
import { BoardDoc, BoardDocError, CARD_KINDS, HYPOTHESIS_STATUSES, type LinkRelation } from '@redstring/model';
import type * as Y from 'yjs';
import type { Prng } from './prng';

const relations: LinkRelation[] = ['supports', 'refutes', 'part-of', 'leads-to', 'triggers', 'enables', 'mitigates'];
const words = ['cache', 'latency', 'deploy', 'p99', 'checkout', 'rollback', 'eviction', 'provider', 'queue', 'disk', 'DNS', 'TLS', '→', 'ümlaut', '🔥'];

export type OpName =
  | 'createCard'
  | 'typeText'
  | 'deleteText'
  | 'updateCard'
  | 'moveCards'
  | 'deleteCards'
  | 'link'
  | 'unlink'
  | 'hypothesisStatus'
  | 'boardMeta'
  | 'touchParticipant';

export const defaultWeights: Readonly<Record<OpName, number>> = {
  createCard: 12,
  typeText: 30,
  deleteText: 8,
  updateCard: 8,
  moveCards: 14,
  deleteCards: 2,
  link: 8,
  unlink: 2,
  hypothesisStatus: 6,
  boardMeta: 3,
  touchParticipant: 2,
};

/** Deletes about as much as it writes, for long runs on one board. */
export const steadySizeWeights: Readonly<Record<OpName, number>> = {
  ...defaultWeights,
  createCard: 6,
  typeText: 22,
  deleteText: 24,
  deleteCards: 5,
};

/** A responder editing one board replica with seeded choices, ids and clock. */
export class RandomEditor {
  readonly board: BoardDoc;
  private now: number;

  constructor(
    doc: Y.Doc,
    readonly userId: string,
    private readonly prng: Prng,
    private readonly weights: Readonly<Record<OpName, number>> = defaultWeights,
  ) {
    this.now = 1_750_000_000_000 + prng.int(0, 1000);
    this.board = new BoardDoc(doc, {
      actor: { userId, name: `Responder ${userId.slice(-4)}` },
      clock: () => (this.now += this.prng.int(1, 500)),
      newId: () => this.prng.id(16),
    });
  }

  private text(maxWords: number): string {
    return Array.from({ length: this.prng.int(1, maxWords) }, () => this.prng.pick(words)).join(' ');
  }

  private cardIds(): string[] {
    return [...this.board.doc.getMap('cards').keys()].sort();
  }

  /** Performs one random operation; returns its name (or 'noop' when the board offers nothing to do). */
  step(): OpName | 'noop' {
    const op = this.prng.weighted(this.weights);
    try {
      return this.apply(op) ? op : 'noop';
    } catch (error) {
      // A remote deletion can make a choice invalid between reading and writing; the model refuses it.
      if (error instanceof BoardDocError) return 'noop';
      throw error;
    }
  }

  private apply(op: OpName): boolean {
    const cards = this.cardIds();
    if (cards.length === 0 && op !== 'boardMeta' && op !== 'touchParticipant') op = 'createCard';
    const someCard = () => this.prng.pick(cards);
    switch (op) {
      case 'createCard':
        this.board.createCard({
          kind: this.prng.pick(CARD_KINDS),
          title: this.text(4),
          body: this.prng.chance(0.5) ? this.text(12) : '',
          x: this.prng.int(-2000, 2000),
          y: this.prng.int(-2000, 2000),
        });
        return true;
      case 'typeText': {
        const id = someCard();
        const field = this.prng.chance(0.3) ? 'title' : 'body';
        const length = (field === 'title' ? this.board.titleText(id) : this.board.bodyText(id))?.length ?? 0;
        if (field === 'title' && length > 250) return false;
        this.board.editText(id, field, this.prng.int(0, length), 0, this.text(3) + ' ');
        return true;
      }
      case 'deleteText': {
        const id = someCard();
        const length = this.board.bodyText(id)?.length ?? 0;
        if (length === 0) return false;
        const at = this.prng.int(0, length - 1);
        this.board.editText(id, 'body', at, this.prng.int(1, Math.min(20, length - at)));
        return true;
      }
      case 'updateCard':
        this.board.updateCard(someCard(), {
          followUp: this.prng.chance(0.5),
          tags: this.prng.chance(0.5) ? [this.prng.pick(['db', 'net', 'app', 'infra'])] : null,
          w: this.prng.int(120, 400),
        });
        return true;
      case 'moveCards': {
        const moves = Array.from({ length: this.prng.int(1, Math.min(4, cards.length)) }, () => ({
          id: someCard(),
          x: this.prng.int(-2000, 2000),
          y: this.prng.int(-2000, 2000),
        }));
        this.board.moveCards(moves);
        return true;
      }
      case 'deleteCards':
        if (cards.length < 4) return false;
        this.board.deleteCards([someCard()]);
        return true;
      case 'link': {
        if (cards.length < 2) return false;
        const from = someCard();
        const to = someCard();
        if (from === to) return false;
        this.board.link(from, to, this.prng.pick(relations), this.prng.chance(0.3) ? this.text(3) : undefined);
        return true;
      }
      case 'unlink': {
        const links = [...this.board.doc.getMap('links').keys()].sort();
        if (links.length === 0) return false;
        this.board.unlink(this.prng.pick(links));
        return true;
      }
      case 'hypothesisStatus': {
        const hypotheses = cards.filter((id) => this.board.readCard(id)?.kind === 'hypothesis');
        if (hypotheses.length === 0) return false;
        const result = this.board.setHypothesisStatus(this.prng.pick(hypotheses), this.prng.pick(HYPOTHESIS_STATUSES), this.text(5));
        return result.ok;
      }
      case 'boardMeta':
        this.board.setBoardMeta({
          title: this.text(5),
          severity: this.prng.chance(0.3) ? null : this.prng.pick(['sev1', 'sev2', 'sev3', 'sev4', 'sev5'] as const),
        });
        return true;
      case 'touchParticipant':
        this.board.touchParticipant({ name: `Responder ${this.userId.slice(-4)}`, color: '#2e86de' });
        return true;
    }
  }
}
