// Values a hostile or buggy peer might send where a record (or one of its fields) is expected.
// Used by the validator, migration and read() tests.

function deeplyNested(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { kind: value, value, nested: [value] };
  return value;
}

function throwingGetters(): unknown {
  const target = {};
  for (const key of ['id', 'kind', 'title', 'from', 'to', 'userId', 'schemaVersion']) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
  }
  return target;
}

function throwingProxy(): unknown {
  return new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
      has() {
        throw new Error('trap');
      },
      ownKeys() {
        throw new Error('trap');
      },
      getOwnPropertyDescriptor() {
        throw new Error('trap');
      },
      getPrototypeOf() {
        throw new Error('trap');
      },
    },
  );
}

export const HOSTILE_VALUES: readonly [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['zero', 0],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['bigint', 10n],
  ['symbol', Symbol('x')],
  ['function', () => 1],
  ['true', true],
  ['empty string', ''],
  ['huge string', 'x'.repeat(2_000_000)],
  ['array', []],
  ['array of objects', [{}, {}]],
  ['date', new Date(0)],
  ['map', new Map()],
  ['prototype pollution', JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')],
  ['deeply nested', deeplyNested(5_000)],
  ['throwing getters', throwingGetters()],
  ['throwing proxy', throwingProxy()],
];
