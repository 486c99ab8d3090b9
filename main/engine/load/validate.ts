// `kneepoint validate`: does the predictor hold on real load on this machine? Measures the service
// curves closed-loop (pinned intra-op threads), calibrates the serving path (overhead, jitter),
// then for an unbatched and a batched configuration runs real open-loop Poisson load at fractions
// of the predicted capacity and compares predicted with measured p50/p99, plus capacity at an SLA.
import type { ValidateSpecResolved } from '../../common/schemas.ts';
import { sweepSpecSchema } from '../../common/schemas.ts';
import type { JobProgress } from '../../common/api.ts';
import type { LoadResult, ValidationResult, ValidationRow } from '../../common/loadTypes.ts';
import type { ArrivalSpec, BatcherConfig, ServiceModel } from '../../common/sim/types.ts';
import { predict } from '../../common/sim/predict.ts';
import { stabilityBoundPerSec } from '../../common/sim/queueing.ts';
import { generateArrivalsForDurationMs } from '../../common/sim/arrivals.ts';
import { invalidInput } from '../../common/errors.ts';
import type { EngineContext } from '../context.ts';
import { runSweep } from '../measure/sweep.ts';
import { combineRepetitions, jitterVerdict, measureOverhead, serveRepetitions, startServer } from './runLoad.ts';
import { serviceModelFromRun } from './serviceCurves.ts';
import { poolJitter, summarizeRepetition } from './summarizeLoad.ts';
import type { InferenceServer } from './server.ts';

export interface ValidateCallbacks {
  signal?: AbortSignal;
  onRunCreated?: (runId: string) => void;
  onProgress?: (p: Omit<JobProgress, 'jobId'>) => void;
  /** one line per finished step, for a person watching */
  onLog?: (line: string) => void;
}

const PREDICT_REQUESTS = 20000;
const PREDICT_REPLICATIONS = 5;

/** Predicted p99 at a rate (mean over replications; the same seed at every rate: common random numbers). */
function predictedP99(service: ServiceModel, batcher: BatcherConfig, ratePerSec: number, seed: number): number {
  return predict({ arrival: { kind: 'poisson', ratePerSec }, batcher, service, requests: PREDICT_REQUESTS, seed }, PREDICT_REPLICATIONS).latencyMs.p99;
}

/**
 * Largest rate whose predicted p99 (point estimate, like the measured one it is compared with)
 * stays within slaMs, by bisection between 1 % and 99 % of the stability bound.
 */
export function predictedCapacityAtSla(service: ServiceModel, batcher: BatcherConfig, slaMs: number, seed: number): number {
  const bound = stabilityBoundPerSec(service, batcher);
  let lo = bound * 0.01;
  let hi = bound * 0.99;
  if (predictedP99(service, batcher, lo, seed) > slaMs) return 0;
  if (predictedP99(service, batcher, hi, seed) <= slaMs) return hi;
  while ((hi - lo) / bound > 0.005) {
    const mid = (lo + hi) / 2;
    if (predictedP99(service, batcher, mid, seed) <= slaMs) lo = mid; else hi = mid;
  }
  return lo;
}

/** Where the measured p99 (piecewise linear between the measured rates) first crosses slaMs. */
export function measuredCapacityAtSla(points: Array<{ ratePerSec: number; p99Ms: number }>, slaMs: number): { perSec: number | null; note: string } {
  const s = [...points].sort((a, b) => a.ratePerSec - b.ratePerSec);
  if (!s.length) return { perSec: null, note: 'no measured levels' };
  if (s[0].p99Ms > slaMs) return { perSec: null, note: `even the lowest measured rate ${s[0].ratePerSec.toFixed(1)}/s misses the ${slaMs.toFixed(2)} ms SLA: capacity is below it` };
  for (let i = 1; i < s.length; i++) {
    if (s[i].p99Ms > slaMs) {
      const a = s[i - 1];
      const b = s[i];
      const w = (slaMs - a.p99Ms) / (b.p99Ms - a.p99Ms);
      return { perSec: a.ratePerSec + w * (b.ratePerSec - a.ratePerSec), note: `interpolated between the measured ${a.ratePerSec.toFixed(1)}/s and ${b.ratePerSec.toFixed(1)}/s levels` };
    }
  }
  return { perSec: null, note: `every measured level meets the ${slaMs.toFixed(2)} ms SLA: capacity is above ${s[s.length - 1].ratePerSec.toFixed(1)}/s (not bracketed)` };
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const errPct = (pred: number, meas: number) => ((pred - meas) / meas) * 100;

export async function runValidate(ctx: EngineContext, spec: ValidateSpecResolved, cb: ValidateCallbacks = {}): Promise<ValidationResult> {
  const started = Date.now();
  const log = (line: string) => cb.onLog?.(line);
  const model = await ctx.resolveModel(spec.model);
  const maxBatch = spec.maxBatch;
  const batches = [...new Set([...(spec.batches ?? (spec.quick ? [1, 2, 4, 8] : [1, 2, 3, 4, 6, 8])).filter((b) => b <= maxBatch), 1, maxBatch])].sort((a, b) => a - b);
  const loads = spec.loads ?? [0.3, 0.5, 0.7, 0.8];
  const baseSeconds = spec.seconds ?? (spec.quick ? 3 : 6);
  const repeat = spec.repeat ?? (spec.quick ? 1 : 2);
  const k = spec.instances;
  const runId = ctx.store.createRun({
    kind: 'validate', name: spec.name, model: { id: model.id, name: model.name, path: model.path, sha256: model.sha256 },
    hardware: ctx.hardware, versions: ctx.versions, spec: { ...spec, batches, loads, seconds: baseSeconds, repeat },
  });
  cb.onRunCreated?.(runId);
  const totalSteps = 3 + 2 * loads.length;
  let step = 0;
  const progress = (phase: string) => cb.onProgress?.({ runId, done: step, total: totalSteps, phase, elapsedMs: Date.now() - started, remainingMs: null });
  let server: InferenceServer | null = null;
  try {
    // 1. service curves, closed loop, same instances and pinned threads as the load test
    progress('measuring service curves (closed loop)');
    const sweepSpec = sweepSpecSchema.parse({
      model: spec.model, batch: batches, instances: [k], threads: [spec.threads], inputs: spec.inputs, name: `validate ${runId} service curves`,
      method: spec.quick
        ? { windowMinMs: 300, maxWindows: 5, windowMinRequests: 30, minSamplesForP99: 300, anchor: false, plateauSteps: 99, seed: spec.seed }
        : { windowMinMs: 500, maxWindows: 8, anchor: false, plateauSteps: 99, seed: spec.seed },
    });
    const sweep = await runSweep(ctx, sweepSpec, { signal: cb.signal });
    if (sweep.status !== 'completed') throw new Error(`the service-curve sweep ${sweep.runId} ${sweep.status}${(sweep as { error?: string }).error ? `: ${(sweep as { error?: string }).error}` : ''}`);
    const failed = sweep.points.filter((p) => p.status === 'failed');
    if (failed.length === sweep.points.length) throw invalidInput(`every service-curve point failed: ${failed[0]?.error ?? 'unknown error'}`);
    log(`service curves: sweep ${sweep.runId}, batch ${batches.join(',')} × ${k} instance(s) × ${spec.threads} thread(s): ` +
      sweep.points.map((p) => `b${p.config.batch} ${p.latencyMs.mean.toFixed(3)} ms`).join(', '));
    step++;

    // 2. the serving path: overhead per batch and machine jitter under a light calibration load
    progress('calibrating the serving path');
    const loadSpecBase = {
      model: spec.model, rate: 1, arrival: 'poisson', seconds: baseSeconds, maxBatch, maxDelayMs: 0, instances: k, threads: spec.threads,
      precision: 'fp32' as const, provider: 'cpu' as const, repeat, seed: spec.seed, inputs: spec.inputs,
    };
    server = await startServer(ctx, model, loadSpecBase);
    const overhead = await measureOverhead(server);
    const bare = serviceModelFromRun(sweep, { instances: k, threads: spec.threads }, null).model;
    const unbatched: BatcherConfig = { maxBatch: 1, maxDelayMs: 0, instances: k };
    const calRate = 0.3 * stabilityBoundPerSec({ ...bare, overheadMs: overhead.overheadMs }, unbatched);
    const calSchedule = generateArrivalsForDurationMs({ kind: 'poisson', ratePerSec: calRate }, 1500, spec.seed + 7777);
    const calRun = await server.runSchedule(calSchedule, { batcher: unbatched, drainLimitMs: 2000, signal: cb.signal });
    const calJitter = poolJitter([calRun]);
    // Saturation probe: drive the unbatched server past capacity. On a small machine the batcher and
    // probe threads take CPU from the instances, so the real per-request cost at high rates exceeds
    // the idle probe's (validation showed capacity overestimated by a third without this). The
    // overhead used is the larger of the two.
    const satSchedule = generateArrivalsForDurationMs({ kind: 'poisson', ratePerSec: calRate / 0.3 * 1.5 }, 1500, spec.seed + 8888);
    const satRun = await server.runSchedule(satSchedule, { batcher: unbatched, drainLimitMs: 200, signal: cb.signal });
    const sat = summarizeRepetition(satSchedule, satRun, Math.floor(satSchedule.length * 0.1), k, spec.seed + 8888);
    const satPerRequestMs = sat.requestsPerSec > 0 ? (k * 1000) / sat.requestsPerSec : 0;
    const idleOverheadMs = overhead.overheadMs;
    overhead.idleProbeOverheadMs = idleOverheadMs;
    overhead.saturationRequestsPerSec = sat.requestsPerSec;
    overhead.overheadMs = Math.max(idleOverheadMs, satPerRequestMs - bare.meanMs(1));
    log(`saturation probe: ${sat.requestsPerSec.toFixed(0)} requests/s unbatched = ${satPerRequestMs.toFixed(3)} ms per request per instance ` +
      `vs bare run() ${bare.meanMs(1).toFixed(3)} ms + idle overhead ${idleOverheadMs.toFixed(3)} ms; overhead used ${overhead.overheadMs.toFixed(3)} ms per batch`);
    const calibration = { overheadMs: overhead.overheadMs, jitterQuantilesMs: calJitter.timerOversleepQuantilesMs, source: `validate run ${runId} (calibration)` };
    log(`serving overhead ${overhead.overheadMs.toFixed(3)} ms per batch (batch 1 through the batcher ${overhead.servedMsPerRequest.toFixed(3)} ms vs bare run() ${overhead.bareMsPerRequest.toFixed(3)} ms); ` +
      `timer oversleep p99 ${calJitter.timerOversleepMs.p99.toFixed(3)} ms`);
    step++;

    // 3. real load vs prediction, per configuration and load level
    const configs: Array<{ name: string; batcher: BatcherConfig }> = [
      { name: 'unbatched', batcher: unbatched },
      { name: `B=${maxBatch} D=${spec.maxDelayMs}ms`, batcher: { maxBatch, maxDelayMs: spec.maxDelayMs, instances: k } },
    ];
    const rows: ValidationRow[] = [];
    const allJitterRuns: LoadResult['jitter'][] = [calJitter];
    const service = serviceModelFromRun(sweep, { instances: k, threads: spec.threads }, calibration).model;
    for (const c of configs) {
      const bound = stabilityBoundPerSec(service, c.batcher);
      for (const f of loads) {
        if (cb.signal?.aborted) throw Object.assign(new Error('validate cancelled'), { kind: 'cancelled' });
        const rate = f * bound;
        progress(`${c.name}: ${(f * 100).toFixed(0)}% of capacity (${rate.toFixed(1)}/s)`);
        const arrival: ArrivalSpec = { kind: 'poisson', ratePerSec: rate };
        const p = predict({ arrival, batcher: c.batcher, service, requests: PREDICT_REQUESTS, seed: spec.seed }, PREDICT_REPLICATIONS);
        // enough requests for a p99 per repetition (>= ~800 scheduled), within reason
        const seconds = Math.min(30, Math.max(baseSeconds, Math.ceil(800 / rate)));
        const served = await serveRepetitions(server, arrival, c.batcher, { seconds, repeat, seed: spec.seed, signal: cb.signal });
        if (served.cancelled) throw Object.assign(new Error('validate cancelled'), { kind: 'cancelled' });
        const m = combineRepetitions(served.repetitions, {});
        allJitterRuns.push(served.jitter);
        const row: ValidationRow = {
          config: c.name, maxBatch: c.batcher.maxBatch, maxDelayMs: c.batcher.maxDelayMs, loadFraction: f, ratePerSec: rate,
          predicted: { p50Ms: p.latencyMs.p50, p99Ms: p.latencyMs.p99, p99CiMs: p.p99CiMs, utilization: p.utilization, meanBatchSize: p.meanBatchSize },
          measured: { p50Ms: m.latencyMs.p50, p99Ms: m.latencyMs.p99, p99CiMs: m.p99CiMs, utilization: m.utilization, meanBatchSize: m.meanBatchSize, valid: m.valid, generatorLagP99Ms: m.generatorLagMs.p99 },
          p50ErrorPct: errPct(p.latencyMs.p50, m.latencyMs.p50),
          p99ErrorPct: errPct(p.latencyMs.p99, m.latencyMs.p99),
        };
        rows.push(row);
        log(`${c.name} ${(f * 100).toFixed(0)}% (${rate.toFixed(1)}/s): p50 predicted ${row.predicted.p50Ms.toFixed(3)} vs measured ${row.measured.p50Ms.toFixed(3)} ms (${row.p50ErrorPct.toFixed(1)}%), ` +
          `p99 ${row.predicted.p99Ms.toFixed(3)} vs ${row.measured.p99Ms.toFixed(3)} ms (${row.p99ErrorPct.toFixed(1)}%)`);
        step++;
      }
    }

    // 4. capacity at an SLA (unbatched configuration)
    progress('capacity at the SLA');
    const capRows = rows.filter((r) => r.config === 'unbatched');
    const at70 = capRows.find((r) => Math.abs(r.loadFraction - 0.7) < 1e-9) ?? capRows[Math.floor(capRows.length / 2)];
    const slaMs = spec.slaMs ?? Number(at70.predicted.p99Ms.toPrecision(2));
    const predictedPerSec = predictedCapacityAtSla(service, unbatched, slaMs, spec.seed);
    const measuredCap = measuredCapacityAtSla(capRows.map((r) => ({ ratePerSec: r.ratePerSec, p99Ms: r.measured.p99Ms })), slaMs);
    step++;

    const within = rows.filter((r) => r.predicted.utilization <= 0.8);
    const jitter = poolJitterFigures(allJitterRuns);
    const notes: string[] = [];
    const invalid = rows.filter((r) => !r.measured.valid).length;
    if (invalid) notes.push(`${invalid} of ${rows.length} levels had generator lag p99 above 1% of their p50 latency (busy machine or sub-millisecond latencies): measured tails there include the generator's own delay`);
    const verdict = jitterVerdict({ p50: median(rows.map((r) => r.measured.p50Ms)), p99: median(rows.map((r) => r.measured.p99Ms)) }, jitter);
    notes.push(verdict.text);
    if (!spec.slaMs) notes.push(`SLA for the capacity comparison = the predicted unbatched p99 at ${(at70.loadFraction * 100).toFixed(0)}% load, rounded (${slaMs} ms); pass --sla to choose one`);
    const result: ValidationResult = {
      runId, model: model.id, sweepRunId: sweep.runId, threads: spec.threads, instances: k, overhead, jitter, rows,
      summary: {
        medianAbsP50ErrorPct: median(rows.map((r) => Math.abs(r.p50ErrorPct))),
        medianAbsP99ErrorPct: median(rows.map((r) => Math.abs(r.p99ErrorPct))),
        worstOptimisticP99ErrorPct: Math.min(0, ...rows.map((r) => r.p99ErrorPct)),
        p99Within15PctShare: within.length ? within.filter((r) => Math.abs(r.p99ErrorPct) <= 15).length / within.length : NaN,
      },
      capacity: {
        config: 'unbatched', slaMs, percentile: 0.99, predictedPerSec, measuredPerSec: measuredCap.perSec, measuredNote: measuredCap.note,
        errorPct: measuredCap.perSec ? errPct(predictedPerSec, measuredCap.perSec) : null,
      },
      durationMs: Date.now() - started,
      notes,
    };
    ctx.store.finishRun(runId, 'completed', { result });
    progress('completed');
    return result;
  } catch (e) {
    const cancelled = (e as { kind?: string }).kind === 'cancelled' || cb.signal?.aborted;
    ctx.store.finishRun(runId, cancelled ? 'cancelled' : 'failed', cancelled ? undefined : { error: (e as Error).message });
    throw e;
  } finally {
    await server?.close();
  }
}

/** Pools jitter figures already summarized per level (quantile-wise mean; max of maxima). */
function poolJitterFigures(parts: LoadResult['jitter'][]): LoadResult['jitter'] {
  const withQ = parts.filter((p) => p.timerOversleepQuantilesMs.length === 101);
  const q = withQ.length ? Array.from({ length: 101 }, (_, i) => withQ.reduce((s, p) => s + p.timerOversleepQuantilesMs[i], 0) / withQ.length) : [];
  const steal = parts.map((p) => p.cpuStealPct).filter((x): x is number => x !== null);
  const busy = parts.map((p) => p.cpuBusyPct).filter((x): x is number => x !== null);
  return {
    timerOversleepMs: {
      p50: median(parts.map((p) => p.timerOversleepMs.p50)), p99: median(parts.map((p) => p.timerOversleepMs.p99)),
      max: Math.max(...parts.map((p) => p.timerOversleepMs.max).filter(Number.isFinite), 0), samples: parts.reduce((s, p) => s + p.timerOversleepMs.samples, 0),
    },
    timerOversleepQuantilesMs: q,
    gcPauses: parts.reduce((a, p) => ({ count: a.count + p.gcPauses.count, totalMs: a.totalMs + p.gcPauses.totalMs, maxMs: Math.max(a.maxMs, p.gcPauses.maxMs) }), { count: 0, totalMs: 0, maxMs: 0 }),
    cpuStealPct: steal.length ? steal.reduce((a, b) => a + b, 0) / steal.length : null,
    cpuBusyPct: busy.length ? busy.reduce((a, b) => a + b, 0) / busy.length : null,
  };
}
