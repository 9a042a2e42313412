import { describe, expect, it } from 'vitest';
import type { Callout, RoleAssignment } from '@redstring/model';
import { ackLatencyMs, CalloutBook, laterVersion } from './callout-book';

const base: Callout = {
  id: 'c1',
  boardId: 'b1',
  from: { userId: 'ana', name: 'Ana' },
  to: { kind: 'user', userId: 'bo', name: 'Bo' },
  issue: 'Cache hit rate dropped',
  noticedHow: 'dashboard',
  intent: 'roll back',
  urgency: 'high',
  createdAt: 1000,
  ackDeadline: 61_000,
  state: 'open',
};

describe('callout book', () => {
  it('keeps one entry per callout and never goes back in its lifecycle', () => {
    const book = new CalloutBook();
    const acked: Callout = { ...base, state: 'acknowledged', acknowledgedAt: 41_000, acknowledgedBy: { userId: 'bo', name: 'Bo' }, readBack: 'roll back 8812' };
    expect(book.upsert(base)).toBe(true);
    expect(book.upsert(acked)).toBe(true);
    expect(book.upsert(base)).toBe(false); // a late duplicate of the older version
    expect(book.upsert(acked)).toBe(false); // the same notice twice
    expect(book.all()).toHaveLength(1);
    expect(book.get('c1')?.state).toBe('acknowledged');
    expect(ackLatencyMs(book.get('c1')!)).toBe(40_000);
    expect(laterVersion(acked, { ...base, state: 'escalated', escalatedAt: 62_000 }).state).toBe('acknowledged');
  });

  it('lists what waits for me, by person or by role I hold', () => {
    const book = new CalloutBook();
    book.upsert(base);
    book.upsert({ ...base, id: 'c2', to: { kind: 'role', role: 'commander' }, ackDeadline: 30_000 });
    book.upsert({ ...base, id: 'c3', state: 'withdrawn', withdrawnAt: 2000 });
    const roles: RoleAssignment[] = [{ id: 'r1', boardId: 'b1', role: 'commander', userId: 'bo', userName: 'Bo', assignedBy: 'ana', takenAt: 0 }];
    expect(book.waitingFor('bo', roles).map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(book.waitingFor('bo', []).map((c) => c.id)).toEqual(['c1']);
    expect(book.waitingFor('chen', roles)).toEqual([]);
    expect(book.sentBy('ana')).toHaveLength(3);
  });
});
