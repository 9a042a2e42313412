// Versioned migrations for records loaded from disk (board meta, callouts, role assignments).
// Each record type has a sequence of steps; a record is lifted one version at a time from the version it
// says it has (no `schemaVersion` means version 0) up to CURRENT_SCHEMA_VERSION, then validated.
// Nothing here throws: every failure comes back as a typed MigrationError.
import type { Result } from './result';
import { err, ok } from './result';
import { type BoardMeta, validateBoardMeta } from './records/board';
import { type Callout, validateCallout } from './records/callout';
import { type RoleAssignment, validateRoleAssignment } from './records/role';
import { isPlainObject } from './validate';

export const CURRENT_SCHEMA_VERSION = 1;

export type MigrationErrorType = 'not-an-object' | 'bad-version' | 'too-new' | 'step-failed' | 'invalid';

export interface MigrationError {
  type: MigrationErrorType;
  reason: string;
}

type RawRecord = Record<string, unknown>;

/** Turns a record of version `from` into one of version `from + 1`. Works on a copy. */
export interface MigrationStep {
  from: number;
  description: string;
  up(record: RawRecord): Result<RawRecord, MigrationError>;
}

/** A stored record: the record itself plus the schema version it was written with. */
export type Stored<T> = T & { schemaVersion: number };

/** Tag a callout or role assignment for storage (board meta already carries its schemaVersion). */
export function toStored<T extends object>(record: T): Stored<T> {
  return { ...record, schemaVersion: CURRENT_SCHEMA_VERSION };
}

function stepFailed(reason: string): { ok: false; error: MigrationError } {
  return err({ type: 'step-failed', reason });
}

// v0 boards had no schemaVersion, and wrote "not decided" as null for severity and outcome.
export const boardMetaMigrations: readonly MigrationStep[] = [
  {
    from: 0,
    description: 'add schemaVersion; null severity/outcome/summary/closedAt mean "not set"',
    up(record) {
      const next: RawRecord = { ...record };
      for (const key of ['severity', 'outcome', 'summary', 'closedAt']) if (next[key] === null) delete next[key];
      return ok(next);
    },
  },
];

// v0 callouts addressed users only, as `to: userId` + `toName`, and called the deadline `deadline`.
export const calloutMigrations: readonly MigrationStep[] = [
  {
    from: 0,
    description: 'to: userId + toName → addressee object; deadline → ackDeadline',
    up(record) {
      const next: RawRecord = { ...record };
      if (typeof next.to === 'string') {
        if (typeof next.toName !== 'string') return stepFailed('a v0 callout addressed by user id needs toName');
        next.to = { kind: 'user', userId: next.to, name: next.toName };
      }
      delete next.toName;
      if (next.ackDeadline === undefined && next.deadline !== undefined) next.ackDeadline = next.deadline;
      delete next.deadline;
      for (const key of Object.keys(next)) if (next[key] === null) delete next[key];
      return ok(next);
    },
  },
];

// v0 role assignments ended with `releasedAt`; v1 calls it handedOverAt (release and handover alike).
export const roleAssignmentMigrations: readonly MigrationStep[] = [
  {
    from: 0,
    description: 'releasedAt → handedOverAt',
    up(record) {
      const next: RawRecord = { ...record };
      if (next.handedOverAt === undefined && typeof next.releasedAt === 'number') next.handedOverAt = next.releasedAt;
      delete next.releasedAt;
      if (next.handedOverAt === null) delete next.handedOverAt;
      return ok(next);
    },
  },
];

/** Lifts `raw` through `steps` to the current version and validates the result. */
export function migrateRecord<T>(
  raw: unknown,
  steps: readonly MigrationStep[],
  validate: (input: unknown) => Result<T>,
): Result<T, MigrationError> {
  try {
    if (!isPlainObject(raw)) return err({ type: 'not-an-object', reason: 'a stored record must be a plain object' });
    const stated = raw.schemaVersion;
    const version = stated === undefined ? 0 : stated;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
      return err({ type: 'bad-version', reason: `schemaVersion must be a non-negative integer, got ${JSON.stringify(stated)}` });
    }
    if (version > CURRENT_SCHEMA_VERSION) {
      return err({
        type: 'too-new',
        reason: `schemaVersion ${version} is newer than this code understands (${CURRENT_SCHEMA_VERSION})`,
      });
    }
    let record: RawRecord = { ...raw };
    for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) {
      const step = steps.find((s) => s.from === v);
      if (!step) return err({ type: 'step-failed', reason: `no migration from version ${v}` });
      const stepped = step.up(record);
      if (!stepped.ok) return stepped;
      record = stepped.value;
    }
    record.schemaVersion = CURRENT_SCHEMA_VERSION;
    const checked = validate(record);
    if (!checked.ok) {
      const where = checked.error.path ? `${checked.error.path}: ` : '';
      return err({ type: 'invalid', reason: `${where}${checked.error.message}` });
    }
    return checked;
  } catch {
    return err({ type: 'invalid', reason: 'the stored record could not be read' });
  }
}

export function migrateBoardMeta(raw: unknown): Result<BoardMeta, MigrationError> {
  return migrateRecord(raw, boardMetaMigrations, validateBoardMeta);
}

export function migrateCallout(raw: unknown): Result<Callout, MigrationError> {
  return migrateRecord(raw, calloutMigrations, validateCallout);
}

export function migrateRoleAssignment(raw: unknown): Result<RoleAssignment, MigrationError> {
  return migrateRecord(raw, roleAssignmentMigrations, validateRoleAssignment);
}
