// `kneepoint capacity`: the highest open-loop arrival rate whose measured SLA percentile meets the
// target, found on real load. Starts from the predictor's capacity at the SLA, brackets it (a rate
// that meets and one that misses), then bisects; each level is served `repeat` times with
// independent seeds and judged on the upper end of the repetitions' 95 % t-interval (the point
// estimate with one repetition). Stops when the bracket is within `tolerancePct` of its low end.
// Stored as a run of kind 'capacity'.
import { z } from 'zod';
import type { EngineContext } from '../engineContext.ts';
import type { JobProgress } from '../../common/api.ts';
import type { SweepRunResult } from '../../common/types.ts';
import type { BatcherConfig } from '../../common/sim/types.ts';
import type { CapacityLevel, CapacityResult } from '../../common/capacityTypes.ts';
export type { CapacityLevel, CapacityResult };
import { stabilityBoundPerSec } from '../../common/sim/queueing.ts';
import { invalidInput } from '../../common/errors.ts';
import { tInterval95 } from '../../common/stats/tInterval.ts';
import { inputPinSchema, precisionSchema, providerSchema, sweepSpecSchema } from '../../common/schemas.ts';
import { parseArgs } from '../argParse.ts';
import { runSweep } from '../measure/sweep.ts';
import { combineRepetitions, serveRepetitions, startServer } from '../load/runLoad.ts';
import { batcherFromFields } from '../../common/sim/batchPolicy.ts';
import { predictedCapacityAtSla } from '../load/validate.ts';
import { latestCalibration, serviceModelFromRun } from '../load/serviceCurves.ts';
import type { InferenceServer } from '../load/server.ts';

export const capacitySpecSchema = z.object({
  model: z.string().min(1),
  /** the SLA: this percentile of latency (completion − scheduled arrival) within slaMs */
  percentile: z.enum(['p50', 'p90', 'p99']).default('p99'),
  slaMs: z.number().positive(),
  instances: z.number().int().min(1).max(64).default(1),
  threads: z.number().int().min(1).max(256).default(1),
  maxBatch: z.number().int().min(1).max(4096).default(1),
  maxDelayMs: z.number().min(0).default(0),
  precision: precisionSchema.default('fp32'),
  provider: providerSchema.default('cpu'),
  arrival: z.enum(['poisson', 'constant']).default('poisson'),
  /** seconds of load per repetition at each level (longer at low rates, for enough requests) */
  seconds: z.number().positive().max(600).default(2),
  /** repetitions per level (independent seeds) for the interval */
  repeat: z.number().int().min(1).max(20).default(3),
  /** stop when (high − low) / low of the bracket is within this, percent */
  tolerancePct: z.number().positive().max(100).default(5),
  /** most load levels to try */
  maxLevels: z.number().int().min(2).max(40).default(12),
  /** a sweep run whose curves give the predicted start (default: the latest matching sweep, or a quick one now) */
  runId: z.string().min(1).optional(),
  seed: z.number().int().default(1),
  inputs: z.array(inputPinSchema).default([]),
  name: z.string().optional(),
}).strict();
export type CapacitySpec = z.input<typeof capacitySpecSchema>;
export type CapacitySpecResolved = z.output<typeof capacitySpecSchema>;

export interface CapacityCallbacks {
  signal?: AbortSignal;
  onRunCreated?: (runId: string) => void;
  onProgress?: (p: Omit<JobProgress, 'jobId'>) => void;
  /** the up-front time estimate, once the start rate is known */
  onEstimate?: (estimatedMs: number, levels: number) => void;
}

const MIN_REQUESTS_PER_REP = 400;

/** Seconds of load per repetition at a rate: enough requests for a p99, never less than asked. */
export function secondsAt(ratePerSec: number, seconds: number): number {
  return Math.max(seconds, MIN_REQUESTS_PER_REP / Math.max(ratePerSec, 1e-9));
}

/** Levels a search is expected to take: a couple to bracket, then log2(start width / tolerance) bisections. */
export function expectedLevels(tolerancePct: number, maxLevels: number): number {
  const bracketLevels = 3;
  const bisections = Math.ceil(Math.log2(25 / tolerancePct)) + 1;
  return Math.min(maxLevels, bracketLevels + Math.max(1, bisections));
}

function findSweep(ctx: EngineContext, s: CapacitySpecResolved, modelId: string): SweepRunResult | null {
  if (s.runId) return ctx.store.getRunResult(s.runId);
  for (const r of ctx.store.listRuns({ model: modelId, kind: 'sweep' })) {
    if (r.status !== 'completed' || (r.hardwareFingerprint && ctx.hardware.fingerprint && r.hardwareFingerprint !== ctx.hardware.fingerprint)) continue;
    const run = ctx.store.getRunResult(r.id);
    const pts = run.points.filter((p) => p.status !== 'failed' && p.config.instances === s.instances && p.config.threadsPerInstance === s.threads && p.config.precision === s.precision && p.config.provider === s.provider);
    const batches = new Set(pts.map((p) => p.config.batch));
    if (batches.has(1) && batches.has(s.maxBatch)) return run;
  }
  return null;
}

export async function runCapacity(ctx: EngineContext, specIn: unknown, cb: CapacityCallbacks = {}): Promise<CapacityResult> {
  const s = parseArgs(capacitySpecSchema, specIn, 'capacity');
  const t0 = Date.now();
  const model = await ctx.resolveModel(s.model);
  const notes: string[] = [];
  const batcher = batcherFromFields({ maxBatch: s.maxBatch, maxDelayMs: s.maxDelayMs, instances: s.instances });
  const runId = ctx.store.createRun({
    kind: 'capacity', name: s.name, model: { id: model.id, name: model.name, path: model.path, sha256: model.sha256 },
    hardware: ctx.hardware, versions: ctx.versions, spec: s,
  });
  cb.onRunCreated?.(runId);
  let total = expectedLevels(s.tolerancePct, s.maxLevels);
  const progress = (done: number, phase: string, remainingMs: number | null) => cb.onProgress?.({ runId, done, total, phase, elapsedMs: Date.now() - t0, remainingMs });
  let server: InferenceServer | null = null;
  const levels: CapacityLevel[] = [];
  const cancelled = () => Object.assign(new Error('capacity search cancelled'), { kind: 'cancelled' });
  try {
    // 1. the predicted capacity: the service curves of a closed-loop sweep of this configuration
    let sweep = findSweep(ctx, s, model.id);
    if (!sweep) {
      progress(0, 'no matching sweep here: measuring service curves (quick closed-loop sweep)', null);
      const batches = [...new Set([1, 2, 4, 8, 16, 32, 64].filter((b) => b < s.maxBatch).concat([s.maxBatch]))];
      const spec = sweepSpecSchema.parse({
        model: s.model, batch: batches, instances: [s.instances], threads: [s.threads], precision: [s.precision], provider: [s.provider], inputs: s.inputs,
        name: `capacity ${runId} service curves`,
        method: { windowMinMs: 250, maxWindows: 4, windowMinRequests: 20, minSamplesForP99: 100, anchor: false, plateauSteps: 99, seed: s.seed },
      });
      sweep = await runSweep(ctx, spec, { signal: cb.signal });
      if (cb.signal?.aborted) throw cancelled();
      if (sweep.status !== 'completed') throw new Error(`the service-curve sweep ${sweep.runId} ${sweep.status}`);
      notes.push(`predicted from a quick sweep measured for this search (${sweep.runId})`);
    } else {
      notes.push(`predicted from sweep ${sweep.runId}`);
    }
    const calibration = latestCalibration(ctx.store, { modelId: model.id, hardwareFingerprint: ctx.hardware.fingerprint, threads: s.threads });
    if (!calibration) notes.push('no load/validate run here: the prediction assumes no serving overhead (run `kneepoint validate --quick` once for a calibrated one)');
    const service = serviceModelFromRun(sweep, { instances: s.instances, threads: s.threads, precision: s.precision, provider: s.provider }, calibration).model;
    const bound = stabilityBoundPerSec(service, batcher);
    const predicted = s.percentile === 'p99' ? predictedCapacityAtSla(service, batcher, s.slaMs, s.seed) : null;
    // the safe capacity plans use: the upper end of the band for a future measurement meets the SLA
    const predictedSafe = predicted !== null && calibration?.band ? predictedCapacityAtSla(service, batcher, s.slaMs, s.seed, calibration.band) : null;
    if (predicted === null) notes.push(`the predictor gives capacity at p99; for ${s.percentile} the search starts at half the stability bound`);
    let start = predicted && predicted > 0 ? predicted : bound * 0.5;

    // 2. the up-front estimate
    const levelMs = (rate: number) => s.repeat * (secondsAt(rate, s.seconds) * 1000 + 400);
    const estimatedMs = Math.round(total * levelMs(start) + 1500);
    cb.onEstimate?.(estimatedMs, total);

    progress(0, `starting ${s.instances} instance(s)`, estimatedMs);
    server = await startServer(ctx, model, {
      model: s.model, rate: start, arrival: s.arrival, seconds: s.seconds, maxBatch: s.maxBatch, maxDelayMs: s.maxDelayMs, instances: s.instances,
      threads: s.threads, precision: s.precision, provider: s.provider, repeat: s.repeat, seed: s.seed, inputs: s.inputs,
    });

    const measure = async (rate: number, phase: CapacityLevel['phase']): Promise<CapacityLevel> => {
      if (cb.signal?.aborted) throw cancelled();
      progress(levels.length, `level ${levels.length + 1}: ${rate.toFixed(1)} requests/s (${phase})`, Math.max(0, estimatedMs - (Date.now() - t0)));
      const r = await serveRepetitions(server!, { kind: s.arrival, ratePerSec: rate }, batcher, {
        seconds: secondsAt(rate, s.seconds), repeat: s.repeat, seed: s.seed + levels.length * 101, signal: cb.signal,
      });
      if (r.cancelled || !r.repetitions.length) throw cancelled();
      const c = combineRepetitions(r.repetitions, { slaMs: s.slaMs });
      const per = r.repetitions.map((x) => x.latencyMs[s.percentile]);
      const mean = per.reduce((a, b) => a + b, 0) / per.length;
      const ci = per.length >= 2 ? tInterval95(per) : null;
      const judged = ci ? ci[1] : mean;
      // a level that leaves requests queued past the drain limit is overloaded whatever its percentile says
      const meets = judged <= s.slaMs && c.unfinished === 0;
      const level: CapacityLevel = {
        ratePerSec: rate, percentileMs: mean, percentileCiMs: ci ? [Math.max(0, ci[0]), ci[1]] : null, p99Ms: c.latencyMs.p99,
        meets, achievedRequestsPerSec: c.requestsPerSec, unfinished: c.unfinished, phase,
      };
      levels.push(level);
      return level;
    };

    // 3. bracket around the start, then bisect
    let lo: number | null = null;
    let hi: number | null = null;
    const first = await measure(start, 'start');
    if (first.meets) lo = start; else hi = start;
    const MIN_RATE = Math.max(0.5, bound * 0.002);
    while ((lo === null || hi === null) && levels.length < s.maxLevels) {
      if (lo === null) {
        const next = hi! * 0.6;
        if (next < MIN_RATE) break;
        const l = await measure(next, 'bracket');
        if (l.meets) lo = next; else hi = next;
      } else {
        const next = Math.min(lo * 1.3, Math.max(lo * 1.05, bound * 1.2));
        const l = await measure(next, 'bracket');
        if (l.meets) lo = next; else hi = next;
        if (lo !== null && lo >= bound * 1.2) break;
      }
    }
    total = Math.max(total, levels.length + 1);
    while (lo !== null && hi !== null && (hi - lo) / lo * 100 > s.tolerancePct && levels.length < s.maxLevels) {
      const mid = Math.sqrt(lo * hi);
      const l = await measure(mid, 'bisect');
      if (l.meets) lo = mid; else hi = mid;
      total = Math.max(total, levels.length + 1);
    }
    const bracketed = lo !== null && hi !== null;
    if (lo === null) notes.push(`even ${levels[levels.length - 1].ratePerSec.toFixed(2)} requests/s misses ${s.percentile} ≤ ${s.slaMs} ms: the configuration cannot meet this SLA at any useful rate`);
    if (hi === null) notes.push(`every level met the SLA up to ${lo!.toFixed(1)} requests/s (past the stability bound): not bracketed`);
    if (bracketed && (hi! - lo!) / lo! * 100 > s.tolerancePct) notes.push(`stopped after ${levels.length} levels with the bracket at ${((hi! - lo!) / lo! * 100).toFixed(1)} % (--max-levels)`);
    if (levels.some((l, i) => levels.some((m, j) => j !== i && m.ratePerSec < l.ratePerSec && !m.meets && l.meets))) {
      notes.push('a faster level met the SLA where a slower one missed: the machine was noisy during the search; the bracket is the last consistent pair');
    }
    const measured = lo;
    const result: CapacityResult = {
      runId, model: model.id, sla: { percentile: s.percentile, ms: s.slaMs }, batcher, threads: s.threads, arrival: s.arrival,
      measuredRatePerSec: measured, measuredIntervalPerSec: bracketed ? [lo!, hi!] : null, bracketed,
      predictedRatePerSec: predicted, predictedSafeRatePerSec: predictedSafe, errorPct: predicted !== null && measured ? ((predicted - measured) / measured) * 100 : null,
      stabilityBoundPerSec: bound, fromSweepRunId: sweep.runId, levels, estimatedMs, elapsedMs: Date.now() - t0, notes,
    };
    ctx.store.finishRun(runId, 'completed', { result });
    progress(levels.length, 'completed', 0);
    return result;
  } catch (e) {
    if ((e as { kind?: string }).kind === 'cancelled') ctx.store.finishRun(runId, 'cancelled', { result: { levels, notes: [...notes, 'cancelled'] } });
    else ctx.store.finishRun(runId, 'failed', { error: (e as Error).message });
    throw e;
  } finally {
    await server?.close();
  }
}

/** Bad combinations the schema cannot see, with what to do. */
export function checkCapacitySpec(s: CapacitySpec): void {
  if (s.maxDelayMs && (s.maxBatch ?? 1) === 1) throw invalidInput('--max-delay-ms only matters with --max-batch above 1');
}
