// Nearest-rank percentiles and the per-point latency summary. MEASUREMENT.md rules 4 and 5.
import type { LatencySummaryMs } from '../types.ts';
import { minSamplesForPercentile } from './percentileCi.ts';

/**
 * Fewest samples from which p99.9 is reported: the MLPerf early-stopping minimum for p99.9 at 99 %
 * confidence with one miss, the same rule that gives 662 for p99 (= 6636). It is stricter than the
 * bare existence of a 95 % distribution-free CI for p99.9, whose upper rank is ≤ n from n = 3688.
 */
export const P999_MIN_SAMPLES = minSamplesForPercentile(0.999, 0.99, 1);

/** Fewest samples from which a p99 is trustworthy (MEASUREMENT.md rule 4): 662. */
export const P99_MIN_SAMPLES = minSamplesForPercentile(0.99, 0.99, 1);

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
 * p50/p90/p95/p99 (nearest rank), p99.9 (only when n ≥ P999_MIN_SAMPLES, else null), mean, min,
 * max and n of raw latency samples in ms (any order). Throws on an empty sample.
 */
export function summarize(samplesMs: ArrayLike<number>): SampleSummaryMs {
  const n = samplesMs.length;
  if (n === 0) throw new RangeError('summarize: no latency samples');
  const sorted = sortedCopy(samplesMs);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return {
    p50: percentileNearestRank(sorted, 0.5),
    p90: percentileNearestRank(sorted, 0.9),
    p95: percentileNearestRank(sorted, 0.95),
    p99: percentileNearestRank(sorted, 0.99),
    p999: n >= P999_MIN_SAMPLES ? percentileNearestRank(sorted, 0.999) : null,
    mean: sum / n,
    min: sorted[0],
    max: sorted[n - 1],
    n,
  };
}

/** q0, q1, …, q100 of ascending samples by nearest rank (q0 = min, q100 = max): 101 values. */
export function quantiles101(sortedMs: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i <= 100; i++) out.push(percentileNearestRank(sortedMs, i / 100));
  return out;
}
