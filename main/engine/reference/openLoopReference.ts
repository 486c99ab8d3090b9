// The reference open-loop generator: the simplest server that can be measured honestly, written
// without any of the product's load code (no batcher, no shared-slot protocol, no summariser, its
// own seeded Poisson schedule). k worker threads, each with its own InferenceSession, take the
// requests of one seeded schedule in FIFO order; latency = end of run() − scheduled arrival.
// It exists to check `kneepoint load`: validate runs it beside the unbatched levels and reports both
// where they differ (docs/validation.md); bench/openloop-compare.bench.ts compares them directly.
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { createRng, deriveSeed, exponential } from '../../common/stats/rng.ts';
import { percentileNearestRank } from '../../common/stats/percentiles.ts';
import type { InputPin } from '../../common/types.ts';
import { planInputs } from '../measure/inputs.ts';

const REFERENCE_STREAM = 77;

/** Batch-1 feed shapes for the reference workers: the model's inputs, planned with the same pins as a sweep. */
export async function referenceFeedShapes(modelPath: string, pins: InputPin[], batchDims?: Record<string, number | null>): Promise<ReferenceOptions['feedShapes']> {
  const s = await ort.InferenceSession.create(modelPath);
  const meta = s.inputMetadata.map((m) => {
    const t = m as unknown as { name: string; type?: string; shape?: Array<number | string> };
    return { name: t.name, type: t.type ?? 'float32', shape: (t.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : null)) };
  });
  await s.release();
  return planInputs(meta, pins, 1, batchDims).map((p) => ({
    name: p.name, shape: p.shape, type: p.type,
    fill: p.source.kind === 'value' ? p.source.value : p.source.kind === 'random' && p.source.integer ? p.source.min : undefined,
  }));
}

export interface ReferenceOptions {
  modelPath: string;
  feedShapes: Array<{ name: string; shape: number[]; type: string; fill?: number }>;
  ratePerSec: number;
  seconds: number;
  seed: number;
  instances?: number;
  threads?: number;
  /** spin this long before each scheduled arrival instead of sleeping (default 0.2 ms) */
  spinMs?: number;
  /** requests served but not counted at the start (default 10 %, at most 2000, as `kneepoint load`) */
  warmupFraction?: number;
}

export interface ReferenceResult {
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** start of run() − scheduled arrival when the thread was idle: the wake-up cost */
  wakeLateMs: { p50: number; p99: number };
  serviceMs: { mean: number; p99: number };
  offeredPerSec: number;
}

export function poissonScheduleMs(ratePerSec: number, seconds: number, seed: number): Float64Array {
  // its own stream of the shared generator: not the load generator's schedule (sim/arrivals.ts)
  const rnd = createRng(deriveSeed(seed, REFERENCE_STREAM));
  const out: number[] = [];
  let t = 0;
  const meanGapMs = 1000 / ratePerSec;
  for (;;) {
    t += exponential(rnd, meanGapMs);
    if (t > seconds * 1000) break;
    out.push(t);
  }
  return Float64Array.from(out);
}


/** Serves a schedule (ms from the start; all zeros = closed loop back-to-back) and returns raw times. */
export async function serveReference(o: ReferenceOptions, scheduleMs: Float64Array): Promise<{ startMs: Float64Array; endMs: Float64Array; epoch0: number }> {
  const k = o.instances ?? 1;
  const n = scheduleMs.length;
  const control = new SharedArrayBuffer(16);
  const sched = new SharedArrayBuffer(8 * n);
  new Float64Array(sched).set(scheduleMs);
  const start = new SharedArrayBuffer(8 * n);
  const end = new SharedArrayBuffer(8 * n);
  const workers = Array.from({ length: k }, () => new Worker(new URL('./referenceWorker.ts', import.meta.url), {
    workerData: { modelPath: o.modelPath, threads: o.threads ?? 1, feedShapes: o.feedShapes, control, scheduleMs: sched, startMs: start, endMs: end, spinMs: o.spinMs ?? 0.2 },
  }));
  const msg = (w: Worker, type: string) => new Promise<void>((res, rej) => {
    w.on('message', (m: { type: string }) => { if (m.type === type) res(); });
    w.once('error', rej);
  });
  await Promise.all(workers.map((w) => msg(w, 'ready')));
  const done = Promise.all(workers.map((w) => msg(w, 'done')));
  const ctl = new Int32Array(control);
  const epoch0 = performance.timeOrigin + performance.now() + 50;
  new Float64Array(control, 8, 1)[0] = epoch0;
  Atomics.store(ctl, 1, 1);
  Atomics.notify(ctl, 1);
  await done;
  await Promise.all(workers.map((w) => w.terminate()));
  return { startMs: new Float64Array(start), endMs: new Float64Array(end), epoch0 };
}

export async function runReference(o: ReferenceOptions): Promise<ReferenceResult> {
  const schedule = poissonScheduleMs(o.ratePerSec, o.seconds, o.seed);
  const { startMs, endMs, epoch0 } = await serveReference(o, schedule);
  const n = schedule.length;
  const warm = Math.min(2000, Math.floor(n * (o.warmupFraction ?? 0.1)));
  const lat: number[] = [];
  const wake: number[] = [];
  const svc: number[] = [];
  // a request found its thread idle when its run() started within 1 ms of its arrival... measured
  // precisely: idle when the previous request on any thread had ended before this one was due, which
  // for k = 1 is end[i−1] ≤ due[i]
  for (let i = warm; i < n; i++) {
    const due = epoch0 + schedule[i];
    lat.push(endMs[i] - due);
    svc.push(endMs[i] - startMs[i]);
    if ((o.instances ?? 1) === 1 && endMs[i - 1] <= due) wake.push(startMs[i] - due);
  }
  const sl = [...lat].sort((a, b) => a - b);
  const ss = [...svc].sort((a, b) => a - b);
  const sw = [...wake].sort((a, b) => a - b);
  return {
    requests: sl.length,
    latencyMs: { p50: percentileNearestRank(sl, 0.5), p90: percentileNearestRank(sl, 0.9), p99: percentileNearestRank(sl, 0.99), mean: lat.reduce((a, b) => a + b, 0) / lat.length, max: sl[sl.length - 1] },
    wakeLateMs: { p50: sw.length ? percentileNearestRank(sw, 0.5) : NaN, p99: sw.length ? percentileNearestRank(sw, 0.99) : NaN },
    serviceMs: { mean: svc.reduce((a, b) => a + b, 0) / svc.length, p99: percentileNearestRank(ss, 0.99) },
    offeredPerSec: (n - 1 - warm) / ((schedule[n - 1] - schedule[warm]) / 1000),
  };
}

/** Back-to-back service time of one thread (the closed-loop batch-1 figure), ms per request. */
export async function closedLoopMsPerRequest(o: Omit<ReferenceOptions, 'ratePerSec' | 'seconds' | 'seed'>, requests: number): Promise<number> {
  const { startMs, endMs } = await serveReference({ ...o, ratePerSec: 1, seconds: 1, seed: 1, instances: 1 }, new Float64Array(requests));
  return (endMs[requests - 1] - startMs[Math.floor(requests / 10)]) / (requests - Math.floor(requests / 10));
}
