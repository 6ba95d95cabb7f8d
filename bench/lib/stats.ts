/** Percentile by linear interpolation between the closest ranks (as numpy's default); `p` in 0..100. */
export function percentile(values: readonly number[], p: number): number {
  return percentiles(values, [p])[0];
}

/** Several percentiles of one sample, sorting it once; NaN for each when the sample is empty. */
export function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => {
    if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0..100`);
    if (sorted.length === 0) return Number.NaN;
    const rank = (p / 100) * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
  });
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median with the range around it: the figure a report quotes over repeated runs. */
export function spread(values: readonly number[]): Spread {
  const [min, mid, max] = percentiles(values, [0, 50, 100]);
  return { median: mid, min, max };
}

/** `a / b`, or NaN when `b` is 0 or missing, so a ratio never reads as infinite. */
export const ratio = (a: number, b: number): number => (b > 0 && Number.isFinite(a) ? a / b : Number.NaN);
