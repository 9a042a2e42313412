// A board relays every edit and cursor move to everyone else on it. Under load the server reads many of
// them in one event-loop turn, and relaying each on its own costs one send per edit per client: with 600
// clients each editing once a second, 360,000 sends a second, which is what saturates a core. So the
// first change of a turn is relayed at once (and written at once, see EndOfTurn.now), and what follows
// in the same turn is relayed once at its end: the document updates merged into one update, the
// awareness changes as one awareness message of the changed states. Relaying everything at the end
// instead delayed each relay by the time the turn's other messages took (median 0.13 ms in S1: one
// board, 1,500 messages/s; p50 1.3× stock's); the first-at-once relay costs one extra relay per busy
// turn (S2 still passes 700 clients) and matches stock's S1 p50 (0.28 vs 0.29 ms).
// When a turn's edits came from several clients, the merged update goes to all of them: each gets its
// own edit back inside it, which Yjs recognises and skips (cheaper than one merge per recipient).
import * as Y from 'yjs';
import { endOfTurn as defaultEndOfTurn, type EndOfTurn } from '../end-of-turn';

export interface TurnRelay<Client> {
  /** Sends `update` to every ready client but `except` (the one client all of it came from, if any). */
  relayUpdate(update: Uint8Array, except: Client | null): void;
  /** Sends the current awareness states of `clientIds` to every ready client but `except`. */
  relayAwareness(clientIds: number[], except: Client | null): void;
}

/** What a turn's relays came from: the client when there was only one, else null (relay to all). */
class Origins<Client> {
  private seen = false;
  private first: Client | null = null;
  private mixed = false;
  add(origin: Client | null): void {
    if (!this.seen) {
      this.seen = true;
      this.first = origin;
    } else if (origin !== this.first) {
      this.mixed = true;
    }
  }
  get only(): Client | null {
    return this.mixed ? null : this.first;
  }
}

export class TurnFanOut<Client> {
  private updates: Uint8Array[] = [];
  private updateOrigins = new Origins<Client>();
  private awarenessIds = new Set<number>();
  private awarenessOrigins = new Origins<Client>();
  private turnEndScheduled = false;
  /** Edits and cursor changes this turn, relayed at once or queued. */
  private changesThisTurn = 0;

  constructor(
    private readonly relay: TurnRelay<Client>,
    private readonly endOfTurn: EndOfTurn = defaultEndOfTurn,
  ) {}

  update(update: Uint8Array, origin: Client): void {
    if (this.relayAtOnce()) {
      this.endOfTurn.now(() => this.relay.relayUpdate(update, origin));
      return;
    }
    this.updates.push(update);
    this.updateOrigins.add(origin);
  }

  /** `origin` null: a change the server made (a client that left), for everyone. */
  awareness(clientIds: number[], origin: Client | null): void {
    if (this.relayAtOnce()) {
      this.endOfTurn.now(() => this.relay.relayAwareness(clientIds, origin));
      return;
    }
    for (const id of clientIds) this.awarenessIds.add(id);
    this.awarenessOrigins.add(origin);
  }

  /** Relays what waits now (before the document is replaced or the board unloads). */
  readonly flush = (): void => {
    const { updates, awarenessIds } = this;
    if (updates.length === 0 && awarenessIds.size === 0) return;
    const updatesFrom = this.updateOrigins.only;
    const awarenessFrom = this.awarenessOrigins.only;
    this.updates = [];
    this.updateOrigins = new Origins();
    this.awarenessIds = new Set();
    this.awarenessOrigins = new Origins();
    if (updates.length > 0) this.relay.relayUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), updatesFrom);
    if (awarenessIds.size > 0) this.relay.relayAwareness([...awarenessIds], awarenessFrom);
  };

  /** Counts a change; true for the first of the turn. */
  private relayAtOnce(): boolean {
    this.changesThisTurn++;
    if (!this.turnEndScheduled) {
      this.turnEndScheduled = true;
      this.endOfTurn.collect(this.endTurn);
    }
    return this.changesThisTurn === 1;
  }

  private readonly endTurn = (): void => {
    this.turnEndScheduled = false;
    this.changesThisTurn = 0;
    this.flush();
  };
}
