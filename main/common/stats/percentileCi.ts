// Distribution-free confidence intervals for percentiles (binomial order statistics) and the
// MLPerf early-stopping sample minimum. MEASUREMENT.md rule 4.
import { binomialCdfSmallK, binomialPmfWindow, normalQuantile } from './special.ts';

/** Above this many samples the CI ranks come from the normal approximation (see percentileCiRanks). */
export const EXACT_BINOMIAL_MAX_N = 10_000_000;

export interface PercentileCiRanks {
  /** 1-based rank of the lower bound in the sorted samples */
  lower: number;
  /** 1-based rank of the upper bound in the sorted samples */
  upper: number;
  /** P(lower ≤ B < upper), B ~ Binomial(n, p): the interval's actual coverage (≥ confidence) */
  coverage: number;
  method: 'exact' | 'normal';
}

/**
 * Ranks (l, u) such that [x₍l₎, x₍u₎] covers the true p-quantile with probability ≥ confidence
 * for any continuous distribution. The number B of samples below the true quantile is
 * Binomial(n, p), and x₍l₎ ≤ ξp < x₍u₎ ⇔ l ≤ B < u. Each tail gets at most (1 − confidence)/2:
 * l is the largest rank with P(B < l) ≤ α/2 and u the smallest with P(B ≥ u) ≤ α/2.
 * Returns null when no such ranks exist inside 1..n (too few samples to bound that percentile).
 *
 * n ≤ 10^7: exact binomial tails, summed over a pmf window built in log space.
 * n > 10^7: normal approximation with continuity correction, P(B ≤ k) ≈ Φ((k + ½ − np)/σ);
 * at n = 10^7 its ranks are within 3 of the exact ones (σ ≥ 315 ranks for p ∈ [0.01, 0.99]).
 */
export function percentileCiRanks(n: number, p: number, confidence = 0.95): PercentileCiRanks | null {
  checkArgs(n, p, confidence);
  const halfAlpha = (1 - confidence) / 2;
  if (n > EXACT_BINOMIAL_MAX_N) {
    const sd = Math.sqrt(n * p * (1 - p));
    const z = normalQuantile(1 - halfAlpha);
    const lower = Math.floor(n * p - z * sd + 0.5);
    const upper = Math.ceil(n * p + z * sd + 0.5);
    if (lower < 1 || upper > n) return null;
    return { lower, upper, coverage: confidence, method: 'normal' };
  }
  const { start, pmf } = binomialPmfWindow(n, p);
  const len = pmf.length;
  // below[i] = P(B < start + i), above[i] = P(B ≥ start + i); each summed from its own small end.
  const below = new Float64Array(len + 1);
  for (let i = 0; i < len; i++) below[i + 1] = below[i] + pmf[i];
  const above = new Float64Array(len + 1);
  for (let i = len - 1; i >= 0; i--) above[i] = above[i + 1] + pmf[i];
  const total = below[len];
  // lower: largest l ≥ 1 with P(B < l) ≤ α/2; P(B < k) for k ≤ start is ~0.
  let lower = 0;
  for (let i = len; i >= 0; i--) {
    if (below[i] / total <= halfAlpha) {
      lower = start + i;
      break;
    }
  }
  if (lower < 1) return null;
  // upper: smallest u with P(B ≥ u) ≤ α/2; must be ≤ n to be a sample.
  let upper = n + 1;
  for (let i = 0; i <= len; i++) {
    if (above[i] / total <= halfAlpha) {
      upper = start + i;
      break;
    }
  }
  if (upper > n) return null;
  const coverage = 1 - below[lower - start] / total - above[upper - start] / total;
  return { lower, upper, coverage, method: 'exact' };
}

/**
 * Distribution-free confidence interval [x₍l₎, x₍u₎] for the p-quantile of the population the
 * sorted samples came from (ranks from percentileCiRanks). Null when n is too small to bound it
 * (e.g. p = 0.99 at 95 % needs n ≥ 368 for the upper rank to exist). Assumes independent samples:
 * for autocorrelated series use blockBootstrapPercentileCi, or tInterval95 over independent repetitions.
 */
export function percentileCi(sorted: ArrayLike<number>, p: number, confidence = 0.95): [number, number] | null {
  if (sorted.length === 0) return null;
  const ranks = percentileCiRanks(sorted.length, p, confidence);
  if (!ranks) return null;
  return [sorted[ranks.lower - 1], sorted[ranks.upper - 1]];
}

/**
 * MLPerf LoadGen early-stopping minimum: the smallest number of samples n such that, with at most
 * `misses` samples above the latency bound, one can claim with the given confidence that the true
 * p-quantile is within the bound, i.e. P(Binomial(n, 1 − p) ≤ misses) < 1 − confidence
 * (loadgen/early_stopping.cc with tolerance d = 0). p = 0.99, confidence 0.99: 459 with zero
 * misses, 662 with one (the project's p99 minimum, MEASUREMENT.md rule 4).
 */
export function minSamplesForPercentile(p: number, confidence = 0.99, misses = 1): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`percentile must be in (0, 1), got ${p}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (!(Number.isInteger(misses) && misses >= 0)) throw new RangeError(`misses must be a non-negative integer, got ${misses}`);
  const q = 1 - p;
  const alpha = 1 - confidence;
  const passes = (n: number) => binomialCdfSmallK(misses, n, q) < alpha;
  let lo = misses + 1; // the claim needs at least one passing sample
  if (passes(lo)) return lo;
  let hi = lo * 2;
  while (!passes(hi)) {
    lo = hi;
    hi *= 2;
  }
  // invariant: !passes(lo), passes(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (passes(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function checkArgs(n: number, p: number, confidence: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`sample count must be a non-negative integer, got ${n}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`percentile must be in (0, 1), got ${p}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}
