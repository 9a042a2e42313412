// The callout and role records come from the server's storage or, in the browser, from socket.io payloads:
// data other clients wrote, not checked on the way in. Each record is checked with its record validator
// before the timeline reads it. An invalid one is left out and named in an `invalid-record` warning, so a
// bad record costs only itself (a NaN time would otherwise reach the JSON export as null).
import type { Callout } from '../records/callout';
import { validateCallout } from '../records/callout';
import type { RoleAssignment } from '../records/role';
import { validateRoleAssignment } from '../records/role';
import type { Result } from '../result';
import { ok } from '../result';
import { FieldReader, idString, safely } from '../validate';
import type { CoherenceWarning } from './types';

export interface CheckedServerRecords {
  callouts: Callout[];
  roles: RoleAssignment[];
  /** One `invalid-record` warning per record left out, in an order that does not depend on the input's. */
  warnings: CoherenceWarning[];
}

export function checkServerRecords(callouts: readonly unknown[], roles: readonly unknown[]): CheckedServerRecords {
  const warnings: CoherenceWarning[] = [];
  const checked = {
    callouts: keepValid(callouts, validateCallout, 'callout', warnings),
    roles: keepValid(roles, validateRoleAssignment, 'role assignment', warnings),
    warnings,
  };
  // The server's query order is not something every replica shares; the messages name kind and id.
  warnings.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return checked;
}

/** A rejected record's id, when it still has a well-formed one to name it by. */
const usableId: (input: unknown) => Result<string> = safely((input, path) => {
  const r = new FieldReader(input, path);
  const id = r.required('id', idString);
  return r.error ? r.fail() : ok(id);
});

function keepValid<T>(
  records: readonly unknown[],
  validate: (input: unknown) => Result<T>,
  what: string,
  warnings: CoherenceWarning[],
): T[] {
  if (!Array.isArray(records)) {
    warnings.push({ code: 'invalid-record', message: `The ${what} records were left out of the timeline (expected a list).` });
    return [];
  }
  const valid: T[] = [];
  for (const record of records) {
    const checked = validate(record);
    if (checked.ok) {
      valid.push(checked.value);
      continue;
    }
    const id = usableId(record);
    const name = id.ok ? `${capitalised(what)} ${id.value}` : `A ${what} without a usable id`;
    const { path, message } = checked.error;
    warnings.push({
      code: 'invalid-record',
      message: `${name} was left out of the timeline (${path ? `${path}: ` : ''}${message}).`,
    });
  }
  return valid;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
