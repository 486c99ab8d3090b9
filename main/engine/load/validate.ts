// `kneepoint validate`: does the predictor hold on real load on this machine? Measures the service
// curves closed-loop (pinned intra-op threads), calibrates the serving path under load (service
// scale, per-batch overhead, stall events, band spread) at calibration levels of its own, then for
// an unbatched and a batched configuration runs real open-loop Poisson load at fractions of the
// predicted capacity and compares predicted p50/p99 (with its band) against the measured ones,
// plus capacity at an SLA. The stored calibration is what `plan` and `predict` use afterwards.
import type { ValidateSpecResolved } from '../../common/schemas.ts';
import { sweepSpecSchema } from '../../common/schemas.ts';
import type { JobProgress } from '../../common/api.ts';
import type { LoadResult, ValidationResult, ValidationRow } from '../../common/loadTypes.ts';
import type { ArrivalSpec, BatcherConfig, ServiceModel } from '../../common/sim/types.ts';
import { predict } from '../../common/sim/predict.ts';
import { batcherFromFields } from '../../common/sim/batchPolicy.ts';
import { stabilityBoundPerSec } from '../../common/sim/queueing.ts';
import { generateArrivalsForDurationMs } from '../../common/sim/arrivals.ts';
import { invalidInput } from '../../common/errors.ts';
import type { EngineContext } from '../engineContext.ts';
import { runSweep } from '../measure/sweep.ts';
import { combineRepetitions, jitterVerdict, measureOverhead, servedModelPath, serveRepetitions, startServer } from './runLoad.ts';
import { referenceFeedShapes, runReference } from '../reference/openLoopReference.ts';
import { mergePins } from '../measure/inputPins.ts';
import { serviceModelFromRun } from './serviceCurves.ts';
import { fitLoadFactor, loadFactorAt } from '../../common/sim/serviceModel.ts';
import { poolJitter, summarizeRepetition } from './summarizeLoad.ts';
import { poolStallEvents } from './stallProbe.ts';
import { bandCoverage, logSd, p99Band, type BandCalibration } from '../../common/sim/band.ts';
import type { ServingCalibration, ServingPathCurves } from '../../common/plan/types.ts';
import { quantiles101, sortedCopy } from '../../common/stats/percentiles.ts';
import type { InferenceServer, ServedRun } from './server.ts';

export interface ValidateCallbacks {
  signal?: AbortSignal;
  onRunCreated?: (runId: string) => void;
  onProgress?: (p: Omit<JobProgress, 'jobId'>) => void;
  /** one line per finished step, for a person watching */
  onLog?: (line: string) => void;
}

const PREDICT_REQUESTS = 20000;
/** batch sizes seen this often under load get their own measured distribution; this often, at least their busy/closed ratio */
const SERVING_PATH_MIN_SAMPLES = 200;
const SERVING_PATH_MIN_RATIO_SAMPLES = 20;
const PREDICT_REPLICATIONS = 5;

/** Predicted p99 at a rate (mean over replications; the same seed at every rate: common random numbers). */
function predictedP99(service: ServiceModel, batcher: BatcherConfig, ratePerSec: number, seed: number, band?: BandCalibration): number {
  const p = predict({ arrival: { kind: 'poisson', ratePerSec }, batcher, service, requests: PREDICT_REQUESTS, seed }, PREDICT_REPLICATIONS);
  return band ? p99Band(p.latencyMs.p99, { ciMs: p.p99CiMs, utilization: p.utilization, calibration: band }).bandMs[1] : p.latencyMs.p99;
}

/**
 * Largest rate whose predicted p99 stays within slaMs, by bisection between 1 % and 99 % of the
 * stability bound. With a band calibration the upper end of the band must meet the SLA (an
 * uncertain machine yields a smaller, safe capacity); without one, the point estimate.
 */
export function predictedCapacityAtSla(service: ServiceModel, batcher: BatcherConfig, slaMs: number, seed: number, band?: BandCalibration): number {
  const bound = stabilityBoundPerSec(service, batcher);
  let lo = bound * 0.01;
  let hi = bound * 0.99;
  if (predictedP99(service, batcher, lo, seed, band) > slaMs) return 0;
  if (predictedP99(service, batcher, hi, seed, band) <= slaMs) return hi;
  while ((hi - lo) / bound > 0.005) {
    const mid = (lo + hi) / 2;
    if (predictedP99(service, batcher, mid, seed, band) <= slaMs) lo = mid; else hi = mid;
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

    // 2. the serving path, measured under load: calibration levels (own seeds, never the levels
    // checked below) give the service time the server really sees (serviceScale: run() under load
    // vs closed loop; overhead: the batcher's busy time − run()), the machine's stall events (probe
    // thread), and the spread of a measured p99 (repetitions) and of the model's error (residuals)
    // that make the band.
    progress('calibrating the serving path under load');
    const loadSpecBase = {
      model: spec.model, rate: 1, arrival: 'poisson', seconds: baseSeconds, maxBatch, maxDelayMs: 0, instances: k, threads: spec.threads,
      precision: 'fp32' as const, provider: 'cpu' as const, repeat, seed: spec.seed, inputs: spec.inputs,
    };
    server = await startServer(ctx, model, loadSpecBase);
    const overhead = await measureOverhead(server);
    const bare = serviceModelFromRun(sweep, { instances: k, threads: spec.threads }, null).model;
    const unbatched = batcherFromFields({ maxBatch: 1, maxDelayMs: 0, instances: k });
    const configs: Array<{ name: string; batcher: BatcherConfig }> = [
      { name: 'unbatched', batcher: unbatched },
      { name: `B=${maxBatch} D=${spec.maxDelayMs}ms`, batcher: batcherFromFields({ maxBatch, maxDelayMs: spec.maxDelayMs, instances: k }) },
    ];
    const servedPath = await servedModelPath(ctx, model, loadSpecBase);
    const feedShapes = await referenceFeedShapes(servedPath, mergePins(model.defaultPins, spec.inputs), model.batchDims);
    const idleService = serviceModelFromRun(sweep, { instances: k, threads: spec.threads }, { overheadMs: overhead.overheadMs, source: 'idle probe' }).model;
    // three levels per configuration: the first at a fraction of the closed-loop bound (safe), the
    // others at fractions of the bound the first level's serving path gives (under open-loop load
    // the service time can be well above the closed-loop one: a level set on the closed-loop bound
    // alone can overload the server and measure nothing useful)
    const calLevels = [0.3, 0.55, 0.8];
    const calSeconds = Math.max(2, Math.round(baseSeconds / 2));
    // per level: its measured utilisation, Σ busy and Σ closed-loop mean of its batches, and their ratio
    const calRuns: Array<{ config: string; batcher: BatcherConfig; rate: number; p99s: number[]; utilization: number; busyMs: number; closedMs: number; ratio: number }> = [];
    const probeParts: Array<{ oversleepMs: Float64Array; sleepMs: number }> = [];
    const calServed: ServedRun[] = [];
    // busy time per batch (dispatch → completion seen), by calibration level and batch size
    const busyByLevel: Array<Map<number, number[]>> = [];
    let runSum = 0;
    let closedSum = 0;
    let gapSum = 0;
    let batchCount = 0;
    for (const c of configs) {
      let bound = stabilityBoundPerSec(idleService, c.batcher);
      for (const [li, f] of calLevels.entries()) {
        if (li === 1) {
          // the bound with the first level's measured busy/closed ratio (bare has no overhead: its bound scales by 1/ratio)
          const first = calRuns[calRuns.length - 1];
          if (first.ratio > 0) bound = stabilityBoundPerSec(bare, c.batcher) / first.ratio;
        }
        const rate = f * bound;
        const p99s: number[] = [];
        const utilizations: number[] = [];
        let levelBusy = 0;
        let levelClosed = 0;
        const busy = new Map<number, number[]>();
        for (let r = 0; r < 2; r++) {
          if (cb.signal?.aborted) throw Object.assign(new Error('validate cancelled'), { kind: 'cancelled' });
          const seed = spec.seed + 5000 + calRuns.length * 10 + r;
          const sched = generateArrivalsForDurationMs({ kind: 'poisson', ratePerSec: rate }, Math.max(calSeconds * 1000, (700 / rate) * 1000), seed);
          const run = await server.runSchedule(sched, { batcher: c.batcher, drainLimitMs: 2000, signal: cb.signal });
          if (run.raw.cancelled) throw Object.assign(new Error('validate cancelled'), { kind: 'cancelled' });
          const warm = Math.floor(sched.length / 10);
          const rep = summarizeRepetition(sched, run, warm, k, seed);
          p99s.push(rep.latencyMs.p99);
          utilizations.push(rep.utilization);
          probeParts.push({ oversleepMs: run.jitterOversleepMs, sleepMs: 1 });
          calServed.push(run);
          const raw = run.raw;
          for (let b = 0; b < raw.batchSize.length; b++) {
            if (raw.batchFirst[b] < warm || !(raw.batchBusyMs[b] > 0)) continue;
            runSum += raw.batchRunMs[b];
            closedSum += bare.meanMs(raw.batchSize[b]);
            levelBusy += raw.batchBusyMs[b];
            levelClosed += bare.meanMs(raw.batchSize[b]);
            gapSum += raw.batchBusyMs[b] - raw.batchRunMs[b];
            batchCount++;
            const m = raw.batchSize[b];
            if (!busy.has(m)) busy.set(m, []);
            busy.get(m)!.push(raw.batchBusyMs[b]);
          }
        }
        calRuns.push({
          config: c.name, batcher: c.batcher, rate, p99s, utilization: utilizations.reduce((a, x) => a + x, 0) / Math.max(1, utilizations.length),
          busyMs: levelBusy, closedMs: levelClosed, ratio: levelClosed > 0 ? levelBusy / levelClosed : 0,
        });
        busyByLevel.push(busy);
      }
    }
    const serviceScale = batchCount && closedSum > 0 ? Math.max(0.5, runSum / closedSum) : 1;
    const underLoadOverheadMs = batchCount ? Math.max(0, gapSum / batchCount) : overhead.overheadMs;
    overhead.idleProbeOverheadMs = overhead.overheadMs;
    overhead.underLoadMs = underLoadOverheadMs;
    overhead.overheadMs = underLoadOverheadMs;
    const stallEvents = poolStallEvents(probeParts);
    const stallsCal = stallEvents.events > 0 ? { ratePerSec: stallEvents.ratePerSec, durationQuantilesMs: stallEvents.durationQuantilesMs, holds: 'idle' as const } : undefined;
    const servingPathFrom = (levels: number[]): ServingPathCurves => {
      const pooled = new Map<number, number[]>();
      for (const i of levels) for (const [m, v] of busyByLevel[i]) pooled.set(m, [...(pooled.get(m) ?? []), ...v]);
      const byBatch: ServingPathCurves['byBatch'] = {};
      const ratioByBatch: ServingPathCurves['ratioByBatch'] = {};
      for (const [m, v] of pooled) {
        const mean = v.reduce((a, x) => a + x, 0) / v.length;
        if (v.length >= SERVING_PATH_MIN_RATIO_SAMPLES && bare.meanMs(m) > 0) ratioByBatch[m] = mean / bare.meanMs(m);
        if (v.length >= SERVING_PATH_MIN_SAMPLES) byBatch[m] = { meanMs: mean, quantilesMs: quantiles101(sortedCopy(v)), samples: v.length };
      }
      // the service time's dependence on utilisation, relative to the pooled ratio these curves carry
      const busyPooled = levels.reduce((a, i) => a + calRuns[i].busyMs, 0);
      const closedPooled = levels.reduce((a, i) => a + calRuns[i].closedMs, 0);
      const loadFactor = closedPooled > 0 ? fitLoadFactor(levels.map((i) => calRuns[i]), busyPooled / closedPooled) : null;
      return { instances: k, threadsPerInstance: spec.threads, precision: 'fp32', provider: 'cpu', byBatch, ratioByBatch, ...(loadFactor ? { loadFactor } : {}) };
    };
    const allLevels = busyByLevel.map((_, i) => i);
    const calibrationWith = (levels: number[]): ServingCalibration => ({
      overheadMs: underLoadOverheadMs, serviceScale, servingPath: servingPathFrom(levels), ...(stallsCal ? { stalls: stallsCal } : {}), source: `validate run ${runId} (calibration)`,
    });
    const baseCalibration = calibrationWith(allLevels);
    const service = serviceModelFromRun(sweep, { instances: k, threads: spec.threads }, baseCalibration).model;
    // the band: machine spread from repetitions; model error from the calibration levels, each
    // predicted by a model built without that level's own service samples (leave one level out)
    const residuals: number[] = [];
    const spreads: number[] = [];
    const utils: number[] = [];
    for (const [i, cr] of calRuns.entries()) {
      const heldOut = serviceModelFromRun(sweep, { instances: k, threads: spec.threads }, calibrationWith(allLevels.filter((j) => j !== i))).model;
      const p = predict({ arrival: { kind: 'poisson', ratePerSec: cr.rate }, batcher: cr.batcher, service: heldOut, requests: PREDICT_REQUESTS, seed: spec.seed + 5000 }, PREDICT_REPLICATIONS);
      const measured = cr.p99s.reduce((a, b) => a + b, 0) / cr.p99s.length;
      if (measured > 0 && p.latencyMs.p99 > 0) residuals.push(Math.log(measured / p.latencyMs.p99));
      spreads.push(logSd(cr.p99s));
      utils.push(p.utilization);
    }
    const band: BandCalibration = {
      sigmaMachine: Math.sqrt(spreads.reduce((a, b) => a + b * b, 0) / Math.max(1, spreads.length)),
      sigmaModel: Math.sqrt(residuals.reduce((a, b) => a + b * b, 0) / Math.max(1, residuals.length)),
      biasLog: residuals.length ? residuals.reduce((a, b) => a + b, 0) / residuals.length : 0,
      atUtilization: utils.length ? utils.reduce((a, b) => a + b, 0) / utils.length : 0.6,
      levels: calRuns.length * 2,
    };
    const calibration: ServingCalibration = { ...baseCalibration, band };
    log(`serving path under load: run() ${Math.abs((serviceScale - 1) * 100).toFixed(1)}% ${serviceScale >= 1 ? 'slower' : 'faster'} than closed loop, busy − run() ${underLoadOverheadMs.toFixed(3)} ms per batch ` +
      `(idle probe ${overhead.idleProbeOverheadMs.toFixed(3)} ms); ` +
      (baseCalibration.servingPath?.loadFactor ? `service time ×${loadFactorAt(baseCalibration.servingPath.loadFactor, 0).toFixed(2)} at utilisation ${baseCalibration.servingPath.loadFactor.uMin.toFixed(2)}, ×${loadFactorAt(baseCalibration.servingPath.loadFactor, 1).toFixed(2)} at ${baseCalibration.servingPath.loadFactor.uMax.toFixed(2)} (levels: ${calRuns.map((c) => `${c.utilization.toFixed(2)}→${c.ratio.toFixed(2)}`).join(', ')}); ` : '') +
      `stalls ${stallEvents.ratePerSec.toFixed(1)}/s over ${stallEvents.thresholdMs.toFixed(2)} ms` +
      (stallEvents.events ? ` (median ${stallEvents.durationQuantilesMs[50].toFixed(2)} ms, max ${stallEvents.durationQuantilesMs[100].toFixed(2)} ms)` : '') +
      `; band: machine spread ${(band.sigmaMachine * 100).toFixed(0)}%, model error ${(band.sigmaModel * 100).toFixed(0)}% (log sd) at utilisation ${band.atUtilization.toFixed(2)}`);
    step++;

    // 3. real load vs prediction, per configuration and load level (seeds unlike the calibration's)
    const rows: ValidationRow[] = [];
    const allJitterRuns: LoadResult['jitter'][] = [poolJitter(calServed)];
    for (const c of configs) {
      const bound = stabilityBoundPerSec(service, c.batcher);
      for (const f of loads) {
        if (cb.signal?.aborted) throw Object.assign(new Error('validate cancelled'), { kind: 'cancelled' });
        const rate = f * bound;
        progress(`${c.name}: ${(f * 100).toFixed(0)}% of capacity (${rate.toFixed(1)}/s)`);
        const arrival: ArrivalSpec = { kind: 'poisson', ratePerSec: rate };
        const p = predict({ arrival, batcher: c.batcher, service, requests: PREDICT_REQUESTS, seed: spec.seed }, PREDICT_REPLICATIONS);
        const b = p99Band(p.latencyMs.p99, { ciMs: p.p99CiMs, utilization: p.utilization, calibration: band });
        // enough requests for a p99 per repetition (>= ~800 scheduled), within reason
        const seconds = Math.min(30, Math.max(baseSeconds, Math.ceil(800 / rate)));
        const served = await serveRepetitions(server, arrival, c.batcher, { seconds, repeat, seed: spec.seed, signal: cb.signal });
        if (served.cancelled) throw Object.assign(new Error('validate cancelled'), { kind: 'cancelled' });
        const m = combineRepetitions(served.repetitions, {});
        allJitterRuns.push(served.jitter);
        // the ground truth's own check: the reference open-loop generator (no batcher, no shared
        // load code) at the same rate, for the configuration it can serve (unbatched)
        let reference: ValidationRow['reference'];
        if (c.batcher.maxBatch === 1) {
          const refs: number[] = [];
          const refP50: number[] = [];
          for (let i = 0; i < repeat; i++) {
            const ref = await runReference({ modelPath: servedPath, feedShapes, ratePerSec: rate, seconds, seed: spec.seed + i, instances: k, threads: spec.threads });
            refs.push(ref.latencyMs.p99);
            refP50.push(ref.latencyMs.p50);
          }
          const p99 = refs.reduce((a, x) => a + x, 0) / refs.length;
          reference = { p50Ms: refP50.reduce((a, x) => a + x, 0) / refP50.length, p99Ms: p99, p99RangeMs: [Math.min(...refs), Math.max(...refs)], loadVsReferencePct: errPct(m.latencyMs.p99, p99) };
        }
        const inside = m.latencyMs.p99 >= b.bandMs[0] && m.latencyMs.p99 <= b.bandMs[1];
        const reps = served.repetitions.map((r) => r.latencyMs.p99);
        const row: ValidationRow = {
          config: c.name, maxBatch: c.batcher.maxBatch, maxDelayMs: c.batcher.maxDelayMs, loadFraction: f, ratePerSec: rate,
          predicted: { p50Ms: p.latencyMs.p50, p99Ms: p.latencyMs.p99, p99CiMs: p.p99CiMs, p99BandMs: b.bandMs, utilization: p.utilization, meanBatchSize: p.meanBatchSize },
          measured: {
            p50Ms: m.latencyMs.p50, p99Ms: m.latencyMs.p99, p99CiMs: m.p99CiMs, p99RangeMs: [Math.min(...reps), Math.max(...reps)],
            utilization: m.utilization, meanBatchSize: m.meanBatchSize, valid: m.valid, generatorLagP99Ms: m.generatorLagMs.p99,
          },
          p50ErrorPct: errPct(p.latencyMs.p50, m.latencyMs.p50),
          p99ErrorPct: errPct(p.latencyMs.p99, m.latencyMs.p99),
          insideBand: inside,
          ...(reference ? { reference } : {}),
        };
        rows.push(row);
        log(`${c.name} ${(f * 100).toFixed(0)}% (${rate.toFixed(1)}/s): p50 predicted ${row.predicted.p50Ms.toFixed(3)} vs measured ${row.measured.p50Ms.toFixed(3)} ms (${row.p50ErrorPct.toFixed(1)}%), ` +
          `p99 ${row.predicted.p99Ms.toFixed(3)} [band ${b.bandMs[0].toFixed(3)}–${b.bandMs[1].toFixed(3)}] vs ${row.measured.p99Ms.toFixed(3)} ms (${row.p99ErrorPct.toFixed(1)}%, ${inside ? 'inside' : 'OUTSIDE'} the band)`);
        step++;
      }
    }

    // 4. capacity at an SLA (unbatched configuration)
    progress('capacity at the SLA');
    const capRows = rows.filter((r) => r.config === 'unbatched');
    const at70 = capRows.find((r) => Math.abs(r.loadFraction - 0.7) < 1e-9) ?? capRows[Math.floor(capRows.length / 2)];
    const slaMs = spec.slaMs ?? Number(at70.predicted.p99Ms.toPrecision(2));
    // the model's capacity (its point prediction of p99 meets the SLA) and the safe one the planner
    // plans with (the band's upper end meets it): the first is what the capacity error checks
    const predictedPerSec = predictedCapacityAtSla(service, unbatched, slaMs, spec.seed);
    const safePerSec = predictedCapacityAtSla(service, unbatched, slaMs, spec.seed, band);
    const measuredCap = measuredCapacityAtSla(capRows.map((r) => ({ ratePerSec: r.ratePerSec, p99Ms: r.measured.p99Ms })), slaMs);
    step++;

    const within = rows.filter((r) => r.predicted.utilization <= 0.8);
    const coverage = bandCoverage(rows.map((r) => ({ predictedMs: r.predicted.p99Ms, bandMs: r.predicted.p99BandMs, measuredMs: r.measured.p99Ms })));
    const subMs = median(rows.map((r) => r.measured.p99Ms)) < 1;
    const jitter = poolJitterFigures(allJitterRuns);
    const notes: string[] = [];
    const invalid = rows.filter((r) => !r.measured.valid).length;
    if (invalid) notes.push(`${invalid} of ${rows.length} levels had generator lag p99 above 1% of their p50 latency (busy machine or sub-millisecond latencies): measured tails there include the generator's own delay`);
    const verdict = jitterVerdict({ p50: median(rows.map((r) => r.measured.p50Ms)), p99: median(rows.map((r) => r.measured.p99Ms)) }, jitter);
    notes.push(verdict.text);
    const disagree = rows.filter((r) => r.reference && Math.abs(r.reference.loadVsReferencePct) > 25);
    if (disagree.length) {
      notes.push(`kneepoint load and the reference generator differ by more than 25% on p99 at ${disagree.map((r) => `${(r.loadFraction * 100).toFixed(0)}%`).join(', ')} ` +
        `(${disagree.map((r) => `${r.measured.p99Ms.toFixed(2)} vs ${r.reference!.p99Ms.toFixed(2)} ms`).join('; ')}): the ground truth itself is uncertain there on this machine`);
    }
    if (subMs) notes.push('sub-millisecond latencies: on this machine the tail is decided by the machine (scheduler, timers, stalls), not by the model; the band is wide on purpose');
    if (!spec.slaMs) notes.push(`SLA for the capacity comparison = the predicted unbatched p99 at ${(at70.loadFraction * 100).toFixed(0)}% load, rounded (${slaMs} ms); pass --sla to choose one`);
    const result: ValidationResult = {
      runId, model: model.id, sweepRunId: sweep.runId, threads: spec.threads, instances: k, overhead, jitter, rows,
      summary: {
        medianAbsP50ErrorPct: median(rows.map((r) => Math.abs(r.p50ErrorPct))),
        medianAbsP99ErrorPct: median(rows.map((r) => Math.abs(r.p99ErrorPct))),
        worstOptimisticP99ErrorPct: Math.min(0, ...rows.map((r) => r.p99ErrorPct)),
        p99Within15PctShare: within.length ? within.filter((r) => Math.abs(r.p99ErrorPct) <= 15).length / within.length : NaN,
        bandCoveragePct: coverage.coveragePct,
        medianBandWidthPct: coverage.medianWidthPct,
        levels: rows.length,
      },
      calibration,
      stallEvents,
      inputsFed: server.inputsFed,
      capacity: {
        config: 'unbatched', slaMs, percentile: 0.99, predictedPerSec, measuredPerSec: measuredCap.perSec, measuredNote: measuredCap.note,
        errorPct: measuredCap.perSec ? errPct(predictedPerSec, measuredCap.perSec) : null,
        safePerSec, safeErrorPct: measuredCap.perSec ? errPct(safePerSec, measuredCap.perSec) : null,
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
