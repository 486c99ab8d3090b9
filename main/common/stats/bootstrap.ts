// Confidence interval of a percentile of one autocorrelated latency series (MEASUREMENT.md rule
// 9) by the moving-block bootstrap. Over independent repetitions use tInterval95 (tInterval.ts).
import { nearestRank, selectKth } from './percentiles.ts';
import { createRng } from './rng.ts';

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
  const rng = createRng(opts.seed);
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
    estimates[r] = selectKth(replicate, 0, n, k);
  }
  estimates.sort();
  const alpha = 1 - confidence;
  return [estimates[nearestRank(resamples, alpha / 2) - 1], estimates[nearestRank(resamples, 1 - alpha / 2) - 1]];
}
