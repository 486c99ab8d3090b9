// Warm-up detection per measurement point. MEASUREMENT.md rule 2.

/** Median of values[from, to) (copy + sort; windows here are small). */
function medianOf(values: ArrayLike<number>, from: number, to: number): number {
  const part = Array.prototype.slice.call(values, from, to) as number[];
  part.sort((a, b) => a - b);
  const mid = part.length >> 1;
  return part.length % 2 === 1 ? part[mid] : (part[mid - 1] + part[mid]) / 2;
}

/**
 * True once warm-up can stop: at least `minRuns` latencies, and the median of the last `window`
 * (10) runs differs by less than `tolerancePct` from the median of the `window` runs before them,
 * |m_last − m_prev| / m_prev · 100 < tolerancePct. Needs at least 2·window runs to compare, so with
 * the defaults warm-up is never shorter than 20 runs. Call it after every warm-up run.
 */
export function warmupDone(latenciesMs: number[], minRuns = 10, tolerancePct = 5, window = 10): boolean {
  const n = latenciesMs.length;
  if (n < minRuns || n < 2 * window) return false;
  const last = medianOf(latenciesMs, n - window, n);
  const previous = medianOf(latenciesMs, n - 2 * window, n - window);
  if (!(previous > 0)) return last === previous;
  return (Math.abs(last - previous) / previous) * 100 < tolerancePct;
}

export interface Mser5Result {
  /** raw samples to drop from the start (a multiple of 5) */
  truncate: number;
  /** the minimized MSER statistic over batch means */
  mser: number;
  /**
   * false when the minimum fell at the end of the allowed range (half the series): the transient
   * may not be over, so the series is too short to trust the steady-state estimate.
   */
  settled: boolean;
}

/**
 * MSER-5 (White 1997; White, Cobb & Spratt 2000). The series is cut into batch means of 5
 * (a trailing partial batch is ignored); for each candidate truncation d (in batches) the
 * statistic is MSER(d) = Σ_{j>d} (z_j − z̄_d)² / (k − d)², the squared marginal standard error of
 * the mean of what remains. d is searched over the first half of the batches only (the statistic
 * is erratic near the end); the smallest minimizing d wins. Fewer than 2 batches: nothing to drop.
 */
export function mser5(series: ArrayLike<number>): Mser5Result {
  const batchSize = 5;
  const k = Math.floor(series.length / batchSize);
  if (k < 2) return { truncate: 0, mser: 0, settled: false };
  const z = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < batchSize; i++) s += series[j * batchSize + i];
    z[j] = s / batchSize;
  }
  // Suffix sums give mean and sum of squares of z[d..k) in O(1) per d. Values are centred on the
  // overall mean first so the sum-of-squares difference does not cancel catastrophically.
  let centre = 0;
  for (let j = 0; j < k; j++) centre += z[j];
  centre /= k;
  const suffixSum = new Float64Array(k + 1);
  const suffixSq = new Float64Array(k + 1);
  for (let j = k - 1; j >= 0; j--) {
    const c = z[j] - centre;
    suffixSum[j] = suffixSum[j + 1] + c;
    suffixSq[j] = suffixSq[j + 1] + c * c;
  }
  const maxD = Math.floor(k / 2);
  let bestD = 0;
  let best = Infinity;
  for (let d = 0; d <= maxD; d++) {
    const m = k - d;
    const sse = Math.max(0, suffixSq[d] - (suffixSum[d] * suffixSum[d]) / m);
    const stat = sse / (m * m);
    if (stat < best) {
      best = stat;
      bestD = d;
    }
  }
  return { truncate: bestD * batchSize, mser: best, settled: bestD < maxD };
}

/** MSER-5 truncation point: how many raw samples to drop from the start (see mser5). */
export function mser5Truncation(series: number[]): number {
  return mser5(series).truncate;
}
