// Machine-jitter probe, run alongside a load test: a thread that repeatedly sleeps for a fixed
// short time (Atomics.wait, the same primitive the batcher sleeps with) and records how much later
// than asked it woke up. Scheduler delays, VM hiccups and CPU contention show up as oversleep.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

interface JitterConfig { ints: SharedArrayBuffer; sleepMs: number; maxSamples: number }
const cfg = workerData as JitterConfig;
const stop = new Int32Array(cfg.ints);
const cell = new Int32Array(new SharedArrayBuffer(4));
const oversleepMs = new Float64Array(cfg.maxSamples);
let n = 0;
// stop[0]: 0 run, 1 stop
while (Atomics.load(stop, 0) === 0 && n < cfg.maxSamples) {
  const t0 = performance.now();
  Atomics.wait(cell, 0, 0, cfg.sleepMs);
  oversleepMs[n++] = Math.max(0, performance.now() - t0 - cfg.sleepMs);
}
const out = oversleepMs.slice(0, n);
parentPort!.postMessage({ oversleepMs: out }, [out.buffer]);
