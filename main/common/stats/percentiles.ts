// Nearest-rank percentiles (MEASUREMENT.md rule 5: x[ceil(n·p) − 1] of the sorted values), by sort
// or by in-place selection (a million simulated latencies cost O(n) instead of a full sort), and
// the per-point latency summary (rule 4: p99.9 only from MIN_SAMPLES_P999 samples).
import type { LatencySummaryMs } from '../types.ts';
import { MIN_SAMPLES_P999 } from './thresholds.ts';

/**
 * 1-based nearest rank of the p-quantile among n sorted values: ceil(n·p), clamped to [1, n].
 * The product is nudged down by a few ulps so that e.g. 100 × 0.29 (= 28.999…97 or 29.000…04 in
 * floating point) gives rank 29, not 30.
 */
export function nearestRank(n: number, p: number): number {
  const x = n * p;
  const rank = Math.ceil(x - Math.abs(x) * 4 * Number.EPSILON);
  return Math.min(n, Math.max(1, rank));
}

/**
 * The p-quantile of ascending `sorted` by nearest rank, x[ceil(n·p) − 1]; p = 0 gives the minimum.
 * No interpolation: the result is always an observed latency.
 */
export function percentileNearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('percentile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile p must be in [0, 1], got ${p}`);
  return sorted[nearestRank(n, p) - 1];
}

export interface SampleSummaryMs extends LatencySummaryMs {
  n: number;
}

/** Ascending copy as a Float64Array (numeric sort, NaN-free input expected). */
export function sortedCopy(samples: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(samples as ArrayLike<number>);
  sorted.sort();
  return sorted;
}

/**
 * p50/p90/p95/p99 (nearest rank), p99.9 (only when n ≥ MIN_SAMPLES_P999, else null), mean, min,
 * max and n of raw latency samples in ms (any order). Throws on an empty sample.
 */
export function summarize(samplesMs: ArrayLike<number>): SampleSummaryMs {
  const n = samplesMs.length;
  if (n === 0) throw new RangeError('summarize: no latency samples');
  const sorted = sortedCopy(samplesMs);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return summaryOf(n, (fraction) => percentileNearestRank(sorted, fraction), sum / n, sorted[0], sorted[n - 1]);
}

/**
 * The one statement of what a summary holds: p50/p90/p95/p99, p99.9 only when n ≥
 * MIN_SAMPLES_P999, mean, min, max, n. `at` gives a percentile, asked as a fraction and as a
 * percent (both written exactly, so neither is derived from the other by a rounding division).
 */
export function summaryOf(n: number, at: (fraction: number, percent: number) => number, mean: number, min: number, max: number): SampleSummaryMs {
  return {
    p50: at(0.5, 50), p90: at(0.9, 90), p95: at(0.95, 95), p99: at(0.99, 99),
    p999: n >= MIN_SAMPLES_P999 ? at(0.999, 99.9) : null,
    mean, min, max, n,
  };
}

/** q0, q1, …, q100 of ascending samples by nearest rank (q0 = min, q100 = max): 101 values. */
export function quantiles101(sortedMs: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i <= 100; i++) out.push(percentileNearestRank(sortedMs, i / 100));
  return out;
}

/**
 * Nearest-rank percentiles of the first `n` values. Reorders `values` in place (partially sorts).
 * Returns NaN for each p when n is 0.
 */
export function percentilesInPlace(values: Float64Array, n: number, ps: readonly number[]): number[] {
  const out = new Array<number>(ps.length).fill(NaN);
  if (n === 0) return out;
  const order = ps.map((p, i) => ({ i, k: nearestRank(n, p) - 1 })).sort((x, y) => x.k - y.k);
  let lo = 0;
  for (const { i, k } of order) {
    out[i] = selectKth(values, lo, n, k);
    lo = k; // everything left of k is <= values[k] now
  }
  return out;
}

/** Percentiles of a plain list without touching it. */
export function percentilesOf(values: readonly number[] | Float64Array, ps: readonly number[]): number[] {
  const copy = Float64Array.from(values);
  return percentilesInPlace(copy, copy.length, ps);
}

/**
 * The k-th smallest (0-based) of a[lo, hi), found by three-way quickselect; reorders that range so
 * that everything left of k is ≤ a[k] and everything right of it ≥ a[k].
 */
export function selectKth(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi - lo > 24) {
    const mid = (lo + hi) >>> 1;
    const pivot = median3(a[lo], a[mid], a[hi - 1]);
    // three-way partition: [lo, lt) < pivot, [lt, gt] = pivot, (gt, hi) > pivot; ties are common
    // (deterministic service times), so equal keys must not degrade the selection
    let lt = lo;
    let i = lo;
    let gt = hi - 1;
    while (i <= gt) {
      const v = a[i];
      if (v < pivot) {
        a[i] = a[lt];
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt];
        a[gt] = v;
        gt--;
      } else {
        i++;
      }
    }
    if (k < lt) hi = lt;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
  return a[k];
}

function median3(x: number, y: number, z: number): number {
  if (x < y) {
    if (y < z) return y;
    return x < z ? z : x;
  }
  if (x < z) return x;
  return y < z ? z : y;
}
