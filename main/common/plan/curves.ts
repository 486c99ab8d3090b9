// Measured service curves grouped per configuration: one group = one way to run a replica
// (precision, provider, instances, threads), with its points along the batch axis.
import type { PointResult, Precision, ProviderName, SweepRunResult } from '../types.ts';
import type { Workload } from './workloadSchema.ts';

export interface CurvePoint {
  batch: number;
  /** per run() call (one batch) */
  meanMs: number;
  quantilesMs?: number[];
  p50Ms: number;
  p99Ms: number;
  samplesPerSec: number;
}

export interface CurveGroup {
  key: string;
  precision: Precision;
  provider: ProviderName;
  instances: number;
  threadsPerInstance: number;
  /** sorted by batch */
  points: CurvePoint[];
  /** some batch sizes have only 'unstable' points (used for those batch sizes; stable points win where both exist) */
  unstable: boolean;
}

export interface CurveSelection {
  groups: CurveGroup[];
  /** precisions measured but excluded, with why (accuracy budget, not allowed by the workload) */
  excluded: Array<{ precision: Precision; why: string }>;
}

/** Groups usable points of a sweep; precisions outside the workload's accuracy rules are excluded. */
export function selectCurves(run: SweepRunResult, workload: Workload, opts: { ignoreAccuracy?: boolean } = {}): CurveSelection {
  const byKey = new Map<string, { g: CurveGroup; ok: PointResult[]; unstable: PointResult[] }>();
  const excluded = new Map<Precision, string>();
  for (const p of run.points) {
    if (p.status === 'failed') continue;
    const c = p.config;
    if (!opts.ignoreAccuracy) {
      if (!workload.accuracy.precisions.includes(c.precision)) {
        excluded.set(c.precision, `not in the workload's accuracy.precisions`);
        continue;
      }
      if (c.precision !== 'fp32' && workload.accuracy.requireWithinBudget && p.accuracy && !p.accuracy.withinBudget) {
        excluded.set(c.precision, `over the accuracy budget (cosine ${p.accuracy.cosine.toFixed(4)})`);
        continue;
      }
    }
    const key = `${c.precision}/${c.provider}/k${c.instances}/t${c.threadsPerInstance}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = {
        g: { key, precision: c.precision, provider: c.provider, instances: c.instances, threadsPerInstance: c.threadsPerInstance, points: [], unstable: false },
        ok: [], unstable: [],
      };
      byKey.set(key, entry);
    }
    (p.status === 'ok' ? entry.ok : entry.unstable).push(p);
  }
  const groups: CurveGroup[] = [];
  for (const { g, ok, unstable } of byKey.values()) {
    // per batch size: the best stable point, else the best unstable one (a quick sweep often leaves
    // some batch sizes unstable; dropping them would hide batch 1 from the zero-load screen)
    const best = (list: PointResult[]) => {
      const byBatch = new Map<number, PointResult>();
      for (const p of list) {
        const prev = byBatch.get(p.config.batch);
        if (!prev || p.samplesPerSec > prev.samplesPerSec) byBatch.set(p.config.batch, p);
      }
      return byBatch;
    };
    const stable = best(ok);
    const merged = new Map(stable);
    for (const [batch, p] of best(unstable)) if (!merged.has(batch)) merged.set(batch, p);
    g.unstable = merged.size > stable.size;
    g.points = [...merged.values()].map(toCurvePoint).sort((a, b) => a.batch - b.batch);
    if (g.points.length) groups.push(g);
  }
  for (const g of groups) excluded.delete(g.precision);
  return { groups, excluded: [...excluded].map(([precision, why]) => ({ precision, why })) };
}

function toCurvePoint(p: PointResult): CurvePoint {
  return {
    batch: p.config.batch,
    meanMs: p.latencyMs.mean,
    quantilesMs: p.quantilesMs && p.quantilesMs.length >= 2 ? p.quantilesMs : undefined,
    p50Ms: p.latencyMs.p50,
    p99Ms: p.latencyMs.p99,
    samplesPerSec: p.samplesPerSec,
  };
}

/** Service time of one run() at percentile pct (0..100) from the measured quantiles. */
export function servicePercentileMs(point: CurvePoint, pct: number): number {
  const q = point.quantilesMs;
  if (q) {
    const x = (pct / 100) * (q.length - 1);
    const lo = Math.floor(x);
    const hi = Math.min(q.length - 1, lo + 1);
    return q[lo] + (q[hi] - q[lo]) * (x - lo);
  }
  if (pct <= 50) return point.p50Ms;
  return point.p50Ms + ((point.p99Ms - point.p50Ms) * Math.min(pct - 50, 49)) / 49;
}

/** Best closed-loop throughput of a group (samples/s) and the point that reaches it. */
export function bestOffline(g: CurveGroup): CurvePoint {
  return g.points.reduce((a, b) => (b.samplesPerSec > a.samplesPerSec ? b : a));
}

/** Cores a replica of this group keeps busy. */
export function coresUsed(g: CurveGroup): number {
  return g.instances * g.threadsPerInstance;
}

export function isGpuProvider(p: ProviderName): boolean {
  return p === 'cuda' || p === 'tensorrt' || p === 'dml' || p === 'coreml' || p === 'webgpu';
}
