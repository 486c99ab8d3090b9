// Student-t intervals of the mean of independent replications (MEASUREMENT.md rule 9: latency
// samples inside one run are autocorrelated, so the uncertainty of a figure comes from independent
// runs with different seeds, never from the samples of one run). Predicted intervals (simulator
// replications) and measured ones (`load --repeat`) both come from here, so comparing them means
// something.
import { studentTQuantile } from './special.ts';

const quantileCache = new Map<string, number>();

/** Student's t quantile t(q, df) for 0.5 < q < 1 (memoized: callers ask for the same few values). */
export function tQuantile(q: number, df: number): number {
  const key = `${q}|${df}`;
  let t = quantileCache.get(key);
  if (t === undefined) {
    t = studentTQuantile(q, df);
    if (quantileCache.size > 1000) quantileCache.clear();
    quantileCache.set(key, t);
  }
  return t;
}

function meanAndStandardError(values: readonly number[], what: string): { n: number; mean: number; se: number } {
  const n = values.length;
  if (n === 0) throw new RangeError(`${what} needs at least one value`);
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  if (n < 2) return { n, mean, se: 0 };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { n, mean, se: Math.sqrt(ss / (n - 1) / n) };
}

/**
 * Two-sided 95 % t-interval of the mean of independent replications of a non-negative figure
 * (a latency percentile, a rate): mean ± t(0.975, n − 1)·s/√n, lower end clamped at 0. One value
 * has no spread to estimate and gives [v, v]. Assumes the replications are independent and
 * roughly normal (a percentile of a long run is, by the CLT for quantiles).
 */
export function tInterval95(values: readonly number[]): [number, number] {
  const { n, mean, se } = meanAndStandardError(values, 'tInterval95');
  if (n < 2) return [mean, mean];
  const half = tQuantile(0.975, n - 1) * se;
  return [Math.max(0, mean - half), mean + half];
}

/**
 * One-sided 95 % upper confidence bound of the mean of independent replications:
 * mean + t(0.95, n − 1)·s/√n (the value itself for one replication). What a capacity search
 * judges an SLA on, so an uncertain prediction yields a smaller, safe capacity.
 */
export function tUpperBound95(values: readonly number[]): number {
  const { n, mean, se } = meanAndStandardError(values, 'tUpperBound95');
  if (n < 2) return mean;
  return mean + tQuantile(0.95, n - 1) * se;
}
