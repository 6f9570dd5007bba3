/**
 * The statistics every bench reports, defined once so that their tables mean the same thing.
 */

/**
 * The nearest-rank percentile: the smallest value with at least `p` percent of the values at or
 * below it (`p` from 0 to 100). p50 of an even count is the lower of the two middle values; p95
 * of 20 values is the 19th smallest. NaN when there are no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be 0 to 100, not ${p}`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The middle value; for an even count, the mean of the two middle values. NaN when there are no
 * values. Leaves `values` as it was.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}
