// A small checker for the subset of JSON Schema (draft 2020-12) that TIMELINE_JSON_SCHEMA uses. The
// schema stays the single description of the format; this walks it instead of repeating it in code.
// Supported: type (incl. "integer", "null", arrays of types), properties, required,
// additionalProperties: false, items, enum, const, minimum, anyOf, and $ref to "#/$defs/…" (applied
// together with its sibling keywords, as 2020-12 says); annotations ($schema, $id, $defs, title,
// description, $comment) are ignored.

export type JsonSchema = {
  $schema?: string;
  $id?: string;
  $defs?: Record<string, JsonSchema>;
  $ref?: string;
  $comment?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: JsonSchema;
  enum?: readonly (string | number | boolean | null)[];
  const?: string | number | boolean | null;
  minimum?: number;
  anyOf?: JsonSchema[];
};

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$defs',
  '$ref',
  '$comment',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'minimum',
  'anyOf',
]);

export interface SchemaViolation {
  path: string;
  message: string;
}

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

function isType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** The first place `value` breaks `schema`, or null if it conforms. Iterative over the data, so deep input
 * cannot overflow the stack (only anyOf recurses, as deep as the schema nests it). */
export function checkAgainstSchema(value: unknown, root: JsonSchema): SchemaViolation | null {
  return check(value, root, root, '');
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema | undefined {
  const name = ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined;
  return name !== undefined && root.$defs && has(root.$defs, name) ? root.$defs[name] : undefined;
}

function check(value: unknown, schema: JsonSchema, root: JsonSchema, at: string): SchemaViolation | null {
  const stack: { value: unknown; schema: JsonSchema; path: string }[] = [{ value, schema, path: at }];
  let steps = 0;
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const { value: v, schema: s, path } = item;
    if (s.$ref !== undefined) {
      const target = resolveRef(s.$ref, root);
      if (!target || ++steps > 10_000_000) return { path, message: `schema reference ${s.$ref} cannot be resolved` };
      stack.push({ value: v, schema: target, path });
    }
    if (s.anyOf !== undefined) {
      const failures: string[] = [];
      for (const alternative of s.anyOf) {
        const violation = check(v, alternative, root, path);
        if (!violation) break;
        failures.push(violation.path === path ? violation.message : `${violation.path} ${violation.message}`);
      }
      if (failures.length === s.anyOf.length) return { path, message: `matches no alternative (${failures.join('; ')})` };
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some((t) => isType(v, t))) {
        return { path, message: `expected ${types.join(' or ')}, got ${describe(v)}` };
      }
    }
    if (s.const !== undefined && v !== s.const) {
      return { path, message: `expected ${JSON.stringify(s.const)}` };
    }
    if (s.enum !== undefined && !s.enum.some((e) => e === v)) {
      return { path, message: `expected one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` };
    }
    if (s.minimum !== undefined && typeof v === 'number' && v < s.minimum) {
      return { path, message: `must be at least ${s.minimum}` };
    }
    if (Array.isArray(v)) {
      if (s.items) for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], schema: s.items, path: join(path, i) });
    } else if (typeof v === 'object' && v !== null) {
      const obj = v as Record<string, unknown>;
      // A property set to undefined counts as absent, as JSON.stringify treats it: an in-memory
      // document checks the same as its serialised form.
      for (const key of s.required ?? []) {
        if (!has(obj, key) || obj[key] === undefined) return { path: join(path, key), message: 'is required' };
      }
      const properties = s.properties ?? {};
      const keys = Object.keys(obj);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        if (obj[key] === undefined) continue;
        if (has(properties, key)) {
          stack.push({ value: obj[key], schema: properties[key] as JsonSchema, path: join(path, key) });
        } else if (s.additionalProperties === false) {
          return { path: join(path, key), message: 'is not allowed here' };
        }
      }
    }
  }
  return null;
}
