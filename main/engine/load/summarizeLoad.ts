// Raw records of a served schedule → the figures of one repetition, and repetitions → one result.
// Definitions match the simulator's (main/common/sim/simulate.ts) so `load` and `predict` compare
// like with like: latency = completion − scheduled arrival; the first `warmup` scheduled requests
// are served but not counted; the measured window runs from the first counted dispatch to the last
// counted completion; nearest-rank percentiles.
import type { LoadRepetition, MachineJitter } from '../../common/loadTypes.ts';
import { percentileNearestRank, sortedCopy, quantiles101 } from '../../common/stats/percentiles.ts';
import { MIN_SAMPLES_P999 } from '../../common/stats/thresholds.ts';
import type { ServedRun } from './server.ts';
import { FATE } from '../../common/sim/batcherCore.ts';

export function jitterFigures(run: Pick<ServedRun, 'jitterOversleepMs' | 'gc' | 'stealPct' | 'cpuBusyPct'>): MachineJitter {
  const s = sortedCopy(run.jitterOversleepMs);
  const n = s.length;
  return {
    timerOversleepMs: n ? { p50: percentileNearestRank(s, 0.5), p99: percentileNearestRank(s, 0.99), max: s[n - 1], samples: n } : { p50: NaN, p99: NaN, max: NaN, samples: 0 },
    timerOversleepQuantilesMs: n ? quantiles101(s) : [],
    gcPauses: run.gc,
    cpuStealPct: run.stealPct,
    cpuBusyPct: run.cpuBusyPct,
  };
}

const pct = (sorted: Float64Array, p: number) => (sorted.length ? percentileNearestRank(sorted, p) : NaN);

/** Figures of one repetition. `warmup` = scheduled requests served but not counted. */
export function summarizeRepetition(scheduleMs: Float64Array, run: ServedRun, warmup: number, k: number, seed: number): LoadRepetition {
  const r = run.raw;
  const n = scheduleMs.length;
  const lat: number[] = [];
  const wait: number[] = [];
  const lag: number[] = [];
  let rejected = 0;
  let timedOut = 0;
  let unfinished = 0;
  let latSum = 0;
  let waitSum = 0;
  let max = 0;
  for (let j = warmup; j < n; j++) {
    if (Number.isFinite(r.admittedMs[j])) lag.push(r.admittedMs[j] - scheduleMs[j]);
    const st = r.status[j];
    if (st === FATE.rejected) { rejected++; continue; }
    if (st === FATE.timedOut) { timedOut++; continue; }
    if (st !== FATE.completed) { unfinished++; continue; }
    const l = r.doneMs[j] - scheduleMs[j];
    const w = r.dispatchMs[j] - scheduleMs[j];
    lat.push(l); wait.push(w);
    latSum += l; waitSum += w;
    if (l > max) max = l;
  }
  const sl = sortedCopy(lat);
  const sw = sortedCopy(wait);
  const sg = sortedCopy(lag);
  // batches whose first request is counted (same rule as the simulator)
  const batchSizes: Record<number, number> = {};
  let batches = 0;
  let batched = 0;
  let runSum = 0;
  let busySum = 0;
  let windowStart = Infinity;
  let windowEnd = -Infinity;
  for (let b = 0; b < r.batchSize.length; b++) {
    const first = r.batchFirst[b];
    if (first < warmup) continue;
    const m = r.batchSize[b];
    batchSizes[m] = (batchSizes[m] ?? 0) + 1;
    batches++;
    batched += m;
    const run = r.batchRunMs[b];
    const busy = r.batchBusyMs[b];
    if (Number.isFinite(busy) && busy > 0) { runSum += run; busySum += busy; }
    const d = r.dispatchMs[first];
    if (d < windowStart) windowStart = d;
    const done = r.doneMs[first];
    if (Number.isFinite(done) && done > windowEnd) windowEnd = done;
  }
  const windowMs = windowEnd > windowStart ? windowEnd - windowStart : 0;
  const completed = sl.length;
  const perSec = windowMs > 0 ? (completed / windowMs) * 1000 : 0;
  const counted = n - warmup;
  const spanMs = n > warmup + 1 ? scheduleMs[n - 1] - scheduleMs[warmup] : 0;
  return {
    seed,
    latencyMs: {
      p50: pct(sl, 0.5), p90: pct(sl, 0.9), p99: pct(sl, 0.99), p999: completed >= MIN_SAMPLES_P999 ? pct(sl, 0.999) : null,
      mean: completed ? latSum / completed : NaN, max,
    },
    queueWaitMs: { p50: pct(sw, 0.5), p99: pct(sw, 0.99), mean: completed ? waitSum / completed : NaN },
    generatorLagMs: { p50: pct(sg, 0.5), p99: pct(sg, 0.99), max: sg.length ? sg[sg.length - 1] : NaN },
    samplesPerSec: perSec,
    requestsPerSec: perSec,
    offeredRequestsPerSec: spanMs > 0 ? ((counted - 1) / spanMs) * 1000 : NaN,
    meanBatchSize: batches ? batched / batches : 0,
    batchSizes,
    computeMsPerBatch: batches ? runSum / batches : NaN,
    busyMsPerBatch: batches ? busySum / batches : NaN,
    utilization: windowMs > 0 ? Math.min(1, busySum / (k * windowMs)) : 0,
    requests: counted,
    completed,
    rejected,
    timedOut,
    unfinished,
    warmupRequests: warmup,
    jitter: jitterFigures(run),
  };
}

/** Requests served but not counted at the start of a repetition: 10 % of the schedule, at most 2000. */
export function loadWarmupRequests(scheduled: number): number {
  return Math.min(2000, Math.floor(scheduled / 10));
}

export function meanOf(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

/** Pools jitter figures of several repetitions (quantiles from all oversleep samples together). */
export function poolJitter(runs: ServedRun[]): MachineJitter {
  const total = runs.reduce((s, r) => s + r.jitterOversleepMs.length, 0);
  const all = new Float64Array(total);
  let at = 0;
  for (const r of runs) { all.set(r.jitterOversleepMs, at); at += r.jitterOversleepMs.length; }
  const steal = runs.map((r) => r.stealPct).filter((x): x is number => x !== null);
  const busy = runs.map((r) => r.cpuBusyPct).filter((x): x is number => x !== null);
  return jitterFigures({
    jitterOversleepMs: all,
    gc: runs.reduce((a, r) => ({ count: a.count + r.gc.count, totalMs: a.totalMs + r.gc.totalMs, maxMs: Math.max(a.maxMs, r.gc.maxMs) }), { count: 0, totalMs: 0, maxMs: 0 }),
    stealPct: steal.length ? meanOf(steal) : null,
    cpuBusyPct: busy.length ? meanOf(busy) : null,
  });
}
