// Decides what the "Saving… / Saved" indicator says. "Saved" is shown only when the server has confirmed
// (Saved frame) every document frame this client sent, and no edit made while offline is still unsent.
export type SaveState = 'saved' | 'saving' | 'unsaved';

export class SavedTracker {
  private sentSeq = 0;
  private confirmedSeq = 0;
  private connected = false;
  /** Local edits not yet handed to an open socket (made offline, or sent on a socket that then dropped). */
  private hasUnsentEdits = false;
  /** The frame (on the current connection) that carries the unsent edits: sync step 2 after reconnecting. */
  private unsentEditsSeq: number | undefined;

  /** A new socket opened: sequence numbers restart at 1. */
  connectionOpened(): void {
    this.connected = true;
    this.sentSeq = 0;
    this.confirmedSeq = 0;
    this.unsentEditsSeq = undefined;
  }

  connectionClosed(): void {
    if (this.connected && this.sentSeq > this.confirmedSeq) this.hasUnsentEdits = true;
    this.connected = false;
    this.unsentEditsSeq = undefined;
  }

  /** The document changed locally. If there is no open socket, the change waits for the next connection. */
  localEdit(): void {
    if (!this.connected) this.hasUnsentEdits = true;
  }

  /** A document frame went out on the open socket; returns its sequence number. */
  frameSent(): number {
    this.sentSeq += 1;
    if (this.hasUnsentEdits && this.unsentEditsSeq === undefined) this.unsentEditsSeq = this.sentSeq;
    return this.sentSeq;
  }

  /** Server says everything up to `seq` (on this connection) is durable. */
  confirmed(seq: number): void {
    if (!this.connected || seq > this.sentSeq) return; // stale or bogus confirmation: ignore
    this.confirmedSeq = Math.max(this.confirmedSeq, seq);
    if (this.unsentEditsSeq !== undefined && this.confirmedSeq >= this.unsentEditsSeq) {
      this.hasUnsentEdits = false;
      this.unsentEditsSeq = undefined;
    }
  }

  get state(): SaveState {
    if (!this.connected) return this.hasUnsentEdits ? 'unsaved' : 'saved';
    if (this.hasUnsentEdits || this.confirmedSeq < this.sentSeq) return 'saving';
    return 'saved';
  }
}
