// Discrete-event simulation of an open-loop Triton-style dynamic batcher over k instances
// (PLANNER.md): arrivals from the seeded schedule, FIFO batch formation (batchPolicy.ts) whenever
// an instance is free, service drawn from the model for the batch size actually formed.
// Hot loop uses typed arrays only: no allocation per request or per batch.
import { invalidInput } from '../errors.ts';
import { generateArrivalsMs, meanRatePerSec } from './arrivals.ts';
import { expiredBatchSizeTable, immediateBatchSize, validateBatcher } from './batchPolicy.ts';
import { percentilesInPlace } from '../stats/percentiles.ts';
import { stabilityBoundPerSec } from './queueing.ts';
import { createRng, deriveSeed } from '../stats/rng.ts';
import { MIN_SAMPLES_P999 } from '../stats/thresholds.ts';
import type { SimulationInput, SimulationResult } from './types.ts';

/** Sub-stream labels: arrivals use the seed itself so `load` with the same seed replays them. */
const SERVICE_STREAM = 1;
const JITTER_STREAM = 2;

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
  const { batcher, service } = input;
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
  const D = batcher.maxDelayMs;
  const T = batcher.timeoutMs ?? Infinity;
  const Q = batcher.maxQueue ?? Infinity;
  const k = batcher.instances;
  const target = immediateBatchSize(batcher);
  const expired = expiredBatchSizeTable(batcher);

  // min-heap of instance free times
  const free = new Float64Array(k);
  // accepted, not yet dispatched requests (arrival indices, FIFO); each index enters once
  const queue = new Int32Array(n);
  let qh = 0;
  let qt = 0;
  let next = 0;

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
  // the measured window opens when the first counted batch is dispatched (after a saturated
  // warm-up that is well after its arrival) and closes at the last counted completion
  let startMs = NaN;

  outer: for (;;) {
    let t = free[0];
    let m = 0;
    for (;;) {
      // admit arrivals up to t (rejecting when the queue is full, counting timed-out heads first)
      while (next < n && a[next] <= t) {
        const at = a[next];
        while (qh < qt && a[queue[qh]] + T < at) {
          if (queue[qh] >= warm) timedOut++;
          qh++;
        }
        if (qt - qh >= Q) {
          if (next >= warm) rejected++;
        } else {
          queue[qt++] = next;
        }
        next++;
      }
      while (qh < qt && a[queue[qh]] + T < t) {
        if (queue[qh] >= warm) timedOut++;
        qh++;
      }
      if (qh === qt) {
        if (next >= n) break outer;
        t = a[next]; // idle until the next arrival
        continue;
      }
      const queued = qt - qh;
      if (queued >= target) {
        m = target;
        break;
      }
      const deadline = a[queue[qh]] + D;
      if (deadline <= t) {
        m = expired[queued];
        break;
      }
      const nextArrival = next < n ? a[next] : Infinity;
      t = nextArrival <= deadline ? nextArrival : deadline;
    }

    const computeMs = service.sample(m, serviceRng) + overheadMs;
    const doneMs = t + computeMs;
    const counted = queue[qh] >= warm;
    for (let i = qh; i < qh + m; i++) {
      const j = queue[i];
      if (j < warm) continue;
      const arrival = a[j];
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
    qh += m;
    siftDownReplaceTop(free, k, doneMs);
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

/** Replaces the heap minimum with `value` and restores the min-heap property. */
function siftDownReplaceTop(heap: Float64Array, size: number, value: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && heap[r] < heap[l] ? r : l;
    if (heap[c] >= value) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = value;
}
