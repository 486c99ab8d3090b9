// `kneepoint load` / api.startLoad: real open-loop load through the in-process inference server,
// repeated R times with independent seeds, stored as a run of kind 'load'.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LoadSpecResolved } from '../../common/schemas.ts';
import type { JobProgress } from '../../common/api.ts';
import type { LoadRepetition, LoadResult, MachineJitter, ServingOverhead } from '../../common/loadTypes.ts';
import type { ArrivalSpec, BatcherConfig } from '../../common/sim/types.ts';
import type { ModelInfo } from '../../common/types.ts';
import { generateArrivalsForDurationMs, parseArrival, parseTraceText, formatArrival } from '../../common/sim/arrivals.ts';
import { batcherFromFields } from '../../common/sim/batchPolicy.ts';
import { replicationSeed } from '../../common/sim/predict.ts';
import { tInterval95 } from '../../common/stats/tInterval.ts';
import { MIN_SAMPLES_P99 } from '../../common/stats/thresholds.ts';
import { invalidInput } from '../../common/errors.ts';
import type { EngineContext } from '../engineContext.ts';
import { mergePins } from '../measure/inputPins.ts';
import { toOrtSessionOptions } from '../measure/sessionOptions.ts';
import { InferenceServer, type ServedRun } from './server.ts';
import { loadWarmupRequests, meanOf, poolJitter, summarizeRepetition } from './summarizeLoad.ts';

export const LOAD_CI_METHOD = '95% Student-t interval of p99 over independent repetitions (different seeds); null with one repetition';

export interface LoadCallbacks {
  signal?: AbortSignal;
  onRunCreated?: (runId: string) => void;
  onProgress?: (p: Omit<JobProgress, 'jobId'>) => void;
}

/** `--arrival` text → ArrivalSpec; a trace file is read here (Node side). */
export function arrivalFromText(text: string, ratePerSec: number | undefined): ArrivalSpec {
  if (text.trim().toLowerCase().startsWith('trace:')) {
    const file = text.trim().slice('trace:'.length);
    let body: string;
    try {
      body = readFileSync(resolve(file), 'utf8');
    } catch (e) {
      throw invalidInput(`--arrival trace:${file}: cannot read the trace file: ${(e as Error).message}`);
    }
    return parseArrival(text, ratePerSec, parseTraceText(body));
  }
  return parseArrival(text, ratePerSec);
}


/** Resolves the model file to serve (a precision variant when asked) and checks the provider. */
export async function servedModelPath(ctx: EngineContext, model: ModelInfo, spec: Pick<LoadSpecResolved, 'precision' | 'provider'>): Promise<string> {
  const avail = await ctx.providerAvailability(spec.provider);
  if (!avail.available) throw invalidInput(`provider ${spec.provider} is unavailable here: ${avail.reason ?? 'not supported'}; use --provider cpu`);
  return spec.precision === 'fp32' ? model.path : (await ctx.variant(model, spec.precision)).path;
}

/** Probe sizes that keep the overhead probe under about a second even for slow models. */
export function probeRequestsFor(batch1Ms: number): number {
  return Math.max(20, Math.min(150, Math.round(300 / Math.max(0.01, batch1Ms))));
}

/** Starts a server for a spec (sessions pinned to spec.threads intra-op threads). */
export async function startServer(ctx: EngineContext, model: ModelInfo, spec: LoadSpecResolved): Promise<InferenceServer> {
  const path = await servedModelPath(ctx, model, spec);
  return InferenceServer.start({
    modelPath: path, instances: spec.instances, maxBatch: spec.maxBatch, seed: spec.seed,
    sessionOptions: toOrtSessionOptions({ threads: spec.threads, provider: spec.provider }) as Record<string, unknown>,
    pins: mergePins(model.defaultPins, spec.inputs), batchDims: model.batchDims,
  });
}

export async function measureOverhead(server: InferenceServer): Promise<ServingOverhead> {
  const b1 = server.warmMsByBatch[1] ?? 1;
  const p = await server.probeOverhead(1, probeRequestsFor(b1));
  return { overheadMs: p.overheadMs, servedMsPerRequest: p.servedMsPerRequest, bareMsPerRequest: p.bareMsPerRequest, runMsInServer: p.runMsInServer };
}

/** Serves R repetitions of the schedule on a running server; returns per-repetition figures and pooled jitter. */
export async function serveRepetitions(server: InferenceServer, arrival: ArrivalSpec, batcher: BatcherConfig, o: {
  seconds: number; repeat: number; seed: number; signal?: AbortSignal; onRepetition?: (i: number, rep: LoadRepetition) => void;
}): Promise<{ repetitions: LoadRepetition[]; jitter: MachineJitter; cancelled: boolean }> {
  const reps: LoadRepetition[] = [];
  const served: ServedRun[] = [];
  let cancelled = false;
  for (let i = 0; i < o.repeat; i++) {
    if (o.signal?.aborted) { cancelled = true; break; }
    const seed = replicationSeed(o.seed, i);
    const schedule = generateArrivalsForDurationMs(arrival, o.seconds * 1000, seed);
    if (schedule.length < 2) throw invalidInput(`the schedule holds ${schedule.length} request(s) in ${o.seconds} s at this rate: raise --rate or --seconds`);
    const run = await server.runSchedule(schedule, { batcher, drainLimitMs: Math.max(2000, o.seconds * 500), signal: o.signal });
    if (run.raw.cancelled) { cancelled = true; break; }
    served.push(run);
    const rep = summarizeRepetition(schedule, run, loadWarmupRequests(schedule.length), batcher.instances, seed);
    reps.push(rep);
    o.onRepetition?.(i, rep);
  }
  return { repetitions: reps, jitter: poolJitter(served), cancelled };
}

/** Combines repetitions into one result (means; p99 CI from the repetitions; counts summed). */
export function combineRepetitions(reps: LoadRepetition[], o: { slaMs?: number }): Pick<LoadResult,
  'latencyMs' | 'p99CiMs' | 'ciMethod' | 'samplesPerSec' | 'requestsPerSec' | 'meanBatchSize' | 'batchSizes' | 'queueWaitMs' | 'latencySplitMs' |
  'generatorLagMs' | 'utilization' | 'rejected' | 'timedOut' | 'unfinished' | 'valid' | 'invalidReason'> {
  const m = (f: (r: LoadRepetition) => number) => meanOf(reps.map(f));
  const batchSizes: Record<number, number> = {};
  for (const r of reps) for (const [s, c] of Object.entries(r.batchSizes)) batchSizes[Number(s)] = (batchSizes[Number(s)] ?? 0) + c;
  const p999s = reps.map((r) => r.latencyMs.p999);
  const latencyMs = {
    p50: m((r) => r.latencyMs.p50), p90: m((r) => r.latencyMs.p90), p99: m((r) => r.latencyMs.p99),
    p999: p999s.length && p999s.every((v) => v !== null) ? meanOf(p999s as number[]) : null,
    mean: m((r) => r.latencyMs.mean),
  };
  const lagP99 = Math.max(...reps.map((r) => r.generatorLagMs.p99).filter(Number.isFinite), 0);
  const limitMs = (o.slaMs ?? latencyMs.p50) * 0.01;
  const valid = lagP99 <= limitMs;
  const compute = m((r) => r.busyMsPerBatch);
  return {
    latencyMs,
    p99CiMs: reps.length >= 2 ? clampCi(tInterval95(reps.map((r) => r.latencyMs.p99))) : null,
    ciMethod: LOAD_CI_METHOD,
    samplesPerSec: m((r) => r.samplesPerSec),
    requestsPerSec: m((r) => r.requestsPerSec),
    meanBatchSize: m((r) => r.meanBatchSize),
    batchSizes,
    queueWaitMs: { p50: m((r) => r.queueWaitMs.p50), p99: m((r) => r.queueWaitMs.p99) },
    latencySplitMs: { queueWait: m((r) => r.queueWaitMs.mean), compute },
    generatorLagMs: { p50: m((r) => r.generatorLagMs.p50), p99: lagP99, max: Math.max(...reps.map((r) => r.generatorLagMs.max).filter(Number.isFinite), 0) },
    utilization: m((r) => r.utilization),
    rejected: reps.reduce((s, r) => s + r.rejected, 0),
    timedOut: reps.reduce((s, r) => s + r.timedOut, 0),
    unfinished: reps.reduce((s, r) => s + r.unfinished, 0),
    valid,
    ...(valid ? {} : {
      invalidReason: `generator lag p99 ${lagP99.toFixed(3)} ms exceeds 1% of ${o.slaMs !== undefined ? `the ${o.slaMs} ms SLA` : `the p50 latency (${latencyMs.p50.toFixed(3)} ms; no --sla given)`} ` +
        `= ${limitMs.toFixed(3)} ms: requests left the generator late (busy or noisy machine), so the latencies are not trustworthy at this resolution`,
    }),
  };
}

function clampCi(ci: [number, number]): [number, number] {
  return [Math.max(0, ci[0]), ci[1]];
}

/** Does the machine's jitter dominate the tail? Compared with the tail spread p99 − p50. */
export function jitterVerdict(latency: { p50: number; p99: number }, jitter: MachineJitter): { dominates: boolean; text: string } {
  const spread = latency.p99 - latency.p50;
  const machine = (Number.isFinite(jitter.timerOversleepMs.p99) ? jitter.timerOversleepMs.p99 : 0) + jitter.gcPauses.maxMs;
  const steal = jitter.cpuStealPct !== null ? `, CPU steal ${jitter.cpuStealPct.toFixed(1)}%` : '';
  const busy = jitter.cpuBusyPct !== null ? `, all CPUs ${jitter.cpuBusyPct.toFixed(0)}% busy` : '';
  const what = `timer wake-up oversleep p99 ${jitter.timerOversleepMs.p99.toFixed(2)} ms, GC pause max ${jitter.gcPauses.maxMs.toFixed(2)} ms${steal}${busy}`;
  if (!(spread > 0)) return { dominates: false, text: `machine jitter: ${what}` };
  const share = machine / spread;
  const stallMs = Number.isFinite(jitter.timerOversleepMs.max) ? jitter.timerOversleepMs.max : 0;
  // a stall holds back every request that arrives during it: the queue it leaves behind shows up in the tail
  const stall = stallMs >= 0.5 * spread;
  const dominates = share >= 0.5 || stall;
  return {
    dominates,
    text: dominates
      ? `THE MACHINE DOMINATES THE TAIL: its jitter (${what}; longest stall ${stallMs.toFixed(1)} ms) is ${(Math.max(share, stallMs / spread) * 100).toFixed(0)}% of the p99 − p50 spread (${spread.toFixed(2)} ms); the tail here says more about this machine than about the model`
      : `machine jitter (${what}; longest stall ${stallMs.toFixed(1)} ms) is ${(share * 100).toFixed(0)}% of the p99 − p50 spread (${spread.toFixed(2)} ms): the tail comes mostly from queueing and service time`,
  };
}

export async function runLoad(ctx: EngineContext, spec: LoadSpecResolved, cb: LoadCallbacks = {}): Promise<LoadResult> {
  const model = await ctx.resolveModel(spec.model);
  const arrival = arrivalFromText(spec.arrival, spec.rate);
  const batcher = batcherFromFields(spec);
  const runId = ctx.store.createRun({
    kind: 'load', name: spec.name, model: { id: model.id, name: model.name, path: model.path, sha256: model.sha256 },
    hardware: ctx.hardware, versions: ctx.versions,
    spec: { ...spec, schedule: { arrival: formatArrival(arrival), ratePerSec: spec.rate, seed: spec.seed, seeds: Array.from({ length: spec.repeat }, (_, i) => replicationSeed(spec.seed, i)) } },
  });
  cb.onRunCreated?.(runId);
  const t0 = Date.now();
  const total = spec.repeat * spec.seconds;
  const progress = (done: number, phase: string) => cb.onProgress?.({
    runId, done, total, phase, elapsedMs: Date.now() - t0, remainingMs: Math.max(0, (total - done) * 1000),
  });
  let server: InferenceServer | null = null;
  try {
    progress(0, `starting ${spec.instances} instance(s)`);
    server = await startServer(ctx, model, spec);
    progress(0, 'measuring the serving overhead');
    const overhead = await measureOverhead(server);
    const { repetitions, jitter, cancelled } = await serveRepetitions(server, arrival, batcher, {
      seconds: spec.seconds, repeat: spec.repeat, seed: spec.seed, signal: cb.signal,
      onRepetition: (i) => progress((i + 1) * spec.seconds, `repetition ${i + 1}/${spec.repeat} done`),
    });
    if (cancelled || repetitions.length === 0) {
      ctx.store.finishRun(runId, 'cancelled');
      throw Object.assign(new Error('load run cancelled'), { kind: 'cancelled' });
    }
    const combined = combineRepetitions(repetitions, { slaMs: spec.slaMs });
    overhead.underLoadMs = meanOf(repetitions.map((r) => r.busyMsPerBatch - r.computeMsPerBatch));
    const verdict = jitterVerdict(combined.latencyMs, jitter);
    const notes: string[] = [];
    if (combined.unfinished > 0) notes.push(`${combined.unfinished} request(s) were still queued when the drain limit passed: the offered rate exceeds what this configuration serves`);
    const counted = repetitions.reduce((s, r) => s + r.completed, 0) / repetitions.length;
    if (counted < MIN_SAMPLES_P99) notes.push(`p99 from ${Math.round(counted)} requests per repetition (< ${MIN_SAMPLES_P99}, the MLPerf minimum): raise --seconds or --rate`);
    if (repetitions.length < 2) notes.push('one repetition: no confidence interval (use --repeat 3 or more)');
    const result: LoadResult = {
      runId, model: model.id, arrival: spec.arrival, ratePerSec: spec.rate, seconds: spec.seconds, batcher, threads: spec.threads, seed: spec.seed,
      ...combined, slaMs: spec.slaMs, overheadMs: overhead.overheadMs, overhead, jitter,
      jitterVerdict: verdict.text, jitterDominatesTail: verdict.dominates, repetitions, notes, inputsFed: server.inputsFed,
    };
    ctx.store.finishRun(runId, 'completed', { result });
    progress(total, 'completed');
    return result;
  } catch (e) {
    if ((e as { kind?: string }).kind !== 'cancelled') ctx.store.finishRun(runId, 'failed', { error: (e as Error).message });
    throw e;
  } finally {
    await server?.close();
  }
}
