// An incremental, validated read model of a board's Y.Doc for the canvas. BoardDoc.read() validates the
// whole board; at thousands of cards that is too slow to run on every keystroke or drag frame, so the
// mirror re-reads only the cards a transaction touched. Layout per docs/model-contract.md.
import * as Y from 'yjs';
import type { BoardMeta, Card, HypothesisStatus, Link, Participant, StatusChange } from '@redstring/model';
import { validateBoardMeta, validateCard, validateLink, validateParticipant } from '@redstring/model';

export interface MirrorChange {
  /** Card ids added, changed or removed. */
  cards: Set<string>;
  links: boolean;
  meta: boolean;
  participants: boolean;
  statusLog: boolean;
  local: boolean;
}

export class BoardMirror {
  readonly cards = new Map<string, Card>();
  readonly links = new Map<string, Link>();
  readonly participants = new Map<string, Participant>();
  statusLog: StatusChange[] = [];
  meta: BoardMeta | undefined;
  /** Cards ordered bottom to top (creation order). */
  private order: string[] = [];
  private zIndex = new Map<string, number>();
  private orderDirty = true;
  private readonly listeners = new Set<(change: MirrorChange) => void>();
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly doc: Y.Doc,
    private readonly isLocalOrigin: (origin: unknown) => boolean,
  ) {
    this.readAll();
    const cardsMap = doc.getMap('cards');
    const linksMap = doc.getMap('links');
    const statusLog = doc.getArray('statusLog');
    const meta = doc.getMap('meta');
    const participants = doc.getMap('participants');

    let pending: MirrorChange | undefined;
    const change = (): MirrorChange =>
      (pending ??= { cards: new Set(), links: false, meta: false, participants: false, statusLog: false, local: false });

    const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const c = change();
      for (const e of events) {
        if (e.target === cardsMap) for (const key of (e as Y.YMapEvent<unknown>).keysChanged) c.cards.add(key);
        else if (typeof e.path[0] === 'string') c.cards.add(e.path[0]);
      }
    };
    const onLinks = () => void (change().links = true);
    const onStatus = () => void (change().statusLog = true);
    const onMeta = () => void (change().meta = true);
    const onParticipants = () => void (change().participants = true);
    // Apply everything one transaction changed at once, after the transaction is complete.
    const onAfterTransaction = (tr: Y.Transaction) => {
      if (!pending) return;
      const c = pending;
      pending = undefined;
      c.local = this.isLocalOrigin(tr.origin);
      this.apply(c);
    };
    cardsMap.observeDeep(onCards);
    linksMap.observe(onLinks);
    statusLog.observe(onStatus);
    meta.observe(onMeta);
    participants.observe(onParticipants);
    doc.on('afterTransaction', onAfterTransaction);
    this.disposers.push(
      () => cardsMap.unobserveDeep(onCards),
      () => linksMap.unobserve(onLinks),
      () => statusLog.unobserve(onStatus),
      () => meta.unobserve(onMeta),
      () => participants.unobserve(onParticipants),
      () => doc.off('afterTransaction', onAfterTransaction),
    );
  }

  onChange(listener: (change: MirrorChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    for (const d of this.disposers) d();
    this.listeners.clear();
  }

  /** Cards bottom to top. */
  cardOrder(): readonly string[] {
    this.ensureOrder();
    return this.order;
  }

  zOf(id: string): number {
    this.ensureOrder();
    return this.zIndex.get(id) ?? -1;
  }

  statusOf(cardId: string): HypothesisStatus {
    for (let i = this.statusLog.length - 1; i >= 0; i--) {
      const entry = this.statusLog[i];
      if (entry && entry.cardId === cardId) return entry.to;
    }
    return 'open';
  }

  /** The latest status change of a card (for the reason shown under a ruled-out hypothesis). */
  lastStatusChange(cardId: string): StatusChange | undefined {
    for (let i = this.statusLog.length - 1; i >= 0; i--) {
      const entry = this.statusLog[i];
      if (entry && entry.cardId === cardId) return entry;
    }
    return undefined;
  }

  participantName(userId: string): string | undefined {
    return this.participants.get(userId)?.name;
  }

  private readAll(): void {
    this.readMeta();
    this.readStatusLog();
    this.cards.clear();
    for (const id of this.doc.getMap('cards').keys()) this.readCard(id);
    this.readLinks();
    this.readParticipants();
    this.orderDirty = true;
  }

  private apply(c: MirrorChange): void {
    if (c.meta) this.readMeta();
    if (c.statusLog) {
      const before = new Map(this.statusLog.map((s) => [s.cardId, true]));
      this.readStatusLog();
      for (const s of this.statusLog) before.set(s.cardId, true);
      for (const id of before.keys()) c.cards.add(id);
    }
    let cardSetChanged = false;
    for (const id of c.cards) {
      const had = this.cards.has(id);
      this.readCard(id);
      if (had !== this.cards.has(id)) cardSetChanged = true;
    }
    if (cardSetChanged) {
      this.orderDirty = true;
      // A link may have arrived before one of its cards: re-check them against the new card set.
      c.links = true;
    }
    if (c.links) this.readLinks();
    if (c.participants) this.readParticipants();
    for (const l of this.listeners) l(c);
  }

  private readCard(id: string): void {
    const raw = this.doc.getMap('cards').get(id);
    if (!(raw instanceof Y.Map)) {
      this.cards.delete(id);
      return;
    }
    const plain = raw.toJSON() as Record<string, unknown>;
    if (plain.kind === 'hypothesis') plain.status = this.statusOf(id);
    const result = validateCard({ id, ...plain });
    if (result.ok) this.cards.set(id, result.value);
    else this.cards.delete(id);
  }

  private readLinks(): void {
    this.links.clear();
    for (const [id, raw] of this.doc.getMap('links').entries()) {
      const result = validateLink(raw instanceof Y.Map ? raw.toJSON() : { id, ...(raw as object) });
      if (result.ok && this.doc.getMap('cards').has(result.value.from) && this.doc.getMap('cards').has(result.value.to)) {
        this.links.set(id, result.value);
      }
    }
  }

  private readStatusLog(): void {
    this.statusLog = this.doc
      .getArray('statusLog')
      .toArray()
      .filter((s): s is StatusChange => !!s && typeof s === 'object' && typeof (s as StatusChange).cardId === 'string');
  }

  private readMeta(): void {
    const result = validateBoardMeta(this.doc.getMap('meta').toJSON());
    this.meta = result.ok ? result.value : undefined;
  }

  private readParticipants(): void {
    this.participants.clear();
    for (const [id, raw] of this.doc.getMap('participants').entries()) {
      const result = validateParticipant(raw);
      if (result.ok) this.participants.set(id, result.value);
    }
  }

  private ensureOrder(): void {
    if (!this.orderDirty) return;
    this.order = [...this.cards.values()]
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map((c) => c.id);
    this.zIndex = new Map(this.order.map((id, i) => [id, i]));
    this.orderDirty = false;
  }
}
