// One server thread of the reference open-loop generator. Deliberately shares nothing with the
// product's load path (no batcher, no shared-slot protocol, no summariser): it claims the next
// request of the seeded schedule from a shared counter (FIFO across k threads = an M/G/k queue),
// sleeps until that request's scheduled arrival when it is early, runs session.run, and records
// the wall-clock times. Latency is computed by the caller as end − scheduled arrival, so a thread
// that falls behind cannot hide its queue (coordinated-omission safe).
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';

interface Init {
  modelPath: string;
  threads: number;
  /** name → [shape, dtype] of the feed to build (batch 1) */
  feedShapes: Array<{ name: string; shape: number[]; type: string; fill?: number }>;
  control: SharedArrayBuffer; // Int32 [0] next index, [1] go flag
  scheduleMs: SharedArrayBuffer; // Float64, ms after the epoch start
  startMs: SharedArrayBuffer; // Float64 per request: run() start (epoch ms)
  endMs: SharedArrayBuffer; // Float64 per request: run() end (epoch ms)
  spinMs: number;
}

const w = workerData as Init;
const epochNow = () => performance.timeOrigin + performance.now();
const ctl = new Int32Array(w.control);
const sched = new Float64Array(w.scheduleMs);
const start = new Float64Array(w.startMs);
const end = new Float64Array(w.endMs);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function makeFeed(): Record<string, ort.Tensor> {
  const feed: Record<string, ort.Tensor> = {};
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (const f of w.feedShapes) {
    const n = f.shape.reduce((a, b) => a * b, 1);
    if (f.type === 'int64') feed[f.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => BigInt(f.fill ?? 0)), f.shape);
    else if (f.type === 'int32') feed[f.name] = new ort.Tensor('int32', Int32Array.from({ length: n }, () => f.fill ?? 0), f.shape);
    else feed[f.name] = new ort.Tensor('float32', Float32Array.from({ length: n }, () => rnd() * 2 - 1), f.shape);
  }
  return feed;
}

const session = await ort.InferenceSession.create(w.modelPath, { executionProviders: ['cpu'], intraOpNumThreads: w.threads });
const feed = makeFeed();
for (let i = 0; i < 20; i++) await session.run(feed);
parentPort!.postMessage({ type: 'ready' });
while (Atomics.load(ctl, 1) === 0) Atomics.wait(ctl, 1, 0, 50);
const epoch0 = Atomics.load(ctl, 1) === 1 ? (new Float64Array(w.control, 8, 1))[0] : 0;
for (;;) {
  const i = Atomics.add(ctl, 0, 1);
  if (i >= sched.length) break;
  const due = epoch0 + sched[i];
  let left = due - epochNow();
  if (left > w.spinMs) Atomics.wait(sleeper, 0, 0, left - w.spinMs);
  while (epochNow() < due) { /* last stretch: spin to the scheduled time */ }
  start[i] = epochNow();
  await session.run(feed);
  end[i] = epochNow();
}
await session.release();
parentPort!.postMessage({ type: 'done' });
