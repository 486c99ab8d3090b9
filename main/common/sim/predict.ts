// Predictions with uncertainty: independent replications of the simulation (different seeds),
// a Student-t interval over the replications' percentiles (latency samples inside one run are
// autocorrelated, so they are never treated as independent), and capacity search at an SLA.
import { invalidInput } from '../errors.ts';
import { withRate } from './arrivals.ts';
import { stabilityBoundPerSec } from './queueing.ts';
import { deriveSeed } from '../stats/rng.ts';
import { tInterval95 } from '../stats/tInterval.ts';
import { serviceAtLoad, simulate } from './simulate.ts';
import type { CapacityOptions, CapacityResult, PredictionResult, SimulationInput, SimulationResult } from './types.ts';

export const CI_METHOD = '95% Student-t interval over independent replications (different seeds)';

/** Seed of replication i: replication 0 uses the seed itself, so it replays the `load` schedule with that seed. */
export function replicationSeed(seed: number, i: number): number {
  return i === 0 ? seed : deriveSeed(seed, 1000 + i);
}

/**
 * Runs `replications` independent simulations and reports the mean of each figure over them,
 * counts summed (batchSizes, rejected, timedOut, requests), and a 95 % t-interval for p99 (and for
 * each of input.extraPercentiles). With 5 replications the interval is mean ± 2.776·sd/√5 (tInterval95,
 * the same code as the measured `load --repeat` interval).
 */
export function predict(input: SimulationInput, replications = 5): PredictionResult {
  if (!(Number.isInteger(replications) && replications >= 1)) throw invalidInput(`replications must be a whole number >= 1, got ${replications}`);
  const runs: SimulationResult[] = [];
  // one operating point for every replication (a load-dependent model's fixed point, found once)
  const atLoad = { ...input, service: serviceAtLoad(input) };
  for (let i = 0; i < replications; i++) runs.push(simulate({ ...atLoad, seed: replicationSeed(input.seed, i) }));
  const mean = (f: (r: SimulationResult) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const batchSizes: Record<number, number> = {};
  for (const r of runs) for (const [size, count] of Object.entries(r.batchSizes)) batchSizes[Number(size)] = (batchSizes[Number(size)] ?? 0) + count;
  const p999s = runs.map((r) => r.latencyMs.p999);
  const result: PredictionResult = {
    latencyMs: {
      p50: mean((r) => r.latencyMs.p50),
      p90: mean((r) => r.latencyMs.p90),
      p99: mean((r) => r.latencyMs.p99),
      p999: p999s.every((v) => v !== null) ? mean((r) => r.latencyMs.p999 as number) : null,
      mean: mean((r) => r.latencyMs.mean),
    },
    queueWaitMs: { p50: mean((r) => r.queueWaitMs.p50), p99: mean((r) => r.queueWaitMs.p99), mean: mean((r) => r.queueWaitMs.mean ?? NaN) },
    samplesPerSec: mean((r) => r.samplesPerSec),
    requestsPerSec: mean((r) => r.requestsPerSec),
    offeredRequestsPerSec: mean((r) => r.offeredRequestsPerSec ?? NaN),
    meanBatchSize: mean((r) => r.meanBatchSize),
    batchSizes,
    computeMsPerBatch: mean((r) => r.computeMsPerBatch ?? NaN),
    utilization: mean((r) => r.utilization),
    rejected: runs.reduce((s, r) => s + r.rejected, 0),
    timedOut: runs.reduce((s, r) => s + r.timedOut, 0),
    requests: runs.reduce((s, r) => s + r.requests, 0),
    saturated: runs.some((r) => r.saturated),
    p99CiMs: tInterval95(runs.map((r) => r.latencyMs.p99)),
    replications,
    ciMethod: CI_METHOD,
  };
  const extra = input.extraPercentiles ?? [];
  if (extra.length) {
    result.extraPercentilesMs = extra.map((_, i) => mean((r) => (r.extraPercentilesMs as number[])[i]));
    result.extraPercentileCisMs = extra.map((p, i) => {
      const values = runs.map((r) => (r.extraPercentilesMs as number[])[i]);
      return { p, valueMs: values.reduce((s, v) => s + v, 0) / values.length, ciMs: tInterval95(values) };
    });
  }
  return result;
}

/**
 * Largest arrival rate whose predicted SLA percentile meets slaMs, judged conservatively on the
 * upper bound of its 95 % interval, with at most a (1 − percentile) share of requests rejected or
 * timed out. Bisection between 0 and the stability bound; every tried rate uses the same seeds
 * (common random numbers), which keeps the predicted percentile monotone in the rate.
 */
export function capacityAtSla(opts: CapacityOptions): CapacityResult {
  const { service, batcher, slaMs, percentile } = opts;
  if (!(slaMs > 0)) throw invalidInput(`SLA must be a positive number of ms, got ${slaMs}`);
  if (!(percentile > 0 && percentile < 1)) throw invalidInput(`SLA percentile must be a fraction between 0 and 1 (e.g. 0.99), got ${percentile}`);
  const requests = opts.requests ?? 20000;
  const replications = opts.replications ?? 5;
  const tolerance = opts.relativeTolerance ?? 0.01;
  const bound = stabilityBoundPerSec(service, batcher);
  if (!(bound > 0 && Number.isFinite(bound))) throw invalidInput(`the service model gives no finite capacity (stability bound ${bound}/s)`);

  let iterations = 0;
  const evaluate = (ratePerSec: number): { ok: boolean; prediction: PredictionResult } => {
    iterations++;
    const prediction = predict(
      { arrival: withRate(opts.arrival, ratePerSec), batcher, service, requests, seed: opts.seed, extraPercentiles: [percentile] },
      replications,
    );
    const upperMs = (prediction.extraPercentileCisMs as NonNullable<PredictionResult['extraPercentileCisMs']>)[0].ciMs[1];
    const failedShare = (prediction.rejected + prediction.timedOut) / prediction.requests;
    return { ok: upperMs <= slaMs && failedShare <= 1 - percentile && !prediction.saturated, prediction };
  };

  let lo = bound * 0.01;
  let hi = bound;
  const first = evaluate(lo);
  if (!first.ok) return { maxRatePerSec: 0, predictedAtMax: first.prediction, iterations, stabilityBoundPerSec: bound };
  let best = first.prediction;
  while (hi - lo > tolerance * hi && iterations < 60) {
    const mid = (lo + hi) / 2;
    const { ok, prediction } = evaluate(mid);
    if (ok) {
      lo = mid;
      best = prediction;
    } else {
      hi = mid;
    }
  }
  return { maxRatePerSec: lo, predictedAtMax: best, iterations, stabilityBoundPerSec: bound };
}
