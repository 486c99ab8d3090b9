// Stored sweep → the predictor's ServiceModel: the per-batch service-time quantiles of the points
// with the requested instances/threads/precision/provider, plus the serving calibration (per-batch
// overhead of the real serving path and the machine's jitter) measured by `load`/`validate`.
// The planner can use the same functions to predict with the serving path included.
import type { PointResult, Precision, ProviderName, SweepRunResult } from '../../common/types.ts';
import type { LoadResult, ValidationResult } from '../../common/loadTypes.ts';
import { buildServiceModel, type EmpiricalServiceModel, type MeasuredServicePoint } from '../../common/sim/serviceModel.ts';
import { servingModelOptions, servingPathPoints } from '../../common/plan/serving.ts';
import { invalidInput } from '../../common/errors.ts';
import type { ServingCalibration } from '../../common/plan/types.ts';
import type { RunRow, Store } from '../store/store.ts';

export interface CurveSelector {
  instances: number;
  /** intra-op threads per instance; when absent, the only value measured with these instances */
  threads?: number;
  precision?: Precision;
  provider?: ProviderName;
}

/** per-batch serving overhead (ms), evenly spaced jitter quantiles (ms), and where they came from */
export type { ServingCalibration };

const describe = (p: PointResult) => `${p.config.instances} instance(s) × ${p.config.threadsPerInstance} thread(s) ${p.config.precision}/${p.config.provider}`;

/** Points of a sweep usable as service curves for the selector (ok points; unstable only when no ok point exists). */
export function servicePointsFromRun(run: SweepRunResult, sel: CurveSelector): { points: MeasuredServicePoint[]; threads: number; notes: string[]; precision: Precision; provider: ProviderName } {
  const usable = run.points.filter((p) => p.status !== 'failed' && p.config.instances === sel.instances
    && (sel.precision === undefined || p.config.precision === sel.precision) && (sel.provider === undefined || p.config.provider === sel.provider));
  const threadsSeen = [...new Set(usable.map((p) => p.config.threadsPerInstance))].sort((a, b) => a - b);
  const available = [...new Set(run.points.filter((p) => p.status !== 'failed').map(describe))].join('; ') || 'none';
  let threads = sel.threads;
  if (threads === undefined) {
    if (threadsSeen.length !== 1) {
      throw invalidInput(threadsSeen.length === 0
        ? `run ${run.runId} has no measured points with ${sel.instances} instance(s) (measured: ${available}); sweep with --instances ${sel.instances}`
        : `run ${run.runId} has points with ${threadsSeen.join(', ')} threads per instance at ${sel.instances} instance(s): pick one with --threads`);
    }
    threads = threadsSeen[0];
  }
  const chosen = usable.filter((p) => p.config.threadsPerInstance === threads);
  const precisions = new Set(chosen.map((p) => `${p.config.precision}/${p.config.provider}`));
  if (precisions.size > 1) throw invalidInput(`run ${run.runId} has several precisions/providers for this configuration (${[...precisions].join(', ')}): pick one with --precision/--provider`);
  const notes: string[] = [];
  // per batch size: the ok point with most requests. An unstable point only below the smallest ok
  // batch size: there, dropping it would let a larger batch's time stand in (batch 2 for batch 1,
  // twice the time); between and above ok points, interpolating them beats a drifting measurement
  const byBatch = new Map<number, PointResult>();
  const better = (p: PointResult, prev: PointResult | undefined) => !prev
    || (p.status === 'ok' && prev.status !== 'ok') || (p.status === prev.status && p.requests > prev.requests);
  const okBatches = chosen.filter((p) => p.status === 'ok').map((p) => p.config.batch);
  const smallestOk = okBatches.length ? Math.min(...okBatches) : Infinity;
  for (const p of chosen) {
    if (p.status !== 'ok' && p.config.batch > smallestOk) continue;
    if (better(p, byBatch.get(p.config.batch))) byBatch.set(p.config.batch, p);
  }
  if (!byBatch.size) {
    throw invalidInput(`run ${run.runId} has no measured points with ${sel.instances} instance(s) × ${threads} thread(s) (measured: ${available})`);
  }
  const unstable = [...byBatch.values()].filter((p) => p.status !== 'ok').map((p) => p.config.batch).sort((a, b) => a - b);
  if (unstable.length === byBatch.size) notes.push('only unstable points exist for this configuration: the service curve is indicative');
  else if (unstable.length) notes.push(`batch ${unstable.join(', ')} ${unstable.length > 1 ? 'are' : 'is'} from unstable points: those service times are indicative`);
  const points = [...byBatch.values()].sort((a, b) => a.config.batch - b.config.batch).map((p) => ({
    batch: p.config.batch, meanMs: p.latencyMs.mean,
    ...(p.quantilesMs && p.quantilesMs.length >= 2 ? { quantilesMs: p.quantilesMs } : {}),
  }));
  const first = [...byBatch.values()][0];
  return { points, threads, notes, precision: first.config.precision, provider: first.config.provider };
}

/** The predictor's service model for a configuration of a stored sweep, with the serving calibration. */
export function serviceModelFromRun(run: SweepRunResult, sel: CurveSelector, calibration?: ServingCalibration | null): { model: EmpiricalServiceModel; threads: number; notes: string[] } {
  const { points, threads, notes, precision, provider } = servicePointsFromRun(run, sel);
  const sp = servingPathPoints(points, calibration, { instances: sel.instances, threadsPerInstance: threads, precision, provider });
  const model = buildServiceModel(sp.points, { overheadMs: sp.overheadMs, ...servingModelOptions(calibration), ...(sp.loadFactor ? { loadFactor: sp.loadFactor } : {}) });
  return { model, threads, notes };
}

/**
 * The most recent serving calibration measured on this machine for this model (a completed
 * `validate` or `load` run), preferring the same threads per instance. Null when none exists.
 */
export function latestCalibration(store: Store, o: { modelId: string; hardwareFingerprint?: string; threads?: number }): ServingCalibration | null {
  const runs = [...store.listRuns({ model: o.modelId, kind: 'validate' }), ...store.listRuns({ model: o.modelId, kind: 'load' })]
    .filter((r) => r.status === 'completed' && (!o.hardwareFingerprint || !r.hardwareFingerprint || r.hardwareFingerprint === o.hardwareFingerprint))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  let fallback: ServingCalibration | null = null;
  for (const r of runs) {
    const found = calibrationOfRow(store.getRunRow(r.id));
    if (!found) continue;
    if (o.threads === undefined || found.threads === o.threads) return found.calibration;
    fallback ??= found.calibration;
  }
  return fallback;
}

/** The calibration a load/validate run stored (null when it has none, e.g. it did not finish), with its threads per instance. */
function calibrationOfRow(row: RunRow): { calibration: ServingCalibration; threads: number | undefined } | null {
  const result = row.result as (Partial<LoadResult> & Partial<ValidationResult>) | null;
  if (result?.calibration && Number.isFinite(result.calibration.overheadMs)) {
    return { calibration: { ...result.calibration, source: `${row.kind} run ${row.id} (${row.createdAt.slice(0, 19).replace('T', ' ')})` }, threads: result.threads };
  }
  const overhead = result?.overhead;
  if (!result || !overhead || !Number.isFinite(overhead.overheadMs)) return null;
  return {
    calibration: {
      overheadMs: overhead.overheadMs,
      ...(result.jitter?.timerOversleepQuantilesMs?.length ? { jitterQuantilesMs: result.jitter.timerOversleepQuantilesMs } : {}),
      source: `${row.kind} run ${row.id} (${row.createdAt.slice(0, 19).replace('T', ' ')})`,
    },
    threads: result.threads,
  };
}

/**
 * The serving calibration stored by one `load` or `validate` run (`plan --load-run ID`), with the
 * run's model and hardware so a caller can say when they differ. Throws a user error when the run
 * is another kind or stored no calibration.
 */
export function calibrationFromRun(store: Store, runId: string): { calibration: ServingCalibration; modelId: string; hardwareFingerprint?: string } {
  const row = store.getRunRow(runId);
  if (row.kind !== 'load' && row.kind !== 'validate') {
    throw invalidInput(`run ${runId} is a ${row.kind} run: --load-run needs a load or validate run (its measured serving overhead and jitter); ` +
      `list them with \`kneepoint runs --kind load\` or \`kneepoint runs --kind validate\`, or measure one with \`kneepoint validate --model ${row.model.id} --quick\``);
  }
  const found = calibrationOfRow(row);
  if (!found) {
    throw invalidInput(`${row.kind} run ${runId} stored no serving calibration (status ${row.status}): use a completed run, or measure one with \`kneepoint validate --model ${row.model.id} --quick\``);
  }
  return { calibration: found.calibration, modelId: row.model.id, hardwareFingerprint: row.hardware?.fingerprint };
}
