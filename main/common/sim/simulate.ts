// Discrete-event simulation of an open-loop Triton-style dynamic batcher over k instances
// (PLANNER.md): arrivals from the seeded schedule, FIFO batch formation (batchPolicy.ts) whenever
// an instance is free, service drawn from the model for the batch size actually formed.
// The batcher's rules are BatcherCore's (batcherCore.ts), shared with the Learn stepper and the
// real server; this file only advances simulated time. Instances can be held by the machine's
// stall process (stalls.ts). Hot loop uses typed arrays only: no allocation per request or batch.
import { invalidInput } from '../errors.ts';
import { generateArrivalsMs, meanRatePerSec } from './arrivals.ts';
import { validateBatcher } from './batchPolicy.ts';
import { BatcherCore, formBatch } from './batcherCore.ts';
import { StallTimelines } from './stalls.ts';
import { percentilesInPlace } from '../stats/percentiles.ts';
import { stabilityBoundPerSec } from './queueing.ts';
import { createRng, deriveSeed } from '../stats/rng.ts';
import { MIN_SAMPLES_P999 } from '../stats/thresholds.ts';
import type { ServiceModel, SimulationInput, SimulationResult } from './types.ts';

/** Sub-stream labels: arrivals use the seed itself so `load` with the same seed replays them. */
const SERVICE_STREAM = 1;
const JITTER_STREAM = 2;
const STALL_STREAM = 3;

/** Warm-up used when the input gives none: 10 % of the requests, at least 500. */
export function defaultWarmupRequests(requests: number): number {
  return Math.max(500, Math.floor(requests / 10));
}

/**
 * Runs one simulation. Latency = batch completion − scheduled arrival (+ per-request machine
 * jitter when the service model has one); queue wait = dispatch − arrival. The first
 * `warmupRequests` arrivals are simulated but not counted. Arrival times are exactly
 * generateArrivalsMs(input.arrival, warmup + requests, input.seed).
 */
export function simulate(input: SimulationInput): SimulationResult {
  const batcher = input.batcher;
  const service = serviceAtLoad(input);
  validateBatcher(batcher);
  const requests = input.requests;
  if (!(Number.isInteger(requests) && requests >= 1)) throw invalidInput(`simulated requests must be a whole number >= 1, got ${requests}`);
  const warm = input.warmupRequests ?? defaultWarmupRequests(requests);
  if (!(Number.isInteger(warm) && warm >= 0)) throw invalidInput(`warm-up requests must be a whole number >= 0, got ${warm}`);
  const n = warm + requests;
  const a = generateArrivalsMs(input.arrival, n, input.seed);
  const serviceRng = createRng(deriveSeed(input.seed, SERVICE_STREAM));
  const jitterRng = createRng(deriveSeed(input.seed, JITTER_STREAM));
  const jitter = service.jitter;
  const overheadMs = service.overheadMs;

  const B = batcher.maxBatch;
  const k = batcher.instances;
  const core = new BatcherCore(batcher, Math.min(n, 1 << 16));
  const stalls = service.stalls && service.stalls.ratePerSec > 0 ? new StallTimelines(service.stalls, k, createRng(deriveSeed(input.seed, STALL_STREAM))) : null;

  // min-heap of instance free times, with the instance each entry belongs to (stall timelines are per instance)
  const free = new Float64Array(k);
  const freeInst = new Int32Array(k);
  for (let i = 0; i < k; i++) freeInst[i] = i;
  const cursor = { next: 0 };
  const formed = { size: 0 };
  const arrivalAt = (i: number) => (i < n ? a[i] : Infinity);

  const latency = new Float64Array(requests);
  const wait = new Float64Array(requests);
  const batchCounts = new Float64Array(B + 1);
  let completed = 0;
  let latencySum = 0;
  let waitSum = 0;
  let rejected = 0;
  let timedOut = 0;
  let busyMs = 0;
  let computeSum = 0;
  let batches = 0;
  let lastDoneMs = 0;
  const onReject = (id: number) => { if (id >= warm) rejected++; };
  const onDrop = (id: number) => { if (id >= warm) timedOut++; };
  // the measured window opens when the first counted batch is dispatched (after a saturated
  // warm-up that is well after its arrival) and closes at the last counted completion
  let startMs = NaN;

  for (;;) {
    const t = formBatch(core, free[0], arrivalAt, cursor, formed, onReject, onDrop);
    const m = formed.size;
    if (m === 0) break;
    const serviceMs = service.sample(m, serviceRng) + overheadMs;
    const inst = freeInst[0];
    const doneMs = stalls ? stalls.finish(inst, t, serviceMs) : t + serviceMs;
    const computeMs = doneMs - t;
    const counted = core.idAt(0) >= warm;
    for (let i = 0; i < m; i++) {
      const j = core.idAt(i);
      if (j < warm) continue;
      const arrival = core.arrivalAt(i);
      const lat = jitter ? doneMs - arrival + jitter.sample(jitterRng) : doneMs - arrival;
      latency[completed] = lat;
      wait[completed] = t - arrival;
      latencySum += lat;
      waitSum += t - arrival;
      completed++;
    }
    if (counted) {
      if (batches === 0) startMs = t;
      batchCounts[m]++;
      batches++;
      computeSum += computeMs;
      busyMs += computeMs;
      if (doneMs > lastDoneMs) lastDoneMs = doneMs;
    }
    core.take(m);
    siftDownReplaceTop(free, freeInst, k, doneMs, inst);
  }

  const [p50, p90, p99, p999, ...extra] = percentilesInPlace(latency, completed, [0.5, 0.9, 0.99, 0.999, ...(input.extraPercentiles ?? [])]);
  const [w50, w99] = percentilesInPlace(wait, completed, [0.5, 0.99]);
  const windowMs = batches ? lastDoneMs - startMs : 0;
  const arrivalSpanMs = a[n - 1] - a[Math.min(warm, n - 1)];
  const batchSizes: Record<number, number> = {};
  let batchedRequests = 0;
  for (let s = 1; s <= B; s++) {
    if (batchCounts[s] > 0) {
      batchSizes[s] = batchCounts[s];
      batchedRequests += s * batchCounts[s];
    }
  }
  const throughputPerSec = windowMs > 0 ? (completed / windowMs) * 1000 : 0;
  const offeredPerSec = arrivalSpanMs > 0 ? ((requests - 1) / arrivalSpanMs) * 1000 : Infinity;
  const result: SimulationResult = {
    latencyMs: { p50, p90, p99, p999: completed >= MIN_SAMPLES_P999 ? p999 : null, mean: completed ? latencySum / completed : NaN },
    queueWaitMs: { p50: w50, p99: w99, mean: completed ? waitSum / completed : NaN },
    samplesPerSec: throughputPerSec,
    requestsPerSec: throughputPerSec,
    offeredRequestsPerSec: offeredPerSec,
    meanBatchSize: batches ? batchedRequests / batches : 0,
    batchSizes,
    computeMsPerBatch: batches ? computeSum / batches : 0,
    utilization: windowMs > 0 ? Math.min(1, busyMs / (k * windowMs)) : 0,
    rejected,
    timedOut,
    requests,
    saturated: meanRatePerSec(input.arrival) >= stabilityBoundPerSec(service, batcher),
  };
  if (input.extraPercentiles) result.extraPercentilesMs = extra;
  return result;
}

/** Replaces the heap minimum with `value` (belonging to instance `inst`) and restores the min-heap property. */
function siftDownReplaceTop(heap: Float64Array, owner: Int32Array, size: number, value: number, inst: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && heap[r] < heap[l] ? r : l;
    if (heap[c] >= value) break;
    heap[i] = heap[c];
    owner[i] = owner[c];
    i = c;
  }
  heap[i] = value;
  owner[i] = inst;
}

/** requests of each short pre-run that finds the utilisation a load-dependent service model runs at */
const LOAD_PRE_RUN_REQUESTS = 20_000;

/**
 * The service model at the utilisation it produces: with a load-dependent model (atUtilization),
 * service time depends on utilisation and utilisation on service time, so the fixed point is found
 * on a few short pre-runs (same arrivals and seed); without one, the model as given. Callers that
 * run replications resolve it once (predict, capacity's latencyAt): the result has no
 * atUtilization, so simulate() then uses it as given.
 */
export function serviceAtLoad(input: SimulationInput): ServiceModel {
  const s = input.service;
  if (!s.atUtilization) return s;
  let u = 0.5;
  let model = s.atUtilization(u);
  for (let i = 0; i < 4; i++) {
    const r = simulate({ ...input, service: model, requests: Math.min(input.requests, LOAD_PRE_RUN_REQUESTS), warmupRequests: undefined, extraPercentiles: undefined });
    const next = r.utilization;
    const done = Math.abs(next - u) < 0.005;
    u = next;
    model = s.atUtilization(u);
    if (done) break;
  }
  return model;
}
