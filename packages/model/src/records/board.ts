// The board's own record: what the investigation is called, where it stands and how it ended.
import type { Result } from '../result';
import { ok } from '../result';
import { NAME_MAX_LENGTH, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH } from '../limits';
import { FieldReader, idString, numberOf, oneOf, safely, stringOf, timestamp, withoutUndefined } from '../validate';

export const BOARD_STATUSES = ['investigating', 'incident', 'resolved'] as const;
export type BoardStatus = (typeof BOARD_STATUSES)[number];

/** How an investigation ended. Severity is decided later, never as a gate. */
export const BOARD_OUTCOMES = ['no-impact', 'bug-filed', 'escalated-to-incident', 'runbook-written'] as const;
export type BoardOutcome = (typeof BOARD_OUTCOMES)[number];

export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4', 'sev5'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface BoardMeta {
  schemaVersion: number;
  id: string;
  title: string;
  status: BoardStatus;
  outcome?: BoardOutcome;
  severity?: Severity;
  createdAt: number;
  createdBy: string;
  closedAt?: number;
  summary?: string;
}

export const DEFAULT_BOARD_TITLE = 'Untitled investigation';
export const DEFAULT_BOARD_STATUS: BoardStatus = 'investigating';

export const boardTitle = stringOf({ max: TITLE_MAX_LENGTH });
export const boardSummary = stringOf({ max: SUMMARY_MAX_LENGTH });
export const schemaVersionValue = numberOf({ min: 0, max: 1_000_000, integer: true });
export const boardStatus = oneOf(BOARD_STATUSES);
export const boardOutcome = oneOf(BOARD_OUTCOMES);
export const severity = oneOf(SEVERITIES);
/** Display names of people (card authors are user ids; names appear on participants and callouts). */
export const personName = stringOf({ min: 1, max: NAME_MAX_LENGTH });

export const validateBoardMeta: (input: unknown) => Result<BoardMeta> = safely((input, path) => {
  const r = new FieldReader(input, path);
  const meta: BoardMeta = {
    schemaVersion: r.required('schemaVersion', numberOf({ min: 1, max: 1_000_000, integer: true })),
    id: r.required('id', idString),
    title: r.required('title', boardTitle),
    status: r.required('status', boardStatus),
    outcome: r.optional('outcome', boardOutcome),
    severity: r.optional('severity', severity),
    createdAt: r.required('createdAt', timestamp),
    createdBy: r.required('createdBy', idString),
    closedAt: r.optional('closedAt', timestamp),
    summary: r.optional('summary', boardSummary),
  };
  return r.error ? r.fail() : ok(withoutUndefined(meta));
});

export function isBoardMeta(input: unknown): input is BoardMeta {
  return validateBoardMeta(input).ok;
}
