/** Outcome of anything that can fail on bad input: validators, migrations, model operations. */
export type Result<T, E = ValidationError> = { ok: true; value: T } | { ok: false; error: E };

/** Where a value was wrong (`source.kind`, `tags[3]`; empty for the value itself) and why. */
export interface ValidationError {
  path: string;
  message: string;
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

export function invalid(path: string, message: string): { ok: false; error: ValidationError } {
  return { ok: false, error: { path, message } };
}
