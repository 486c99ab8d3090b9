// Event-level stepping of the simulator (main/common/sim/simulate.ts) for the live queue
// animation: the same seeded arrival stream, the same batcher state machine (sim/batcherCore.ts), the same
// service draws in the same order, so after N requests its counters equal simulate()'s for the
// same input (test/unit/learn-queueStepper.test.ts). It keeps what simulate() throws away — which
// instance ran which batch, and when each request arrived, was dispatched and finished — so a
// canvas can draw the queue at any moment. Pure TypeScript (the renderer runs it).
import { invalidInput } from '../errors.ts';
import { createArrivalStream, meanRatePerSec } from '../sim/arrivals.ts';
import { validateBatcher } from '../sim/batchPolicy.ts';
import { BatcherCore, formBatch } from '../sim/batcherCore.ts';
import { StallTimelines } from '../sim/stalls.ts';
import { percentilesInPlace } from '../stats/percentiles.ts';
import { stabilityBoundPerSec } from '../sim/queueing.ts';
import { createRng, deriveSeed } from '../stats/rng.ts';
import type { ArrivalSpec, BatcherConfig, ServiceModel } from '../sim/types.ts';

/** Same sub-stream labels as simulate.ts. */
const SERVICE_STREAM = 1;
const JITTER_STREAM = 2;
const STALL_STREAM = 3;

export interface QueueStepperInput {
  arrival: ArrivalSpec;
  batcher: BatcherConfig;
  service: ServiceModel;
  seed: number;
  /** requests after warm-up; absent = an endless stream (the animation) */
  requests?: number;
  /** arrivals simulated but not counted (simulate's default is max(500, 10 %); the animation counts from 0) */
  warmupRequests?: number;
}

export type RequestFate = 'waiting' | 'dispatched' | 'rejected' | 'timed-out';

/** One request as the animation sees it (times in simulated ms from 0). */
export interface SteppedRequest {
  id: number;
  arrivalMs: number;
  fate: RequestFate;
  /** when its batch was sent (NaN until decided) */
  dispatchMs: number;
  /** when its batch finished (NaN until decided) */
  doneMs: number;
  latencyMs: number;
  instance: number;
  batchId: number;
  /** when it left the queue unserved (rejected on arrival, or dropped after timeoutMs) */
  droppedMs: number;
}

export interface SteppedBatch {
  id: number;
  instance: number;
  size: number;
  dispatchMs: number;
  doneMs: number;
  /** ids of its requests, oldest first */
  requestIds: number[];
}

/** Counters over the counted requests completed by a given time (the animation's live figures). */
export interface QueueCounters {
  completed: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number };
  queueWaitMs: { p50: number; p99: number; mean: number };
  /** completed requests per second over the window (first counted dispatch → last counted completion) */
  requestsPerSec: number;
  utilization: number;
  meanBatchSize: number;
  batchSizes: Record<number, number>;
  rejected: number;
  timedOut: number;
  /** the offered rate is at or above the stability bound: the queue grows without bound */
  saturated: boolean;
}

export interface QueueSnapshot {
  nowMs: number;
  /** arrived and not yet sent (oldest first), capped at `maxQueued` */
  queued: SteppedRequest[];
  /** how many more are queued than listed */
  queuedOverflow: number;
  /** per instance: the batch it is running at nowMs, or null when idle */
  running: Array<SteppedBatch | null>;
  /** requests that finished within the last `recentMs` (for the fly-to-histogram effect) */
  recentlyDone: SteppedRequest[];
  /** requests dropped within the last `recentMs` */
  recentlyDropped: SteppedRequest[];
}

export interface QueueStepper {
  /** computes every batch that can start at or before tMs (lazily, as simulate's loop would) */
  advanceTo(tMs: number): void;
  /** runs a finite stepper (requests given) to its end */
  runToEnd(): void;
  /** true once every request of a finite stepper is decided */
  readonly finished: boolean;
  snapshot(nowMs: number, opts?: { recentMs?: number; maxQueued?: number }): QueueSnapshot;
  /** counters over counted requests whose batch finished at or before `atMs` (default: all decided) */
  counters(atMs?: number): QueueCounters;
  /** completed (counted) latencies by `atMs`, in completion-decision order */
  latenciesUntil(atMs: number): number[];
  /** frees memory of requests that are finished before `beforeMs` (counters are kept) */
  prune(beforeMs: number): void;
  readonly requestCount: number;
}

/**
 * Creates a stepper. Every batch is decided exactly as simulate() decides it: one outer-loop
 * iteration per batch, for the instance that frees first, admitting arrivals lazily up to the
 * dispatch time. `advanceTo(t)` runs iterations while the earliest free instance is free at or
 * before t, so every batch that starts by t is known (later iterations can only start later).
 */
export function createQueueStepper(input: QueueStepperInput): QueueStepper {
  const { batcher, service } = input;
  validateBatcher(batcher);
  const requests = input.requests ?? Infinity;
  if (!(requests === Infinity || (Number.isInteger(requests) && requests >= 1))) {
    throw invalidInput(`simulated requests must be a whole number >= 1, got ${requests}`);
  }
  const warm = input.warmupRequests ?? 0;
  if (!(Number.isInteger(warm) && warm >= 0)) throw invalidInput(`warm-up requests must be a whole number >= 0, got ${warm}`);
  const n = warm + requests;
  const nextArrival = createArrivalStream(input.arrival, input.seed);
  const serviceRng = createRng(deriveSeed(input.seed, SERVICE_STREAM));
  const jitterRng = createRng(deriveSeed(input.seed, JITTER_STREAM));
  const jitter = service.jitter;
  const overheadMs = service.overheadMs;
  const k = batcher.instances;
  const saturated = meanRatePerSec(input.arrival) >= stabilityBoundPerSec(service, batcher);

  // request records; `base` is the id of reqs[0] (pruning drops a finished prefix)
  let reqs: SteppedRequest[] = [];
  let base = 0;
  const arrivalTimes: number[] = []; // arrival time by id - arrivalBase
  let arrivalBase = 0;
  const arrivalAt = (i: number): number => {
    if (i >= n) return Infinity;
    while (arrivalBase + arrivalTimes.length <= i) {
      const id = arrivalBase + arrivalTimes.length;
      const t = nextArrival();
      arrivalTimes.push(t);
      reqs.push({ id, arrivalMs: t, fate: 'waiting', dispatchMs: NaN, doneMs: NaN, latencyMs: NaN, instance: -1, batchId: -1, droppedMs: NaN });
    }
    return arrivalTimes[i - arrivalBase];
  };
  const req = (id: number): SteppedRequest => reqs[id - base];

  const free = new Float64Array(k); // free time per instance (identity kept for drawing)
  const core = new BatcherCore(batcher);
  const stalls = service.stalls && service.stalls.ratePerSec > 0 ? new StallTimelines(service.stalls, k, createRng(deriveSeed(input.seed, STALL_STREAM))) : null;
  const cursor = { next: 0 };
  const formed = { size: 0 };
  let next = 0;
  let finished = false;

  // completion log in simulate's order (for counters)
  const latency: number[] = [];
  const wait: number[] = [];
  const latDoneMs: number[] = [];
  const batches: SteppedBatch[] = [];
  let batchBase = 0;
  // counted batches: dispatch, done, compute, size
  const cBatchDispatch: number[] = [];
  const cBatchDone: number[] = [];
  const cBatchCompute: number[] = [];
  const cBatchSize: number[] = [];
  let rejected = 0;
  let timedOut = 0;
  let batchId = 0;

  const earliestFree = (): number => {
    let best = 0;
    for (let i = 1; i < k; i++) if (free[i] < free[best]) best = i;
    return best;
  };

  const onDrop = (id: number, _arrivalMs: number, atMs: number) => {
    const r = req(id);
    r.fate = 'timed-out';
    r.droppedMs = atMs;
    if (id >= warm) timedOut++;
  };
  const onReject = (id: number, atMs: number) => {
    const r = req(id);
    r.fate = 'rejected';
    r.droppedMs = atMs;
    if (id >= warm) rejected++;
  };

  /** One outer-loop iteration of simulate(): decides one batch. Returns false at the end. */
  function step(): boolean {
    const inst = earliestFree();
    const t = formBatch(core, free[inst], arrivalAt, cursor, formed, onReject, onDrop);
    const m = formed.size;
    if (m === 0) return false;
    next = cursor.next;
    const serviceMs = service.sample(m, serviceRng) + overheadMs;
    const doneMs = stalls ? stalls.finish(inst, t, serviceMs) : t + serviceMs;
    const computeMs = doneMs - t;
    const ids: number[] = [];
    for (let i = 0; i < m; i++) ids.push(core.idAt(i));
    const counted = ids[0] >= warm;
    for (const j of ids) {
      const r = req(j);
      r.fate = 'dispatched';
      r.dispatchMs = t;
      r.doneMs = doneMs;
      r.instance = inst;
      r.batchId = batchId;
      if (j < warm) {
        r.latencyMs = doneMs - r.arrivalMs;
        continue;
      }
      const lat = jitter ? doneMs - r.arrivalMs + jitter.sample(jitterRng) : doneMs - r.arrivalMs;
      r.latencyMs = lat;
      latency.push(lat);
      wait.push(t - r.arrivalMs);
      latDoneMs.push(doneMs);
    }
    if (counted) {
      cBatchDispatch.push(t);
      cBatchDone.push(doneMs);
      cBatchCompute.push(computeMs);
      cBatchSize.push(m);
    }
    batches.push({ id: batchId, instance: inst, size: m, dispatchMs: t, doneMs, requestIds: ids });
    batchId++;
    core.take(m);
    free[inst] = doneMs;
    return true;
  }

  function advanceTo(tMs: number): void {
    while (!finished && free[earliestFree()] <= tMs) {
      if (!step()) finished = true;
    }
  }

  function counters(atMs = Infinity): QueueCounters {
    const lat: number[] = [];
    const wt: number[] = [];
    let latSum = 0;
    let waitSum = 0;
    for (let i = 0; i < latency.length; i++) {
      if (latDoneMs[i] > atMs) continue;
      lat.push(latency[i]);
      wt.push(wait[i]);
      latSum += latency[i];
      waitSum += wait[i];
    }
    let startMs = NaN;
    let lastDoneMs = 0;
    let busyMs = 0;
    let nb = 0;
    let batched = 0;
    const batchSizes: Record<number, number> = {};
    for (let i = 0; i < cBatchDispatch.length; i++) {
      if (cBatchDone[i] > atMs) continue;
      if (nb === 0) startMs = cBatchDispatch[i];
      nb++;
      busyMs += cBatchCompute[i];
      if (cBatchDone[i] > lastDoneMs) lastDoneMs = cBatchDone[i];
      batchSizes[cBatchSize[i]] = (batchSizes[cBatchSize[i]] ?? 0) + 1;
      batched += cBatchSize[i];
    }
    const completed = lat.length;
    const latArr = Float64Array.from(lat);
    const waitArr = Float64Array.from(wt);
    const [p50, p90, p99] = percentilesInPlace(latArr, completed, [0.5, 0.9, 0.99]);
    const [w50, w99] = percentilesInPlace(waitArr, completed, [0.5, 0.99]);
    const windowMs = nb ? lastDoneMs - startMs : 0;
    const perSec = windowMs > 0 ? (completed / windowMs) * 1000 : 0;
    return {
      completed,
      latencyMs: { p50, p90, p99, mean: completed ? latSum / completed : NaN },
      queueWaitMs: { p50: w50, p99: w99, mean: completed ? waitSum / completed : NaN },
      requestsPerSec: perSec,
      utilization: windowMs > 0 ? Math.min(1, busyMs / (k * windowMs)) : 0,
      meanBatchSize: nb ? batched / nb : 0,
      batchSizes,
      rejected,
      timedOut,
      saturated,
    };
  }

  function snapshot(nowMs: number, opts: { recentMs?: number; maxQueued?: number } = {}): QueueSnapshot {
    advanceTo(nowMs);
    const recentMs = opts.recentMs ?? 0;
    const maxQueued = opts.maxQueued ?? 200;
    // make sure every arrival up to now exists as a record, even if no batch has looked at it yet
    let last = arrivalBase + arrivalTimes.length - 1;
    while (last + 1 < n && arrivalAt(last + 1) <= nowMs) last++;
    const queued: SteppedRequest[] = [];
    let overflow = 0;
    const recentlyDone: SteppedRequest[] = [];
    const recentlyDropped: SteppedRequest[] = [];
    for (const r of reqs) {
      if (r.arrivalMs > nowMs) break;
      if (r.fate === 'rejected' || r.fate === 'timed-out') {
        if (r.droppedMs <= nowMs) {
          if (r.droppedMs > nowMs - recentMs) recentlyDropped.push(r);
          continue;
        }
      } else if (r.fate === 'dispatched' && r.dispatchMs <= nowMs) {
        if (r.doneMs <= nowMs && r.doneMs > nowMs - recentMs) recentlyDone.push(r);
        continue;
      }
      if (queued.length < maxQueued) queued.push(r);
      else overflow++;
    }
    const running: Array<SteppedBatch | null> = new Array(k).fill(null);
    for (let i = batches.length - 1; i >= 0; i--) {
      const b = batches[i];
      if (b.doneMs < nowMs - 60_000 && b.dispatchMs < nowMs - 60_000) break;
      if (b.dispatchMs <= nowMs && b.doneMs > nowMs && !running[b.instance]) running[b.instance] = b;
    }
    return { nowMs, queued, queuedOverflow: overflow, running, recentlyDone, recentlyDropped };
  }

  function prune(beforeMs: number): void {
    let drop = 0;
    while (drop < reqs.length) {
      const r = reqs[drop];
      const gone = (r.fate === 'dispatched' && r.doneMs < beforeMs) || ((r.fate === 'rejected' || r.fate === 'timed-out') && r.droppedMs < beforeMs);
      if (!gone || r.id >= next) break;
      drop++;
    }
    if (drop > 0) {
      reqs = reqs.slice(drop);
      base += drop;
      arrivalTimes.splice(0, drop);
      arrivalBase += drop;
    }
    let bdrop = 0;
    while (bdrop < batches.length && batches[bdrop].doneMs < beforeMs) bdrop++;
    if (bdrop > 0) {
      batches.splice(0, bdrop);
      batchBase += bdrop;
    }
  }

  return {
    advanceTo,
    runToEnd() {
      if (n === Infinity) throw invalidInput('runToEnd needs a finite number of requests');
      while (!finished) if (!step()) finished = true;
    },
    get finished() { return finished; },
    snapshot,
    counters,
    latenciesUntil(atMs: number) {
      const out: number[] = [];
      for (let i = 0; i < latency.length; i++) if (latDoneMs[i] <= atMs) out.push(latency[i]);
      return out;
    },
    prune,
    get requestCount() { return next; },
  };
}
