// Who opened which board (board lists, callout permissions) is stored in board_members. Writing that row
// on every connection made a storm of reconnects cost one commit each; here a row already written with
// at least the requested access, under the same name, within the refresh interval, is not written again.
// Access only grows (storage keeps the stronger one), so a cached "editor" stays true; a name change or
// an upgrade from viewer to editor writes at once. Callers that must see the row (the socket.io join,
// before callouts may be sent) wait for the write in flight rather than start another.
import type { Access } from '@redstring/model';
import type { Storage } from '../storage/storage';

export interface MemberVisit {
  userId: string;
  userName: string;
  boardId: string;
  access: Access;
}

interface Written {
  access: Access;
  userName: string;
  at: number;
  done: Promise<void>;
}

/** last_seen_at is refreshed at most this often per user and board. */
export const MEMBER_REFRESH_MS = 60_000;
const MAX_REMEMBERED = 10_000;

function covers(held: Access, wanted: Access): boolean {
  return held === 'editor' || wanted === 'viewer';
}

export class MemberRegistry {
  private readonly written = new Map<string, Written>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: () => number,
    private readonly refreshMs = MEMBER_REFRESH_MS,
  ) {}

  /** Resolves once a row covering this visit is stored (often at once, without writing). */
  record(visit: MemberVisit): Promise<void> {
    const key = `${visit.userId}\u0000${visit.boardId}`;
    const now = this.clock();
    const known = this.written.get(key);
    if (known && covers(known.access, visit.access) && known.userName === visit.userName && now - known.at < this.refreshMs) {
      return known.done;
    }
    const entry: Written = {
      access: known && covers(known.access, visit.access) ? known.access : visit.access,
      userName: visit.userName,
      at: now,
      done: this.storage.touchMember(visit, now),
    };
    // Re-inserted so the map's order is least recently written first, for eviction.
    this.written.delete(key);
    this.written.set(key, entry);
    if (this.written.size > MAX_REMEMBERED) {
      const oldest = this.written.keys().next().value;
      if (oldest !== undefined) this.written.delete(oldest);
    }
    entry.done.catch(() => {
      // Not stored: the next visit tries again.
      if (this.written.get(key) === entry) this.written.delete(key);
    });
    return entry.done;
  }
}
