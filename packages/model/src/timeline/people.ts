// Display names for user ids. Participants are the source of truth; callouts and role records carry a
// name too, which covers people who never opened the board (a role assigned to someone offline).
import type { BoardIndex } from './board-index';
import type { Person } from './types';

export class PeopleDirectory {
  private readonly names = new Map<string, string>();
  private readonly people = new Map<string, Person>();

  constructor(index: BoardIndex) {
    for (const p of index.participants) this.names.set(p.userId, p.name);
    for (const c of index.callouts) {
      this.learn(c.from.userId, c.from.name);
      if (c.to.kind === 'user') this.learn(c.to.userId, c.to.name);
      if (c.acknowledgedBy) this.learn(c.acknowledgedBy.userId, c.acknowledgedBy.name);
    }
    for (const r of index.roles) this.learn(r.userId, r.userName);
  }

  private learn(userId: string, name: string): void {
    if (!this.names.has(userId) && name) this.names.set(userId, name);
  }

  /** The same Person object for the same user, so the timeline does not repeat allocations. */
  person(userId: string): Person {
    let p = this.people.get(userId);
    if (!p) {
      p = { userId, name: this.names.get(userId) ?? userId };
      this.people.set(userId, p);
    }
    return p;
  }

  name(userId: string): string {
    return this.names.get(userId) ?? userId;
  }
}
