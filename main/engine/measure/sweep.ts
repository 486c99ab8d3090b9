// A sweep's schedule: the grid's groups one after another, each on one set of sessions shared by
// its batch sizes (each point keeps its own warm-up); the batch axis stops on a throughput plateau
// or once p99 passes the SLA; at the end the first good point is re-measured as a noise anchor.
// Each finished point is committed to the store before the next starts.
import type { SweepSpecResolved } from '../../common/schemas.ts';
import type { AccuracyResult, PointResult, Precision, SweepRunResult } from '../../common/types.ts';
import type { JobProgress } from '../../common/api.ts';
import { expandGrid, pointConfig, type SweepGroup } from '../../common/sweepGrid.ts';
import { estimateSweep } from '../../common/sweepEstimate.ts';
import { configKey } from '../store/store.ts';
import type { EngineContext } from '../engineContext.ts';
import { InstancePool } from './instancePool.ts';
import { measureClosedLoop, CancelledError } from './closedLoop.ts';
import { ortOptionsJson } from './sessionOptions.ts';
import { mergePins } from './inputPins.ts';
import { createSweepRecord, reopenSweepRecord, commitPoint, type SweepRecord } from './sweepRecord.ts';
import { SweepProgress } from './sweepProgress.ts';
import { failedPoint, measurePoint } from './sweepPoint.ts';

export interface SweepCallbacks {
  signal?: AbortSignal;
  onPoint?: (p: PointResult) => void;
  onProgress?: (p: Omit<JobProgress, 'jobId'>) => void;
  /** called once the run row exists (before any point is measured) */
  onRunCreated?: (runId: string) => void;
}

/** A new sweep, or (spec.resumeRunId) the rest of an interrupted one. */
export async function runSweep(ctx: EngineContext, spec: SweepSpecResolved, cb: SweepCallbacks = {}): Promise<SweepRunResult> {
  return measureSweep(ctx, spec.resumeRunId ? await reopenSweepRecord(ctx, spec.resumeRunId) : await createSweepRecord(ctx, spec), cb);
}

/** The rest of an interrupted or cancelled sweep: its stored spec, validated; finished points kept. */
export async function resumeSweep(ctx: EngineContext, runId: string, cb: SweepCallbacks = {}): Promise<SweepRunResult> {
  return measureSweep(ctx, await reopenSweepRecord(ctx, runId), cb);
}

interface GroupSessions {
  modelPath: string;
  accuracy?: AccuracyResult;
}

async function measureSweep(ctx: EngineContext, record: SweepRecord, cb: SweepCallbacks): Promise<SweepRunResult> {
  const { runId, spec, model } = record;
  cb.onRunCreated?.(runId);
  const pins = mergePins(model.defaultPins, spec.inputs);
  const groups = expandGrid(spec);
  const progress = new SweepProgress(runId, estimateSweep(spec, spec.method), record.finished.size, cb.onProgress);
  // commit first: an optional call would skip evaluating its argument when no onPoint is given
  const commit = (p: PointResult) => { const stored = commitPoint(ctx, runId, p); cb.onPoint?.(stored); };
  const accuracyCache = new Map<Precision, AccuracyResult | undefined>();
  let firstOk: { group: SweepGroup; batch: number; samplesPerSec: number } | null = null;
  let status: 'completed' | 'cancelled' | 'failed' = 'completed';
  let runError: string | undefined;

  /** Provider, precision variant and accuracy resolve before any session starts; null when the group cannot run (its points are stored failed). */
  async function prepareGroup(g: SweepGroup, todo: number[], label: string): Promise<GroupSessions | null> {
    const avail = await ctx.providerAvailability(g.provider);
    if (!avail.available) {
      for (const b of todo) commit(failedPoint(pointConfig(g, b), `provider ${g.provider} is unavailable: ${avail.reason ?? 'not supported here'}`));
      return null;
    }
    if (g.precision === 'fp32') return { modelPath: model.path };
    try {
      progress.report(`${label}: preparing ${g.precision} variant`);
      const v = await ctx.variant(model, g.precision);
      if (!accuracyCache.has(g.precision)) accuracyCache.set(g.precision, await ctx.accuracy(model, v.path, pins, spec));
      return { modelPath: v.path, accuracy: accuracyCache.get(g.precision) };
    } catch (e) {
      for (const b of todo) commit(failedPoint(pointConfig(g, b), `${g.precision} variant failed: ${(e as Error).message}`));
      return null;
    }
  }

  const newPool = (g: SweepGroup, modelPath: string) => new InstancePool({
    modelPath, instances: g.instances, seed: spec.method.seed,
    sessionOptions: ortOptionsJson({ threads: g.threads, provider: g.provider, spec: { ...g.sessionOptions, profile: false } }),
  });

  try {
    for (const g of groups) {
      if (cb.signal?.aborted) throw new CancelledError();
      const todo = g.batches.filter((b) => !record.finished.has(configKey(pointConfig(g, b))));
      if (todo.length === 0) { progress.sessionsStarted(null); continue; }
      const label = `${g.precision}/${g.provider}, ${g.instances} instance(s) × ${g.threads} thread(s)`;
      const sessions = await prepareGroup(g, todo, label);
      if (!sessions) { progress.skipped(todo.length); progress.sessionsStarted(null); continue; }
      progress.report(`${label}: creating ${g.instances} session(s)`);
      let pool = newPool(g, sessions.modelPath);
      try {
        const sessionStart = Date.now();
        try {
          await pool.init();
        } catch (e) {
          for (const b of todo) commit(failedPoint(pointConfig(g, b), `session creation failed: ${(e as Error).message.trim()}`, sessions.accuracy ? { accuracy: sessions.accuracy } : {}));
          progress.skipped(todo.length);
          progress.sessionsStarted(null);
          continue;
        }
        progress.sessionsStarted(Date.now() - sessionStart);
        let plateauSteps = 0;
        let bestSamplesPerSec = 0;
        for (const batch of todo) {
          if (cb.signal?.aborted) throw new CancelledError();
          const config = pointConfig(g, batch);
          const pointStart = Date.now();
          if (!pool.alive) {
            // A worker died (native crash, out of memory): the failed point is stored; start fresh instances.
            await pool.close();
            pool = newPool(g, sessions.modelPath);
            await pool.init();
          }
          progress.report(`batch ${batch}, ${label}: first inference`);
          let point: PointResult;
          try {
            point = await measurePoint({
              pool, group: g, config, model, modelPath: sessions.modelPath, pins, method: spec.method, accuracy: sessions.accuracy,
              signal: cb.signal, onPhase: (ph) => progress.report(`batch ${batch}, ${label}: ${ph}`),
            });
          } catch (e) {
            if (e instanceof CancelledError) throw e;
            point = failedPoint(config, (e as Error).message ?? String(e), { sessionCreateMs: pool.sessionCreateMs, ...(sessions.accuracy ? { accuracy: sessions.accuracy } : {}) });
          }
          commit(point);
          progress.pointFinished(Date.now() - pointStart);
          if (point.status === 'failed') continue;
          firstOk ??= { group: g, batch, samplesPerSec: point.samplesPerSec };
          // Plateau early stop along the batch axis (MEASUREMENT.md rule 7).
          const gain = bestSamplesPerSec > 0 ? (point.samplesPerSec - bestSamplesPerSec) / bestSamplesPerSec * 100 : 100;
          plateauSteps = gain <= spec.method.plateauGainPct ? plateauSteps + 1 : 0;
          bestSamplesPerSec = Math.max(bestSamplesPerSec, point.samplesPerSec);
          const overSla = spec.method.slaMs !== undefined && point.latencyMs.p99 > spec.method.slaMs;
          if (plateauSteps >= spec.method.plateauSteps || overSla) {
            const rest = todo.slice(todo.indexOf(batch) + 1);
            if (rest.length) {
              progress.report(`${label}: stopping the batch axis (${overSla ? `p99 over the ${spec.method.slaMs} ms SLA` : `${plateauSteps} steps without > ${spec.method.plateauGainPct}% gain`}); skipping batch ${rest.join(', ')}`);
            }
            progress.skipped(rest.length);
            break;
          }
        }
      } finally {
        await pool.close();
      }
    }
    const anchor = spec.method.anchor && firstOk ? await remeasureAnchor(firstOk) : { noisy: false, anchorDriftPct: null };
    if (spec.method.anchor && !firstOk) progress.skipped(1);
    ctx.store.finishRun(runId, 'completed', { result: anchor });
  } catch (e) {
    if (e instanceof CancelledError || cb.signal?.aborted) {
      status = 'cancelled';
      ctx.store.finishRun(runId, 'cancelled');
    } else {
      status = 'failed';
      runError = (e as Error).message;
      ctx.store.finishRun(runId, 'failed', { error: runError });
    }
  }
  progress.report(status);
  const result = ctx.store.getRunResult(runId);
  if (status === 'failed' && runError) (result as SweepRunResult & { error?: string }).error = runError;
  return result;

  /** Anchor (MEASUREMENT.md rule 9): re-measure the first good point; drift beyond tolerance marks the sweep noisy. */
  async function remeasureAnchor(first: { group: SweepGroup; batch: number; samplesPerSec: number }): Promise<{ noisy: boolean; anchorDriftPct: number | null }> {
    progress.report('re-measuring the anchor point');
    const g = first.group;
    const pointStart = Date.now();
    const pool = newPool(g, g.precision === 'fp32' ? model.path : (await ctx.variant(model, g.precision)).path);
    try {
      await pool.init();
      progress.sessionsStarted(Date.now() - pointStart);
      const measureStart = Date.now();
      await pool.prepare(first.batch, pins, spec.method.inputRotation, model.batchDims);
      const r = await measureClosedLoop(pool, { batch: first.batch, method: spec.method, signal: cb.signal });
      progress.pointFinished(Date.now() - measureStart);
      const drift = (r.samplesPerSec - first.samplesPerSec) / first.samplesPerSec * 100;
      return { noisy: Math.abs(drift) > spec.method.anchorTolerancePct, anchorDriftPct: drift };
    } finally {
      await pool.close();
    }
  }
}
