// A tiny validation kit for plain data that came from somewhere we don't trust (a socket, a disk, another
// client's writes into a Y.Doc). Validators never throw, copy only the keys they know (so `__proto__` and
// unknown future fields are left behind), and report the first problem with its path.
import { type Result, type ValidationError, invalid, ok } from './result';
import { ID_PATTERN, TIMESTAMP_MAX, TIMESTAMP_MIN } from './limits';

/** Checks `input` found at `path`; returns a fresh copy or the first problem. */
export type Validator<T> = (input: unknown, path: string) => Result<T>;

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Plain objects only: no arrays, no class instances (Y.Map, Date), no null. */
export function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const proto: unknown = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  if (typeof input !== 'object') return `a ${typeof input}`;
  return isPlainObjectSafely(input) ? 'an object' : 'an object with a custom prototype (class instance or proxy)';
}

/** isPlainObject that survives proxies whose getPrototypeOf trap throws. */
function isPlainObjectSafely(input: object): boolean {
  try {
    return isPlainObject(input);
  } catch {
    return false;
  }
}

export interface StringRule {
  min?: number;
  max: number;
  pattern?: RegExp;
  /** Shown instead of the pattern source in the message. */
  patternHint?: string;
}

export function stringOf(rule: StringRule): Validator<string> {
  const min = rule.min ?? 0;
  return (input, path) => {
    if (typeof input !== 'string') return invalid(path, `expected a string, got ${describe(input)}`);
    if (input.length < min) {
      return invalid(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
    }
    if (input.length > rule.max) return invalid(path, `must be at most ${rule.max} characters (got ${input.length})`);
    if (rule.pattern && !rule.pattern.test(input)) {
      return invalid(path, `must be ${rule.patternHint ?? `matching ${String(rule.pattern)}`}`);
    }
    return ok(input);
  };
}

export const idString: Validator<string> = stringOf({
  min: 1,
  max: 64,
  pattern: ID_PATTERN,
  patternHint: '1–64 characters of A–Z, a–z, 0–9, _ and -',
});

export interface NumberRule {
  min: number;
  max: number;
  integer?: boolean;
}

export function numberOf(rule: NumberRule): Validator<number> {
  return (input, path) => {
    if (typeof input !== 'number') return invalid(path, `expected a number, got ${describe(input)}`);
    if (!Number.isFinite(input)) return invalid(path, `must be a finite number, got ${String(input)}`);
    if (rule.integer && !Number.isInteger(input)) return invalid(path, 'must be an integer');
    if (input < rule.min || input > rule.max) return invalid(path, `must be between ${rule.min} and ${rule.max}`);
    return ok(input);
  };
}

/** Milliseconds since the epoch. */
export const timestamp: Validator<number> = numberOf({ min: TIMESTAMP_MIN, max: TIMESTAMP_MAX });

export const booleanValue: Validator<boolean> = (input, path) =>
  typeof input === 'boolean' ? ok(input) : invalid(path, `expected a boolean, got ${describe(input)}`);

export function oneOf<const T extends string>(values: readonly T[]): Validator<T> {
  return (input, path) =>
    typeof input === 'string' && (values as readonly string[]).includes(input)
      ? ok(input as T)
      : invalid(path, `must be one of ${values.join(', ')}`);
}

export function arrayOf<T>(item: Validator<T>, rule: { max: number }): Validator<T[]> {
  return (input, path) => {
    if (!Array.isArray(input)) return invalid(path, `expected an array, got ${describe(input)}`);
    if (input.length > rule.max) return invalid(path, `must have at most ${rule.max} items (got ${input.length})`);
    const out: T[] = [];
    for (let i = 0; i < input.length; i++) {
      const r = item(input[i], joinPath(path, i));
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  };
}

/**
 * Reads fields of one plain object, remembering the first problem. Field getters return a placeholder
 * after a failure, so check `error` before using the values:
 *
 *   const r = new FieldReader(input, path); const id = r.required('id', idString); … if (r.error) …
 */
export class FieldReader {
  readonly object: Record<string, unknown>;
  error: ValidationError | undefined;

  constructor(input: unknown, readonly path: string) {
    if (isPlainObject(input)) {
      this.object = input;
    } else {
      this.object = {};
      this.error = { path, message: `expected an object, got ${describe(input)}` };
    }
  }

  has(key: string): boolean {
    try {
      return Object.prototype.hasOwnProperty.call(this.object, key) && this.object[key] !== undefined;
    } catch {
      return true; // present but unreadable: check() reports it
    }
  }

  required<T>(key: string, validator: Validator<T>): T {
    if (this.error) return undefined as T;
    if (!this.has(key)) {
      this.error = { path: joinPath(this.path, key), message: 'is required' };
      return undefined as T;
    }
    return this.check(key, validator) as T;
  }

  /** Absent and `undefined` both mean "not set"; anything else must be valid. */
  optional<T>(key: string, validator: Validator<T>): T | undefined {
    if (this.error || !this.has(key)) return undefined;
    return this.check(key, validator);
  }

  fail(): { ok: false; error: ValidationError } {
    return { ok: false, error: this.error ?? { path: this.path, message: 'invalid' } };
  }

  private check<T>(key: string, validator: Validator<T>): T | undefined {
    const path = joinPath(this.path, key);
    let result: Result<T>;
    try {
      result = validator(this.object[key], path);
    } catch {
      // A getter or proxy trap threw somewhere inside this field.
      result = invalid(path, 'value could not be read');
    }
    if (result.ok) return result.value;
    this.error = result.error;
    return undefined;
  }
}

/** Copies the defined entries of `fields` so optional keys that are unset stay absent. */
export function withoutUndefined<T extends object>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as T;
}

/**
 * Runs a validator over input that may be actively hostile (getters that throw, proxies, revoked
 * proxies): whatever happens, the caller gets a Result.
 */
export function safely<T>(validator: Validator<T>): (input: unknown) => Result<T> {
  return (input) => {
    try {
      return validator(input, '');
    } catch {
      return invalid('', 'value could not be read');
    }
  };
}
