// Seeded randomness, so a failing fault run can be replayed from its seed alone.

/** sfc32: small, fast, and good enough statistically for test schedules. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const result = (t + this.d) | 0;
    this.c = (this.c + result) | 0;
    return (result >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  /** Id in the model's alphabet ([A-Za-z0-9_-]), reproducible from the seed. */
  id(length = 12): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }

  /** A child generator with its own stream, so adding draws in one place does not shift another. */
  fork(salt: number): Prng {
    return new Prng(Math.imul(this.seed ^ 0x5bd1e995, 0x27d4eb2d) + salt * 0x165667b1);
  }
}

/** Soak mode runs the same rows with more seeds and trials. */
export const soak = process.env.REDSTRING_SOAK === '1';

/**
 * Seeds for a seeded row: the regression seeds first, then `count` fresh ones from FAULT_SEED_BASE
 * (default 1000, so CI always runs the same ones). FAULT_SEED=123[,456] replays just those seeds.
 */
export function seedsToRun(ciCount: number, soakCount: number, regressions: readonly number[]): number[] {
  const only = process.env.FAULT_SEED;
  if (only !== undefined && only !== '') {
    return only.split(',').map((s) => {
      const n = Number(s.trim());
      if (!Number.isInteger(n)) throw new Error(`FAULT_SEED must be integers, got "${s}"`);
      return n;
    });
  }
  const count = soak ? soakCount : ciCount;
  const base = Number(process.env.FAULT_SEED_BASE ?? 1000);
  const fresh = Array.from({ length: count }, (_, i) => base + i);
  return [...new Set([...regressions, ...fresh])];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
