import { describe, expect, it } from 'vitest';
import { type RoleAssignment, applyRoleChanges, assignRole, currentHolders, releaseRole, validateRoleAssignment } from '../src/index';

const base = { boardId: 'b1', assignedBy: 'ana' };

function assign(current: RoleAssignment[], id: string, role: RoleAssignment['role'], userId: string, now: number) {
  const changes = assignRole(current, { ...base, id, role, userId, userName: userId.toUpperCase(), now });
  return { changes, next: applyRoleChanges(current, changes) };
}

describe('assignRole', () => {
  it('hands a single-holder role over: the previous holder record ends at the handover time', () => {
    const first = assign([], 'r1', 'commander', 'ana', 100);
    expect(first.changes).toEqual([
      { id: 'r1', boardId: 'b1', role: 'commander', userId: 'ana', userName: 'ANA', assignedBy: 'ana', takenAt: 100 },
    ]);
    const second = assign(first.next, 'r2', 'commander', 'bo', 200);
    expect(second.changes).toEqual([
      { ...first.changes[0], handedOverAt: 200 },
      { id: 'r2', boardId: 'b1', role: 'commander', userId: 'bo', userName: 'BO', assignedBy: 'ana', takenAt: 200 },
    ]);
    expect(currentHolders(second.next, 'commander').map((a) => a.userId)).toEqual(['bo']);
    for (const record of second.next) expect(validateRoleAssignment(record).ok).toBe(true);
  });

  it.each(['commander', 'scribe', 'communications'] as const)('%s has one holder at a time', (role) => {
    let roles: RoleAssignment[] = [];
    for (const [i, user] of ['ana', 'bo', 'chen'].entries()) roles = assign(roles, `r${i}`, role, user, i * 10).next;
    expect(currentHolders(roles, role).map((a) => a.userId)).toEqual(['chen']);
    expect(roles.filter((a) => a.handedOverAt !== undefined).map((a) => [a.userId, a.handedOverAt])).toEqual([
      ['ana', 10],
      ['bo', 20],
    ]);
  });

  it.each(['responder', 'observer'] as const)('%s can have many holders', (role) => {
    let roles: RoleAssignment[] = [];
    for (const [i, user] of ['ana', 'bo', 'chen'].entries()) roles = assign(roles, `r${i}`, role, user, i * 10).next;
    expect(currentHolders(roles, role).map((a) => a.userId)).toEqual(['ana', 'bo', 'chen']);
  });

  it('assigning the current holder again changes nothing', () => {
    const { next } = assign([], 'r1', 'commander', 'ana', 100);
    expect(assign(next, 'r2', 'commander', 'ana', 150).changes).toEqual([]);
    const responders = assign([], 'r1', 'responder', 'bo', 100).next;
    expect(assign(responders, 'r2', 'responder', 'bo', 150).changes).toEqual([]);
  });

  it('a user can hold several roles; handing over one leaves the others', () => {
    let roles = assign([], 'r1', 'commander', 'ana', 1).next;
    roles = assign(roles, 'r2', 'scribe', 'ana', 2).next;
    roles = assign(roles, 'r3', 'commander', 'bo', 3).next;
    expect(currentHolders(roles, 'scribe').map((a) => a.userId)).toEqual(['ana']);
    expect(currentHolders(roles, 'commander').map((a) => a.userId)).toEqual(['bo']);
  });

  it('ignores assignments of other boards', () => {
    const other: RoleAssignment = { id: 'x', boardId: 'b2', role: 'commander', userId: 'eve', userName: 'Eve', assignedBy: 'eve', takenAt: 1 };
    expect(assign([other], 'r1', 'commander', 'ana', 5).changes).toHaveLength(1);
  });
});

describe('releaseRole', () => {
  it('ends the holder record and leaves the role empty', () => {
    const roles = assign([], 'r1', 'commander', 'ana', 100).next;
    const changes = releaseRole(roles, { boardId: 'b1', role: 'commander', userId: 'ana', now: 300 });
    expect(changes).toEqual([{ ...roles[0], handedOverAt: 300 }]);
    expect(currentHolders(applyRoleChanges(roles, changes), 'commander')).toEqual([]);
  });

  it('returns nothing when the user does not hold the role', () => {
    const roles = assign([], 'r1', 'commander', 'ana', 100).next;
    expect(releaseRole(roles, { boardId: 'b1', role: 'commander', userId: 'bo', now: 300 })).toEqual([]);
    expect(releaseRole(roles, { boardId: 'b1', role: 'scribe', userId: 'ana', now: 300 })).toEqual([]);
  });
});
