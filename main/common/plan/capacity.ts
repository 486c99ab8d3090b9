// Capacity of one replica at the SLA (X_slo), found with the discrete-event simulator over the
// measured service curve: the largest arrival rate whose simulated SLA percentile stays within the
// latency budget (SLA − network − pre/post − upload). Results are cached so what-if sliders and
// the sensitivity curves reuse probes.
import { buildServiceModel } from '../sim/serviceModel.ts';
import { simulate } from '../sim/simulate.ts';
import { stabilityBoundPerSec } from '../sim/queueing.ts';
import type { ArrivalSpec, BatcherConfig, ServiceModel } from '../sim/types.ts';
import type { CurveGroup } from './curves.ts';

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
  requests: number;
  seed: number;
}

export interface LatencyAtRate {
  ratePerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** at the SLA percentile */
  slaPercentileMs: number;
  utilization: number;
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

/** The measured service model of a group, sped up by speedFactor (cached). */
export function serviceModelFor(g: CurveGroup, speedFactor: number): ServiceModel {
  const key = groupFingerprint(g) + '|' + speedFactor;
  let m = serviceCache.get(key);
  if (!m) {
    const base = buildServiceModel(g.points.map((p) => ({ batch: p.batch, meanMs: p.meanMs, quantilesMs: p.quantilesMs })));
    m = speedFactor === 1 ? base : {
      sample: (b: number, rng: () => number) => base.sample(b, rng) / speedFactor,
      meanMs: (b: number) => base.meanMs(b) / speedFactor,
      overheadMs: base.overheadMs / speedFactor,
    };
    if (serviceCache.size > 500) serviceCache.clear();
    serviceCache.set(key, m);
  }
  return m;
}

function batcherFor(p: CapacityProbe): BatcherConfig {
  return { maxBatch: p.maxBatch, maxDelayMs: p.maxDelayMs, instances: p.group.instances };
}

function arrivalFor(cv: number, ratePerSec: number): ArrivalSpec {
  return Math.abs(cv - 1) < 1e-9 ? { kind: 'poisson', ratePerSec } : { kind: 'gamma', ratePerSec, cv };
}

/** Simulated latency of one replica at a given rate (optionally with service times scaled by serviceScale). */
export function latencyAt(p: CapacityProbe, ratePerSec: number, serviceScale = 1, seed = p.seed): LatencyAtRate {
  const service = serviceModelFor(p.group, p.speedFactor / serviceScale);
  const batcher = batcherFor(p);
  const r = simulate({
    arrival: arrivalFor(p.cv, ratePerSec), batcher, service, requests: p.requests, seed,
    extraPercentiles: [p.percentile / 100],
  });
  return {
    ratePerSec,
    p50Ms: r.latencyMs.p50,
    p99Ms: r.latencyMs.p99,
    slaPercentileMs: r.extraPercentilesMs?.[0] ?? r.latencyMs.p99,
    utilization: r.utilization,
  };
}

/** Stability bound of one replica with this batcher, requests/s. */
export function stabilityBound(p: CapacityProbe): number {
  return stabilityBoundPerSec(serviceModelFor(p.group, p.speedFactor), batcherFor(p));
}

/**
 * X_slo by bisection on the arrival rate (common random numbers: the same seed at every rate, so
 * the latency is close to monotone in the rate). Relative precision about 0.5 % of X_max.
 */
export function capacityAtBudget(p: CapacityProbe): CapacityFinding {
  const key = `${groupFingerprint(p.group)}|${p.speedFactor}|${p.maxBatch}|${p.maxDelayMs}|${p.budgetMs}|${p.percentile}|${p.cv}|${p.requests}|${p.seed}`;
  const hit = capacityCache.get(key);
  if (hit) return hit;
  const xMax = stabilityBound(p);
  const fits = (l: LatencyAtRate) => l.slaPercentileMs <= p.budgetMs;
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
