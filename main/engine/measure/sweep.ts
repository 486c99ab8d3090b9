// A sweep: the grid provider × precision × session options × threads × instances × batch, measured
// closed-loop point by point. Each finished point is committed to the store before the next starts.
import { freemem } from 'node:os';
import type { SweepSpecResolved } from '../../common/schemas.ts';
import type {
  AccuracyResult, InputPin, ModelInfo, PointConfig, PointResult, ProviderName, Precision, SessionOptionsSpec, SweepRunResult,
} from '../../common/types.ts';
import { invalidInput } from '../../common/errors.ts';
import type { JobProgress } from '../../common/api.ts';
import { configKey, type Store } from '../store/store.ts';
import { InstancePool } from './instancePool.ts';
import { measureClosedLoop, CancelledError } from './closedLoop.ts';
import { toOrtSessionOptions, defaultProfilePrefix } from './sessionOptions.ts';
import { readOpProfile } from './profile.ts';
import type { EngineContext } from '../context.ts';

export interface SweepCallbacks {
  signal?: AbortSignal;
  onPoint?: (p: PointResult) => void;
  onProgress?: (p: Omit<JobProgress, 'jobId'>) => void;
  /** called once the run row exists (before any point is measured) */
  onRunCreated?: (runId: string) => void;
}

interface Group {
  provider: ProviderName;
  precision: Precision;
  sessionOptions: SessionOptionsSpec;
  threads: number;
  instances: number;
  batches: number[];
}

/** Session options as plain JSON (they are posted to the workers). */
const ortOptions = (a: Parameters<typeof toOrtSessionOptions>[0]) => toOrtSessionOptions(a) as Record<string, unknown>;

/** User pins override the catalog's default pins input by input. */
export function mergePins(defaults: InputPin[] | undefined, user: InputPin[]): InputPin[] {
  const out = new Map<string, InputPin>();
  for (const p of defaults ?? []) out.set(p.name, p);
  for (const p of user) out.set(p.name, { ...(out.get(p.name) ?? {}), ...p });
  return [...out.values()];
}

export function expandGrid(spec: SweepSpecResolved): Group[] {
  const variants = spec.sessionOptionVariants?.length
    ? spec.sessionOptionVariants.map((v) => ({ ...spec.sessionOptions, ...v }))
    : [spec.sessionOptions];
  const batches = [...new Set(spec.batch)].sort((a, b) => a - b);
  const groups: Group[] = [];
  for (const provider of spec.provider) for (const precision of spec.precision) for (const sessionOptions of variants)
    for (const threads of spec.threads) for (const instances of spec.instances) {
      groups.push({ provider, precision, sessionOptions, threads, instances, batches });
    }
  return groups;
}

/** Rough duration of a sweep before it starts, in ms: per point warm-up + the minimum stable windows + session start. */
export function estimateSweepMs(spec: SweepSpecResolved): { points: number; lowMs: number; highMs: number } {
  const groups = expandGrid(spec);
  const points = groups.reduce((s, g) => s + g.batches.length, 0) + (spec.method.anchor ? 1 : 0);
  const m = spec.method;
  const perPointLow = (m.stableWindows + 0.5) * m.windowMinMs + 300;
  const perPointHigh = (m.maxWindows + 1) * m.windowMinMs + 1500;
  return { points, lowMs: points * perPointLow, highMs: points * perPointHigh };
}

function pointConfig(g: Group, batch: number): PointConfig {
  const c: PointConfig = { batch, instances: g.instances, threadsPerInstance: g.threads, precision: g.precision, provider: g.provider };
  if (Object.keys(g.sessionOptions).length) c.sessionOptions = g.sessionOptions;
  return c;
}

function failedPoint(config: PointConfig, error: string, extra?: Partial<PointResult>): PointResult {
  const nan = Number.NaN;
  return {
    config, status: 'failed', error, requests: 0, samples: 0, samplesPerSec: 0, requestsPerSec: 0,
    latencyMs: { p50: nan, p90: nan, p95: nan, p99: nan, p999: null, mean: nan, min: nan, max: nan },
    p99CiMs: null, sessionCreateMs: nan, firstInferenceMs: nan, warmupRuns: 0, windows: 0, peakRssBytes: 0, ...extra,
  };
}

/** Run one instance of the model once on batch `batch` to turn bad files / invalid inputs into a clear error up front. */
export async function preflight(model: ModelInfo, pins: InputPin[], batch: number): Promise<void> {
  const pool = new InstancePool({ modelPath: model.path, instances: 1, sessionOptions: ortOptions({ threads: 1, provider: 'cpu' }), seed: 1 });
  try {
    try {
      await pool.init();
    } catch (e) {
      throw invalidInput(`${model.path}: onnxruntime cannot load this model: ${(e as Error).message.trim()}. ` +
        'Check that it is a complete ONNX file whose operators your onnxruntime version supports (re-export with a lower opset if needed).');
    }
    try {
      await pool.prepare(batch, pins, 1, model.batchDims);
    } catch (e) {
      throw invalidInput(`${model.id}: the model rejected its inputs at batch ${batch}: ${(e as Error).message.trim()}`);
    }
  } finally {
    await pool.close();
  }
}

/**
 * Per-operator profile of one point: a separate single-instance session with ORT profiling on, run
 * `runs` times, so the profiler's overhead never touches the measured figures.
 */
export async function profilePoint(modelPath: string, g: Group, batch: number, pins: InputPin[], batchDims?: Record<string, number | null>, runs = 20) {
  const prefix = defaultProfilePrefix(`b${batch}`);
  const pool = new InstancePool({
    modelPath, instances: 1, seed: 1,
    sessionOptions: ortOptions({ threads: g.threads, provider: g.provider, spec: { ...g.sessionOptions, profile: true }, profileFilePrefix: prefix }),
  });
  try {
    await pool.init();
    await pool.prepare(batch, pins, 1, batchDims);
    for (let i = 0; i < runs; i++) await pool.runOnce(0, 0);
    await pool.endProfiling();
  } finally {
    await pool.close();
  }
  return readOpProfile(prefix);
}

export async function runSweep(ctx: EngineContext, spec: SweepSpecResolved, cb: SweepCallbacks = {}): Promise<SweepRunResult> {
  const store: Store = ctx.store;
  let runId: string;
  let model: ModelInfo;
  let skip = new Set<string>();
  if (spec.resumeRunId) {
    const row = store.getRunRow(spec.resumeRunId);
    if (row.status === 'running') throw invalidInput(`run ${row.id} is still running in another process: wait for it, or cancel it there first`);
    if (row.status === 'completed') throw invalidInput(`run ${row.id} is already completed: nothing to resume`);
    spec = row.spec as SweepSpecResolved;
    model = await ctx.resolveModel(row.model.path);
    model = { ...model, id: row.model.id, name: row.model.name };
    runId = row.id;
    skip = store.finishedConfigKeys(runId);
    store.reopenRun(runId);
  } else {
    model = await ctx.resolveModel(spec.model);
    const pins = mergePins(model.defaultPins, spec.inputs);
    await preflight(model, pins, Math.min(...spec.batch));
    runId = store.createRun({
      kind: 'sweep', name: spec.name, model: { id: model.id, name: model.name, path: model.path, sha256: model.sha256 },
      hardware: ctx.hardware, spec, versions: ctx.versions,
    });
  }
  cb.onRunCreated?.(runId);
  const pins = mergePins(model.defaultPins, spec.inputs);
  const groups = expandGrid(spec);
  const estimate = estimateSweepMs(spec);
  const total = estimate.points;
  let done = skip.size;
  const t0 = Date.now();
  const perPointMs: number[] = [];
  const progress = (phase: string) => {
    const avg = perPointMs.length ? perPointMs.reduce((a, b) => a + b, 0) / perPointMs.length : estimate.lowMs / Math.max(1, total);
    cb.onProgress?.({ runId, done, total, phase, elapsedMs: Date.now() - t0, remainingMs: Math.max(0, (total - done) * avg) });
  };
  const commit = (p: PointResult) => {
    p.id = store.addPoint(runId, p);
    cb.onPoint?.(p);
    done++;
  };

  const accuracyCache = new Map<Precision, AccuracyResult | undefined>();
  let firstOk: { group: Group; batch: number; samplesPerSec: number } | null = null;
  let status: 'completed' | 'cancelled' | 'failed' = 'completed';
  let runError: string | undefined;

  try {
    for (const g of groups) {
      if (cb.signal?.aborted) throw new CancelledError();
      const todo = g.batches.filter((b) => !skip.has(configKey(pointConfig(g, b))));
      if (todo.length === 0) continue;
      const label = `${g.precision}/${g.provider}, ${g.instances} instance(s) × ${g.threads} thread(s)`;
      // Provider and precision resolve before any session is created: a missing one fails its points with the reason.
      const avail = await ctx.providerAvailability(g.provider);
      if (!avail.available) {
        for (const b of todo) commit(failedPoint(pointConfig(g, b), `provider ${g.provider} is unavailable: ${avail.reason ?? 'not supported here'}`));
        continue;
      }
      let modelPath = model.path;
      let accuracy: AccuracyResult | undefined;
      if (g.precision !== 'fp32') {
        try {
          progress(`${label}: preparing ${g.precision} variant`);
          const v = await ctx.variant(model, g.precision);
          modelPath = v.path;
          if (!accuracyCache.has(g.precision)) accuracyCache.set(g.precision, await ctx.accuracy(model, v.path, pins, spec));
          accuracy = accuracyCache.get(g.precision);
        } catch (e) {
          for (const b of todo) commit(failedPoint(pointConfig(g, b), `${g.precision} variant failed: ${(e as Error).message}`));
          continue;
        }
      }
      progress(`${label}: creating ${g.instances} session(s)`);
      const measuredOptions = { ...g.sessionOptions, profile: false };
      const newPool = () => new InstancePool({
        modelPath, instances: g.instances, seed: spec.method.seed,
        sessionOptions: ortOptions({ threads: g.threads, provider: g.provider, spec: measuredOptions }),
      });
      let pool = newPool();
      try {
        try {
          await pool.init();
        } catch (e) {
          for (const b of todo) commit(failedPoint(pointConfig(g, b), `session creation failed: ${(e as Error).message.trim()}`, accuracy ? { accuracy } : {}));
          continue;
        }
        let plateauSteps = 0;
        let bestSamplesPerSec = 0;
        for (const batch of todo) {
          if (cb.signal?.aborted) throw new CancelledError();
          const config = pointConfig(g, batch);
          const pointStart = Date.now();
          if (!pool.alive) {
            // A worker died (native crash, out of memory): the failed point is stored; start fresh instances.
            await pool.close();
            pool = newPool();
            await pool.init();
          }
          progress(`batch ${batch}, ${label}: first inference`);
          let point: PointResult;
          try {
            const plan = await pool.prepare(batch, pins, spec.method.inputRotation, model.batchDims, true);
            const needBytes = plan.inputBytes * spec.method.inputRotation * g.instances;
            if (needBytes > freemem() * 0.5) {
              throw invalidInput(`batch ${batch} needs ${(needBytes / 2 ** 30).toFixed(2)} GiB of input tensors (${spec.method.inputRotation} rotations × ${g.instances} instances) ` +
                `but only ${(freemem() / 2 ** 30).toFixed(1)} GiB is free: use a smaller batch or fewer instances`);
            }
            const prep = await pool.prepare(batch, pins, spec.method.inputRotation, model.batchDims);
            const r = await measureClosedLoop(pool, {
              batch, method: spec.method, signal: cb.signal,
              onPhase: (ph) => progress(`batch ${batch}, ${label}: ${ph}`),
            });
            point = {
              config, status: r.stable ? 'ok' : 'unstable', requests: r.requests, samples: r.samples,
              samplesPerSec: r.samplesPerSec, requestsPerSec: r.requestsPerSec, latencyMs: r.latencyMs, p99CiMs: r.p99CiMs,
              sessionCreateMs: pool.sessionCreateMs, firstInferenceMs: prep.firstInferenceMs ?? Number.NaN,
              warmupRuns: r.warmupRuns, windows: r.windows, peakRssBytes: r.peakRssBytes, littleGapPct: r.littleGapPct,
              providerUsed: g.provider, quantilesMs: r.quantilesMs, histogram: r.histogram, durationMs: Date.now() - pointStart,
              ...(accuracy ? { accuracy } : {}),
              ...(r.notes.length ? { notes: r.notes } : {}),
            };
            if (g.sessionOptions.profile) {
              try {
                progress(`batch ${batch}, ${label}: operator profile`);
                point.profile = await profilePoint(modelPath, g, batch, pins, model.batchDims);
              } catch (e) {
                (point.notes ??= []).push(`operator profile failed: ${(e as Error).message}`);
              }
            }
            if (r.littleGapPct > 10) (point.notes ??= []).push(`Little's law gap ${r.littleGapPct.toFixed(0)}% (> 10%): instances were not all busy`);
          } catch (e) {
            if (e instanceof CancelledError) throw e;
            point = failedPoint(config, (e as Error).message ?? String(e), { sessionCreateMs: pool.sessionCreateMs, ...(accuracy ? { accuracy } : {}) });
          }
          commit(point);
          perPointMs.push(Date.now() - pointStart);
          if (point.status !== 'failed') {
            firstOk ??= { group: g, batch, samplesPerSec: point.samplesPerSec };
            // Plateau early stop along the batch axis (MEASUREMENT.md rule 7).
            const gain = bestSamplesPerSec > 0 ? (point.samplesPerSec - bestSamplesPerSec) / bestSamplesPerSec * 100 : 100;
            plateauSteps = gain <= spec.method.plateauGainPct ? plateauSteps + 1 : 0;
            bestSamplesPerSec = Math.max(bestSamplesPerSec, point.samplesPerSec);
            const overSla = spec.method.slaMs !== undefined && point.latencyMs.p99 > spec.method.slaMs;
            if (plateauSteps >= spec.method.plateauSteps || overSla) {
              const rest = todo.slice(todo.indexOf(batch) + 1);
              if (rest.length) {
                progress(`${label}: stopping the batch axis (${overSla ? `p99 over the ${spec.method.slaMs} ms SLA` : `${plateauSteps} steps without > ${spec.method.plateauGainPct}% gain`}); skipping batch ${rest.join(', ')}`);
              }
              done += rest.length;
              break;
            }
          }
        }
      } finally {
        await pool.close();
      }
    }
    // Anchor: re-measure the first good point; drift beyond tolerance marks the sweep noisy.
    let anchor: { noisy: boolean; anchorDriftPct: number | null } = { noisy: false, anchorDriftPct: null };
    if (spec.method.anchor && firstOk) {
      progress('re-measuring the anchor point');
      const g = firstOk.group;
      const pool = new InstancePool({
        modelPath: g.precision === 'fp32' ? model.path : (await ctx.variant(model, g.precision)).path,
        instances: g.instances, seed: spec.method.seed,
        sessionOptions: ortOptions({ threads: g.threads, provider: g.provider, spec: g.sessionOptions }),
      });
      try {
        await pool.init();
        await pool.prepare(firstOk.batch, pins, spec.method.inputRotation, model.batchDims);
        const r = await measureClosedLoop(pool, { batch: firstOk.batch, method: spec.method, signal: cb.signal });
        const drift = (r.samplesPerSec - firstOk.samplesPerSec) / firstOk.samplesPerSec * 100;
        anchor = { noisy: Math.abs(drift) > spec.method.anchorTolerancePct, anchorDriftPct: drift };
      } finally {
        await pool.close();
      }
      done++;
    }
    store.finishRun(runId, 'completed', { result: anchor });
  } catch (e) {
    if (e instanceof CancelledError || cb.signal?.aborted) {
      status = 'cancelled';
      store.finishRun(runId, 'cancelled');
    } else {
      status = 'failed';
      runError = (e as Error).message;
      store.finishRun(runId, 'failed', { error: runError });
    }
  }
  progress(status);
  const result = store.getRunResult(runId);
  if (status === 'failed' && runError) (result as SweepRunResult & { error?: string }).error = runError;
  return result;
}
