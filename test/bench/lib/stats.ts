// Small, allocation-light statistics over latency samples (milliseconds).

export interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Nearest-rank percentile of an ascending-sorted array; null when there are no samples. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const asArray = Array.from(sorted);
  return {
    count: asArray.length,
    p50: round(percentile(asArray, 50)),
    p95: round(percentile(asArray, 95)),
    p99: round(percentile(asArray, 99)),
    max: round(asArray.length ? (asArray[asArray.length - 1] ?? null) : null),
  };
}

export function median(values: readonly number[]): number | null {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function round(value: number | null, digits = 2): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
