// Capacity of one replica at the SLA (X_slo), found with the discrete-event simulator over the
// measured service curve: the largest arrival rate whose simulated SLA percentile, judged on the
// one-sided 95 % UPPER confidence bound over a few independent replications (PLANNER.md), stays
// within the latency budget (SLA − network − pre/post − upload). Results are cached so what-if
// sliders and the sensitivity curves reuse probes. With a serving calibration (measured by
// `load`/`validate`), every service model adds its per-batch overhead to the instance's busy time
// and its jitter to each request's latency, as the predictor does (docs/predictor.md).
import { buildServiceModel } from '../sim/serviceModel.ts';
import { servingModelOptions, servingPathPoints } from './serving.ts';
import { batcherFromFields } from '../sim/batchPolicy.ts';
import { p99Band } from '../sim/band.ts';
import { serviceAtLoad, simulate } from '../sim/simulate.ts';
import { stabilityBoundPerSec } from '../sim/queueing.ts';
import { replicationSeed } from '../sim/predict.ts';
import { tInterval95, tUpperBound95 } from '../stats/tInterval.ts';
import type { ArrivalSpec, BatcherConfig, ServiceModel } from '../sim/types.ts';
import type { CurveGroup } from './curves.ts';
import type { ServingCalibration } from './types.ts';

export interface CapacityProbe {
  group: CurveGroup;
  /** service times are divided by this (target instance vs measured machine) */
  speedFactor: number;
  maxBatch: number;
  maxDelayMs: number;
  /** latency budget for the model server at the SLA percentile, ms */
  budgetMs: number;
  /** SLA percentile, 50..99.9 */
  percentile: number;
  /** inter-arrival coefficient of variation (1 = Poisson) */
  cv: number;
  /** simulated requests per replication (after a warm-up of max(500, 10 %)) */
  requests: number;
  /** independent replications (different seeds) per probed rate; the budget is judged on their upper bound */
  replications: number;
  seed: number;
  /** serving overhead and jitter of the real serving path (absent: bare run() times) */
  serving?: ServingCalibration | null;
}

export interface LatencyAtRate {
  ratePerSec: number;
  /** means over the replications */
  p50Ms: number;
  p99Ms: number;
  /** at the SLA percentile */
  slaPercentileMs: number;
  /** one-sided 95 % upper confidence bound of the SLA percentile over the replications (the value itself with one);
   * with a band calibration in `serving`, the upper end of the band for a future measurement when that is higher */
  slaPercentileUpperMs: number;
  /** two-sided 95 % Student-t intervals over the replications */
  p99CiMs: [number, number];
  slaPercentileCiMs: [number, number];
  utilization: number;
  replications: number;
}

export interface CapacityFinding {
  /** X_slo: requests/s one replica serves within the budget (0 when even light load misses it) */
  xSloPerSec: number;
  /** X_max: the stability bound k·B/E[s(B)] of the replica, requests/s */
  xMaxPerSec: number;
  /** latency at X_slo (or at light load when X_slo = 0) */
  atSlo: LatencyAtRate;
}

const CACHE_LIMIT = 4000;
const capacityCache = new Map<string, CapacityFinding>();
const serviceCache = new Map<string, ServiceModel>();

function groupFingerprint(g: CurveGroup): string {
  return g.key + '|' + g.points.map((p) => `${p.batch}:${p.meanMs}:${p.p99Ms}:${p.quantilesMs?.[50] ?? ''}`).join(',');
}

const servingKeys = new WeakMap<ServingCalibration, string>();

/** Cache-key part of a serving calibration (computed once per calibration object). */
export function servingKey(s: ServingCalibration | null | undefined): string {
  if (!s) return 'bare';
  let k = servingKeys.get(s);
  if (k === undefined) {
    k = `oh${s.overheadMs};j${s.jitterQuantilesMs && s.jitterQuantilesMs.length >= 2 ? s.jitterQuantilesMs.join(',') : ''};sc${s.serviceScale ?? 1};st${s.stalls ? `${s.stalls.ratePerSec}:${s.stalls.holds}:${s.stalls.durationQuantilesMs.join(',')}` : ''};b${s.band ? `${s.band.sigmaMachine}:${s.band.sigmaModel}:${s.band.atUtilization}` : ''};sp${s.servingPath ? JSON.stringify(s.servingPath.ratioByBatch) + Object.values(s.servingPath.byBatch).map((b) => b.meanMs).join(',') + JSON.stringify(s.servingPath.loadFactor ?? null) : ''}`;
    servingKeys.set(s, k);
  }
  return k;
}

/**
 * The measured service model of a group, sped up by speedFactor, with the serving calibration's
 * per-batch overhead (also sped up: it is CPU work of the serving path) and its jitter (not sped
 * up: it is the measured machine's scheduler and timers, the best estimate there is) (cached).
 */
export function serviceModelFor(g: CurveGroup, speedFactor: number, serving?: ServingCalibration | null): ServiceModel {
  const key = groupFingerprint(g) + '|' + speedFactor + '|' + servingKey(serving);
  let m = serviceCache.get(key);
  if (!m) {
    const sp = servingPathPoints(g.points.map((p) => ({ batch: p.batch, meanMs: p.meanMs, quantilesMs: p.quantilesMs })), serving, g);
    // the load factor is the measured machine's (on another instance type, via speedFactor, it is not carried)
    const base = buildServiceModel(sp.points, { overheadMs: sp.overheadMs, ...servingModelOptions(serving), ...(sp.loadFactor && speedFactor === 1 ? { loadFactor: sp.loadFactor } : {}) });
    m = speedFactor === 1 ? base : {
      sample: (b: number, rng: () => number) => base.sample(b, rng) / speedFactor,
      meanMs: (b: number) => base.meanMs(b) / speedFactor,
      overheadMs: base.overheadMs / speedFactor,
      ...(base.jitter ? { jitter: base.jitter } : {}),
      ...(base.stalls ? { stalls: base.stalls } : {}),
    };
    if (serviceCache.size > 500) serviceCache.clear();
    serviceCache.set(key, m);
  }
  return m;
}

function batcherFor(p: CapacityProbe): BatcherConfig {
  return batcherFromFields({ maxBatch: p.maxBatch, maxDelayMs: p.maxDelayMs, instances: p.group.instances });
}

function arrivalFor(cv: number, ratePerSec: number): ArrivalSpec {
  return Math.abs(cv - 1) < 1e-9 ? { kind: 'poisson', ratePerSec } : { kind: 'gamma', ratePerSec, cv };
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * Simulated latency of one replica at a given rate (optionally with service times scaled by
 * serviceScale): `replications` independent runs (replicationSeed(seed, i), so every rate sees the
 * same random numbers), their means, 95 % t-intervals, and the one-sided 95 % upper bound of the
 * SLA percentile. Latency samples inside one run are autocorrelated, so the uncertainty comes from
 * independent replications, never from the samples of one run (MEASUREMENT.md rule 9).
 */
export function latencyAt(p: CapacityProbe, ratePerSec: number, serviceScale = 1, seed = p.seed): LatencyAtRate {
  const batcher = batcherFor(p);
  const arrival = arrivalFor(p.cv, ratePerSec);
  // a load-dependent service model at its operating point, found once for every replication
  const service = serviceAtLoad({ arrival, batcher, service: serviceModelFor(p.group, p.speedFactor / serviceScale, p.serving), requests: p.requests, seed });
  const reps = Math.max(1, Math.floor(p.replications));
  const p50: number[] = [];
  const p99: number[] = [];
  const pct: number[] = [];
  let util = 0;
  for (let i = 0; i < reps; i++) {
    const r = simulate({
      arrival, batcher, service, requests: p.requests, seed: replicationSeed(seed, i),
      extraPercentiles: [p.percentile / 100],
    });
    p50.push(r.latencyMs.p50);
    p99.push(r.latencyMs.p99);
    pct.push(r.extraPercentilesMs?.[0] ?? r.latencyMs.p99);
    util += r.utilization;
  }
  const slaMean = mean(pct);
  // with a measured band (validate), the budget is judged on the upper end of the interval for a
  // future measurement on this machine, which contains the replication noise
  const upper = p.serving?.band
    ? Math.max(tUpperBound95(pct), p99Band(slaMean, { ciMs: tInterval95(pct), utilization: util / reps, calibration: p.serving.band }).bandMs[1])
    : tUpperBound95(pct);
  return {
    ratePerSec,
    p50Ms: mean(p50),
    p99Ms: mean(p99),
    slaPercentileMs: slaMean,
    slaPercentileUpperMs: upper,
    p99CiMs: tInterval95(p99),
    slaPercentileCiMs: tInterval95(pct),
    utilization: util / reps,
    replications: reps,
  };
}

/** Stability bound of one replica with this batcher, requests/s. */
export function stabilityBound(p: CapacityProbe): number {
  return stabilityBoundPerSec(serviceModelFor(p.group, p.speedFactor, p.serving), batcherFor(p));
}

/**
 * X_slo by bisection on the arrival rate: a rate fits when the upper confidence bound of its SLA
 * percentile (latencyAt's slaPercentileUpperMs) is within the budget. Common random numbers (the
 * same replication seeds at every rate) keep the latency close to monotone in the rate. Relative
 * precision about 0.5 % of X_max; capped at 0.97 · X_max (near the stability bound the figures
 * depend on the run length).
 */
export function capacityAtBudget(p: CapacityProbe): CapacityFinding {
  const key = `${groupFingerprint(p.group)}|${p.speedFactor}|${p.maxBatch}|${p.maxDelayMs}|${p.budgetMs}|${p.percentile}|${p.cv}|${p.requests}|${p.replications}|${p.seed}|${servingKey(p.serving)}`;
  const hit = capacityCache.get(key);
  if (hit) return hit;
  const xMax = stabilityBound(p);
  const fits = (l: LatencyAtRate) => l.slaPercentileUpperMs <= p.budgetMs;
  let result: CapacityFinding;
  const light = latencyAt(p, xMax * 0.01);
  if (!fits(light)) {
    result = { xSloPerSec: 0, xMaxPerSec: xMax, atSlo: light };
  } else {
    const top = latencyAt(p, xMax * 0.97);
    if (fits(top)) {
      result = { xSloPerSec: xMax * 0.97, xMaxPerSec: xMax, atSlo: top };
    } else {
      let lo = light;
      let hiRate = xMax * 0.97;
      while ((hiRate - lo.ratePerSec) / xMax > 0.005) {
        const mid = latencyAt(p, (lo.ratePerSec + hiRate) / 2);
        if (fits(mid)) lo = mid;
        else hiRate = mid.ratePerSec;
      }
      result = { xSloPerSec: lo.ratePerSec, xMaxPerSec: xMax, atSlo: lo };
    }
  }
  if (capacityCache.size >= CACHE_LIMIT) capacityCache.clear();
  capacityCache.set(key, result);
  return result;
}
