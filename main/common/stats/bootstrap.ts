// Confidence intervals when samples are not independent (MEASUREMENT.md rule 9): a moving-block
// bootstrap over one autocorrelated latency series, and a t-interval over independent repetitions.
import { nearestRank } from './percentiles.ts';
import { studentTQuantile } from './special.ts';

/** Seeded uniform [0, 1) generator (mulberry32): same seed, same stream in Node and the browser. */
export function seededUniform(seed: number): () => number {
  let s = Math.floor(seed) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** k-th smallest (0-based) of values[0, n) by in-place quickselect (Hoare partition). */
function selectKth(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/**
 * Default block length: at least n^(1/3) (the classic rate for quantiles) and at least twice the
 * lag at which the sample autocorrelation first drops below 2/√n, so one block spans the series'
 * memory; capped at n/4 so resamples still mix blocks.
 */
export function defaultBlockLength(samples: ArrayLike<number>): number {
  const n = samples.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (samples[i] - mean) ** 2;
  const cap = Math.max(1, Math.floor(n / 4));
  let memory = 0;
  if (c0 > 0) {
    const threshold = 2 / Math.sqrt(n);
    for (let lag = 1; lag < cap; lag++) {
      let c = 0;
      for (let i = lag; i < n; i++) c += (samples[i] - mean) * (samples[i - lag] - mean);
      if (c / c0 < threshold) {
        memory = lag;
        break;
      }
      memory = lag;
    }
  }
  return Math.min(cap, Math.max(Math.ceil(Math.cbrt(n)), 2 * memory, 1));
}

export interface BlockBootstrapOptions {
  /** samples per block; default defaultBlockLength(samples) */
  blockLength?: number;
  /** bootstrap replicates; default 1000 */
  resamples?: number;
  /** seed of the resampling stream (required: results must be reproducible) */
  seed: number;
  /** default 0.95 */
  confidence?: number;
}

/**
 * Percentile-method CI for the nearest-rank p-quantile of an autocorrelated series (in time
 * order), by the circular moving-block bootstrap (Politis & Romano 1992): each replicate glues
 * ⌈n/b⌉ blocks of b consecutive samples starting at uniformly drawn positions (wrapping at the
 * end) and takes its p-quantile; the interval is the (α/2, 1 − α/2) quantiles of the replicates.
 * Blocks keep the short-range dependence that an i.i.d. CI ignores (and is too narrow for).
 */
export function blockBootstrapPercentileCi(samples: number[], p: number, opts: BlockBootstrapOptions): [number, number] {
  const n = samples.length;
  if (n < 2) throw new RangeError(`block bootstrap needs at least 2 samples, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile p must be in [0, 1], got ${p}`);
  const confidence = opts.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const resamples = opts.resamples ?? 1000;
  if (!(Number.isInteger(resamples) && resamples >= 10)) throw new RangeError(`resamples must be an integer ≥ 10, got ${resamples}`);
  const b = Math.min(n, Math.max(1, Math.floor(opts.blockLength ?? defaultBlockLength(samples))));
  const rng = seededUniform(opts.seed);
  const k = nearestRank(n, p) - 1;
  const replicate = new Float64Array(n);
  const estimates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let filled = 0;
    while (filled < n) {
      let at = Math.floor(rng() * n);
      const take = Math.min(b, n - filled);
      for (let i = 0; i < take; i++) {
        replicate[filled++] = samples[at];
        at = at + 1 === n ? 0 : at + 1;
      }
    }
    estimates[r] = selectKth(replicate, n, k);
  }
  estimates.sort();
  const alpha = 1 - confidence;
  return [estimates[nearestRank(resamples, alpha / 2) - 1], estimates[nearestRank(resamples, 1 - alpha / 2) - 1]];
}

// Two-sided Student t critical values t_{1−α/2, df} for df = 1…30, from standard tables
// (checked against studentTQuantile in the tests). Other confidences/df are computed.
const T_TABLE: Record<string, number[]> = {
  '0.9': [6.314, 2.92, 2.353, 2.132, 2.015, 1.943, 1.895, 1.86, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.74, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697],
  '0.95': [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042],
  '0.99': [63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.75],
};

/** Two-sided critical value t_{1−α/2, df}: the table for 90/95/99 % and df ≤ 30, else computed. */
export function tCritical(confidence: number, df: number): number {
  const row = T_TABLE[String(confidence)];
  if (row && Number.isInteger(df) && df >= 1 && df <= row.length) return row[df - 1];
  return studentTQuantile(1 - (1 - confidence) / 2, df);
}

/**
 * t-interval for the mean of independent repetitions (e.g. a point's p99 from k runs with
 * different seeds): mean ± t_{1−α/2, k−1} · s/√k. Needs k ≥ 2 (throws otherwise: one run has no
 * spread to estimate). Assumes the repetitions are independent and roughly normal.
 */
export function replicationCi(values: number[], confidence = 0.95): [number, number] {
  const k = values.length;
  if (k < 2) throw new RangeError(`replicationCi needs at least 2 independent repetitions, got ${k}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  let mean = 0;
  for (const v of values) mean += v;
  mean /= k;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const halfWidth = (tCritical(confidence, k - 1) * Math.sqrt(ss / (k - 1))) / Math.sqrt(k);
  return [mean - halfWidth, mean + halfWidth];
}
