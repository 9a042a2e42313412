// A board relays every edit and cursor move to everyone else on it. Under load the server reads many of
// them in one event-loop turn, and relaying each on its own costs one send per edit per client: with 600
// clients each editing once a second, 360,000 sends a second, which is what saturates a core. So what a
// turn brings is relayed once at its end: the document updates merged into one update, the awareness
// changes as one awareness message of the changed states. A turn with one edit relays it as before.
// When a turn's edits came from several clients, the merged update goes to all of them: each gets its
// own edit back inside it, which Yjs recognises and skips (cheaper than one merge per recipient).
// The writes leave with the turn's other frames (end-of-turn.ts), so this adds no wait of its own.
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
  private scheduled = false;

  constructor(
    private readonly relay: TurnRelay<Client>,
    private readonly endOfTurn: EndOfTurn = defaultEndOfTurn,
  ) {}

  update(update: Uint8Array, origin: Client): void {
    this.updates.push(update);
    this.updateOrigins.add(origin);
    this.schedule();
  }

  /** `origin` null: a change the server made (a client that left), for everyone. */
  awareness(clientIds: readonly number[], origin: Client | null): void {
    for (const id of clientIds) this.awarenessIds.add(id);
    this.awarenessOrigins.add(origin);
    this.schedule();
  }

  /** Relays what waits now (before the document is replaced or the board unloads). */
  readonly flush = (): void => {
    this.scheduled = false;
    const { updates, awarenessIds } = this;
    const updatesFrom = this.updateOrigins.only;
    const awarenessFrom = this.awarenessOrigins.only;
    this.updates = [];
    this.updateOrigins = new Origins();
    this.awarenessIds = new Set();
    this.awarenessOrigins = new Origins();
    if (updates.length > 0) this.relay.relayUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), updatesFrom);
    if (awarenessIds.size > 0) this.relay.relayAwareness([...awarenessIds], awarenessFrom);
  };

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.endOfTurn.collect(() => {
      if (this.scheduled) this.flush();
    });
  }
}
