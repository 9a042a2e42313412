// One entry of the append-only hypothesis lifecycle log: who moved which hypothesis where, when and why.
import type { Result } from '../result';
import { invalid, ok } from '../result';
import { NOTE_MAX_LENGTH } from '../limits';
import { FieldReader, idString, safely, stringOf, timestamp } from '../validate';
import { type HypothesisStatus, hypothesisStatus } from './card';

export interface StatusChange {
  id: string;
  cardId: string;
  /** The status the writer saw before the change (concurrent changes can make this differ from the log). */
  from: HypothesisStatus;
  to: HypothesisStatus;
  by: string;
  at: number;
  reason: string;
}

export const statusReason = stringOf({ max: NOTE_MAX_LENGTH });

export const validateStatusChange: (input: unknown) => Result<StatusChange> = safely((input, path) => {
  const r = new FieldReader(input, path);
  const change: StatusChange = {
    id: r.required('id', idString),
    cardId: r.required('cardId', idString),
    from: r.required('from', hypothesisStatus),
    to: r.required('to', hypothesisStatus),
    by: r.required('by', idString),
    at: r.required('at', timestamp),
    reason: r.required('reason', statusReason),
  };
  if (r.error) return r.fail();
  if (change.from === change.to) return invalid('to', `is the same as from (${change.from})`);
  return ok(change);
});

export function isStatusChange(input: unknown): input is StatusChange {
  return validateStatusChange(input).ok;
}

/**
 * The one order of the status log every replica agrees on: by `at`, then by `id`. The last entry of a
 * card in this order is its current status.
 */
export function compareStatusChanges(a: StatusChange, b: StatusChange): number {
  if (a.at !== b.at) return a.at - b.at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Current status of every hypothesis mentioned in the log ('open' is the default for the rest). */
export function currentStatuses(log: readonly StatusChange[]): Map<string, HypothesisStatus> {
  const statuses = new Map<string, HypothesisStatus>();
  for (const change of [...log].sort(compareStatusChanges)) statuses.set(change.cardId, change.to);
  return statuses;
}
