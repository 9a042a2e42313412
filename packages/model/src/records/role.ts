// Roles on a board and who holds them. Records are never deleted: a holder's record ends with
// handedOverAt, so the timeline can show who held command when.
import type { Result } from '../result';
import { ok } from '../result';
import { FieldReader, idString, oneOf, safely, timestamp, withoutUndefined } from '../validate';
import { personName } from './board';

export const ROLE_NAMES = ['commander', 'scribe', 'communications', 'responder', 'observer'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Roles with one holder at a time: assigning a new holder hands the role over. */
export const SINGLE_HOLDER_ROLES: readonly RoleName[] = ['commander', 'scribe', 'communications'];

export function isSingleHolderRole(role: RoleName): boolean {
  return SINGLE_HOLDER_ROLES.includes(role);
}

export interface RoleAssignment {
  id: string;
  boardId: string;
  role: RoleName;
  userId: string;
  userName: string;
  /** userId of whoever made the assignment (the holder themselves when they took it). */
  assignedBy: string;
  takenAt: number;
  /** Set when the holder handed the role over or released it; a record without it is current. */
  handedOverAt?: number;
}

export const roleName = oneOf(ROLE_NAMES);

export const validateRoleAssignment: (input: unknown) => Result<RoleAssignment> = safely((input, path) => {
  const r = new FieldReader(input, path);
  const assignment: RoleAssignment = {
    id: r.required('id', idString),
    boardId: r.required('boardId', idString),
    role: r.required('role', roleName),
    userId: r.required('userId', idString),
    userName: r.required('userName', personName),
    assignedBy: r.required('assignedBy', idString),
    takenAt: r.required('takenAt', timestamp),
    handedOverAt: r.optional('handedOverAt', timestamp),
  };
  return r.error ? r.fail() : ok(withoutUndefined(assignment));
});

export function isRoleAssignment(input: unknown): input is RoleAssignment {
  return validateRoleAssignment(input).ok;
}

/** Current holders of `role`, earliest first. */
export function currentHolders(assignments: readonly RoleAssignment[], role: RoleName): RoleAssignment[] {
  return assignments
    .filter((a) => a.role === role && a.handedOverAt === undefined)
    .sort((a, b) => a.takenAt - b.takenAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Does `userId` hold `role` right now? */
export function holdsRole(assignments: readonly RoleAssignment[], role: RoleName, userId: string): boolean {
  return currentHolders(assignments, role).some((a) => a.userId === userId);
}

export interface RoleAssignmentRequest {
  id: string;
  boardId: string;
  role: RoleName;
  userId: string;
  userName: string;
  assignedBy: string;
  now: number;
}

/**
 * The records that change when `req.userId` takes `req.role`: for single-holder roles the previous
 * holder's record with handedOverAt = now, then the new record. Assigning a current holder again
 * changes nothing and returns []. `current` holds the assignments of this board (others are ignored).
 */
export function assignRole(current: readonly RoleAssignment[], req: RoleAssignmentRequest): RoleAssignment[] {
  const holders = currentHolders(
    current.filter((a) => a.boardId === req.boardId),
    req.role,
  );
  if (holders.some((a) => a.userId === req.userId)) return [];
  const handedOver = isSingleHolderRole(req.role) ? holders.map((a) => ({ ...a, handedOverAt: req.now })) : [];
  const taken: RoleAssignment = {
    id: req.id,
    boardId: req.boardId,
    role: req.role,
    userId: req.userId,
    userName: req.userName,
    assignedBy: req.assignedBy,
    takenAt: req.now,
  };
  return [...handedOver, taken];
}

/** The records that end when `userId` gives up `role` (empty when they do not hold it). */
export function releaseRole(
  current: readonly RoleAssignment[],
  req: { boardId: string; role: RoleName; userId: string; now: number },
): RoleAssignment[] {
  return currentHolders(
    current.filter((a) => a.boardId === req.boardId && a.userId === req.userId),
    req.role,
  ).map((a) => ({ ...a, handedOverAt: req.now }));
}

/** Applies changed records (from assignRole/releaseRole) to a list of assignments, by id. */
export function applyRoleChanges(current: readonly RoleAssignment[], changes: readonly RoleAssignment[]): RoleAssignment[] {
  const byId = new Map(current.map((a) => [a.id, a] as const));
  for (const change of changes) byId.set(change.id, change);
  return [...byId.values()];
}
