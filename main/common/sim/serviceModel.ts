// Service-time models: the empirical one samples the measured per-batch latency quantiles (from
// the engine's HDR histograms) by inverse CDF; parametric ones exist for tests and what-if sliders.
import { invalidInput } from '../errors.ts';
import { exponential } from '../stats/rng.ts';
import type { Rng } from '../stats/rng.ts';
import type { ServiceModel } from './types.ts';
import type { StallProcess } from './stalls.ts';

export interface MeasuredServicePoint {
  batch: number;
  meanMs: number;
  /** evenly spaced quantiles q0 … q100 (any count >= 2; first = min, last = max); absent → always meanMs */
  quantilesMs?: number[];
}

export interface ServiceModelOptions {
  /** per-batch serving overhead (dispatch, wake-up, hand-back), ms */
  overheadMs?: number;
  /** evenly spaced quantiles of the machine's additive jitter (ms), drawn once per request */
  jitterQuantilesMs?: number[];
  /** the machine's stall process (replaces the per-request jitter when given) */
  stalls?: StallProcess;
  /** service time through the serving path under load / closed-loop service time (default 1) */
  serviceScale?: number;
  /** how the service time changes with utilisation (the model gets atUtilization) */
  loadFactor?: LoadFactor;
}

/**
 * Service time at utilisation u relative to the points as given: factor(u) = intercept + slope·u
 * with u clamped to the measured range [uMin, uMax] (no extrapolation beyond what was measured),
 * fitted by validate over its calibration levels (least squares on each level's busy/closed ratio).
 */
export interface LoadFactor {
  intercept: number;
  slope: number;
  uMin: number;
  uMax: number;
}

/** factor(u) of a LoadFactor (never below 0.2: a fit on noisy levels must not make service vanish). */
export function loadFactorAt(f: LoadFactor, utilization: number): number {
  const u = Math.min(f.uMax, Math.max(f.uMin, utilization));
  return Math.max(0.2, f.intercept + f.slope * u);
}

/**
 * Least-squares LoadFactor through (utilisation, ratio) points, normalised so that factor = 1 at
 * the reference ratio (the ratio the given service points already carry). Null with fewer than two
 * distinct utilisations.
 */
export function fitLoadFactor(levels: Array<{ utilization: number; ratio: number }>, referenceRatio: number): LoadFactor | null {
  const pts = levels.filter((l) => Number.isFinite(l.utilization) && l.utilization > 0 && Number.isFinite(l.ratio) && l.ratio > 0);
  if (pts.length < 2 || !(referenceRatio > 0)) return null;
  const n = pts.length;
  const mu = pts.reduce((a, p) => a + p.utilization, 0) / n;
  const mr = pts.reduce((a, p) => a + p.ratio, 0) / n;
  const sxx = pts.reduce((a, p) => a + (p.utilization - mu) ** 2, 0);
  if (!(sxx > 1e-6)) return null;
  const sxy = pts.reduce((a, p) => a + (p.utilization - mu) * (p.ratio - mr), 0);
  const slope = sxy / sxx;
  const intercept = mr - slope * mu;
  return {
    intercept: intercept / referenceRatio, slope: slope / referenceRatio,
    uMin: Math.min(...pts.map((p) => p.utilization)), uMax: Math.max(...pts.map((p) => p.utilization)),
  };
}

export interface EmpiricalServiceModel extends ServiceModel {
  measuredBatches: number[];
  /** true when batch m is beyond the largest measured size (linear extrapolation, less trustworthy) */
  isExtrapolated(m: number): boolean;
  /** human-readable notes about how unmeasured batch sizes were filled in */
  notes(): string[];
}

const GRID = 101;

/**
 * Builds a service model from measured points. Unmeasured batch sizes between two measured ones
 * interpolate linearly in batch size (quantile by quantile); sizes beyond the largest extrapolate
 * linearly from the last two points (or proportionally to m when only one point exists) and are
 * flagged; sizes below the smallest use the smallest (a pessimistic choice). meanMs(m) interpolates
 * the measured means the same way.
 */
export function buildServiceModel(points: MeasuredServicePoint[], opts: ServiceModelOptions = {}): EmpiricalServiceModel {
  if (!points.length) throw invalidInput('a service model needs at least one measured batch size; run a sweep first');
  const scale = opts.serviceScale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0)) throw invalidInput(`service scale must be > 0, got ${scale}`);
  const sorted = [...points].sort((x, y) => x.batch - y.batch)
    .map((p) => (scale === 1 ? p : { batch: p.batch, meanMs: p.meanMs * scale, ...(p.quantilesMs ? { quantilesMs: p.quantilesMs.map((q) => q * scale) } : {}) }));
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    if (!(Number.isInteger(p.batch) && p.batch >= 1)) throw invalidInput(`measured batch size must be a whole number >= 1, got ${p.batch}`);
    if (!(Number.isFinite(p.meanMs) && p.meanMs >= 0)) throw invalidInput(`measured mean service time for batch ${p.batch} must be >= 0 ms, got ${p.meanMs}`);
    if (i > 0 && sorted[i - 1].batch === p.batch) throw invalidInput(`batch size ${p.batch} is measured twice; pass one point per batch size`);
  }
  const batches = sorted.map((p) => p.batch);
  const grids = sorted.map((p) => toGrid(p));
  const means = sorted.map((p) => p.meanMs);
  const maxBatch = batches[batches.length - 1];
  const overheadMs = opts.overheadMs ?? 0;
  if (!(Number.isFinite(overheadMs) && overheadMs >= 0)) throw invalidInput(`serving overhead must be >= 0 ms, got ${overheadMs}`);
  const tables: Array<Float64Array | undefined> = [];
  const tailExcess: number[] = [];
  const meanCache: number[] = [];
  const noted = new Set<string>();

  const interpolate = (m: number, values: (i: number) => number): number => {
    if (m <= batches[0]) return values(0);
    const last = batches.length - 1;
    if (m >= maxBatch) {
      if (m === maxBatch) return values(last);
      if (last === 0) return (values(0) * m) / batches[0];
      const slope = (values(last) - values(last - 1)) / (batches[last] - batches[last - 1]);
      return values(last) + slope * (m - batches[last]);
    }
    let hi = 1;
    while (batches[hi] < m) hi++;
    const lo = hi - 1;
    const w = (m - batches[lo]) / (batches[hi] - batches[lo]);
    return values(lo) * (1 - w) + values(hi) * w;
  };

  const tableFor = (m: number): Float64Array => {
    const cached = tables[m];
    if (cached) return cached;
    const table = new Float64Array(GRID);
    let floor = 0;
    for (let g = 0; g < GRID; g++) {
      // keep the quantile function non-decreasing and non-negative after extrapolation
      floor = Math.max(floor, interpolate(m, (i) => grids[i][g]));
      table[g] = floor;
    }
    tables[m] = table;
    tailExcess[m] = matchedTailExcess(table, interpolate(m, (i) => means[i]));
    if (m > maxBatch) noted.add(`batch ${m} extrapolated beyond the largest measured batch ${maxBatch}`);
    else if (m < batches[0]) noted.add(`batch ${m} uses the smallest measured batch ${batches[0]}`);
    return table;
  };

  const lf = opts.loadFactor;
  const atLoad = new Map<number, EmpiricalServiceModel>();
  return {
    overheadMs,
    ...(lf ? {
      atUtilization(u: number): EmpiricalServiceModel {
        const key = Math.round(Math.min(lf.uMax, Math.max(lf.uMin, u)) * 200) / 200;
        let m = atLoad.get(key);
        if (!m) atLoad.set(key, m = buildServiceModel(points, { ...opts, loadFactor: undefined, serviceScale: scale * loadFactorAt(lf, key) }));
        return m;
      },
    } : {}),
    jitter: opts.jitterQuantilesMs && !opts.stalls ? jitterFromQuantiles(opts.jitterQuantilesMs) : undefined,
    ...(opts.stalls ? { stalls: opts.stalls } : {}),
    measuredBatches: batches,
    sample(m: number, rng: () => number): number {
      const table = tables[m] ?? tableFor(m);
      const x = rng() * (GRID - 1);
      const i = x | 0;
      if (i < GRID - 2) return table[i] + (x - i) * (table[i + 1] - table[i]);
      return sampleTail(table, tailExcess[m], rng);
    },
    meanMs(m: number): number {
      const cached = meanCache[m];
      if (cached !== undefined) return cached;
      const mean = Math.max(0, interpolate(m, (i) => means[i]));
      meanCache[m] = mean;
      return mean;
    },
    isExtrapolated: (m: number) => m > maxBatch,
    notes: () => [...noted],
  };
}

/**
 * The top 1 % (q99 → max) is not linear: one outlier sets the max, and a straight line from q99 to it
 * would put half of that outlier into every 200th draw (a 90 ms stall on a 0.02 ms model made the
 * sampled mean 3–10× the measured one). Instead the tail is q99 + an exponential excess whose mean
 * makes the model's mean equal the measured mean, truncated at the measured max.
 */
function matchedTailExcess(table: Float64Array, measuredMeanMs: number): number {
  let body = 0;
  for (let g = 0; g < GRID - 2; g++) body += (table[g] + table[g + 1]) / 2;
  body /= GRID - 1; // share of the mean carried by the bottom 99 %
  const q99 = table[GRID - 2];
  const max = table[GRID - 1];
  const tailMean = (measuredMeanMs - body) / (1 / (GRID - 1));
  if (!Number.isFinite(tailMean)) return 0;
  return Math.min(Math.max(0, tailMean - q99), (max - q99) / 2);
}

function sampleTail(table: Float64Array, excessMs: number, rng: () => number): number {
  const q99 = table[GRID - 2];
  if (excessMs <= 0) return q99;
  return Math.min(table[GRID - 1], q99 + exponential(rng, excessMs));
}

/** An inverse-CDF sampler over evenly spaced quantiles (linear between them). */
export function quantileSampler(quantilesMs: number[]): (rng: Rng) => number {
  const grid = toGrid({ batch: 1, meanMs: 0, quantilesMs });
  return (rng) => {
    const x = rng() * (GRID - 1);
    const i = x | 0;
    return grid[i] + (x - i) * (grid[i + 1] - grid[i]);
  };
}

/** Additive machine jitter drawn from measured quantiles (ms), with its p99 for display. */
export function jitterFromQuantiles(quantilesMs: number[]): { sample(rng: () => number): number; p99Ms: number } {
  const grid = toGrid({ batch: 1, meanMs: 0, quantilesMs });
  const x = 0.99 * (GRID - 1);
  const i = Math.floor(x);
  return { sample: quantileSampler(quantilesMs), p99Ms: grid[i] + (x - i) * (grid[i + 1] - grid[i]) };
}

type PerBatch = number | ((m: number) => number);

/** Fixed service time per batch (M/D/· tests). */
export function deterministicServiceModel(serviceMs: PerBatch, overheadMs = 0): ServiceModel {
  const f = typeof serviceMs === 'number' ? () => serviceMs : serviceMs;
  return { overheadMs, sample: (m) => f(m), meanMs: (m) => f(m) };
}

/** Exponential service time per batch with the given mean (M/M/· tests). */
export function exponentialServiceModel(meanServiceMs: PerBatch, overheadMs = 0): ServiceModel {
  const f = typeof meanServiceMs === 'number' ? () => meanServiceMs : meanServiceMs;
  return { overheadMs, sample: (m, rng) => exponential(rng, f(m)), meanMs: (m) => f(m) };
}

/** Service time fixedMs + perItemMs·m, a common shape of measured batch curves (for what-if use). */
export function linearBatchCost(fixedMs: number, perItemMs: number): (m: number) => number {
  return (m) => fixedMs + perItemMs * m;
}

function toGrid(p: MeasuredServicePoint): Float64Array {
  const grid = new Float64Array(GRID);
  const q = p.quantilesMs;
  if (!q || q.length === 0) return grid.fill(p.meanMs);
  if (q.length === 1) return grid.fill(q[0]);
  for (let i = 0; i < q.length; i++) {
    if (!Number.isFinite(q[i]) || q[i] < 0) throw invalidInput(`quantile #${i} of batch ${p.batch} must be a time >= 0 ms, got ${q[i]}`);
  }
  let floor = 0;
  for (let g = 0; g < GRID; g++) {
    const x = (g / (GRID - 1)) * (q.length - 1);
    const i = Math.min(q.length - 2, Math.floor(x));
    floor = Math.max(floor, q[i] + (x - i) * (q[i + 1] - q[i]));
    grid[g] = floor;
  }
  return grid;
}
