// Small helpers for timestamps (ms since the epoch) and for the deterministic tiebreaks.

/** The value if it is a usable timestamp, otherwise undefined (missing, NaN, ±Infinity, not a number). */
export function validTime(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Code-unit order, the same in every runtime and locale (localeCompare is not). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
