// `kneepoint predict` / api.predict: the discrete-event predictor over a stored sweep's service
// curves, with the serving overhead and machine jitter measured on this machine when known.
import type { PredictArgsResolved } from '../../common/schemas.ts';
import type { PredictOutput } from '../../common/loadTypes.ts';
import type { SweepRunResult } from '../../common/types.ts';
import type { ValidationResult } from '../../common/loadTypes.ts';
import { predict } from '../../common/sim/predict.ts';
import { p99Band } from '../../common/sim/band.ts';
import { stabilityBoundPerSec } from '../../common/sim/queueing.ts';
import { invalidInput } from '../../common/errors.ts';
import type { EngineContext } from '../engineContext.ts';
import { arrivalFromText } from './runLoad.ts';
import { batcherFromFields } from '../../common/sim/batchPolicy.ts';
import { latestCalibration, serviceModelFromRun, type ServingCalibration } from './serviceCurves.ts';

/** The sweep behind a run id: a sweep itself, or the sweep a validate run measured. */
export function sweepForRun(ctx: EngineContext, runId: string): SweepRunResult {
  const run = ctx.store.getRunResult(runId) as SweepRunResult & { kind?: string; result?: unknown };
  if (run.kind === 'validate') {
    const sweepId = (run.result as Partial<ValidationResult> | null)?.sweepRunId;
    if (!sweepId) throw invalidInput(`validate run ${runId} has no stored sweep (it did not finish)`);
    return ctx.store.getRunResult(sweepId);
  }
  if (run.kind && run.kind !== 'sweep') throw invalidInput(`run ${runId} is a ${run.kind} run: predict needs a sweep run (its service curves); list them with \`kneepoint runs --kind sweep\``);
  if (!run.points.length) throw invalidInput(`run ${runId} has no measured points yet`);
  return run;
}

export function predictFromRun(ctx: EngineContext, a: PredictArgsResolved): PredictOutput {
  const run = sweepForRun(ctx, a.runId);
  const arrival = arrivalFromText(a.arrival, a.rate);
  const batcher = batcherFromFields(a);
  const notes: string[] = [];
  let calibration: ServingCalibration | null;
  if (a.overheadMs !== undefined) {
    const stored = a.jitter ? latestCalibration(ctx.store, { modelId: run.model.id, hardwareFingerprint: run.hardware?.fingerprint, threads: a.threads }) : null;
    calibration = { overheadMs: a.overheadMs, ...(stored?.jitterQuantilesMs ? { jitterQuantilesMs: stored.jitterQuantilesMs } : {}), source: '--overhead-ms' + (stored?.jitterQuantilesMs ? `; jitter from ${stored.source}` : '') };
  } else {
    calibration = latestCalibration(ctx.store, { modelId: run.model.id, hardwareFingerprint: run.hardware?.fingerprint, threads: a.threads });
    if (!calibration) notes.push(`no serving overhead or jitter measured for ${run.model.id} on this machine yet: predicting from bare run() times (optimistic); run \`kneepoint validate --model ${run.model.id} --quick\` or a \`kneepoint load\` first`);
  }
  if (calibration && !a.jitter) {
    const { jitterQuantilesMs: _j, stalls: _s, ...kept } = calibration;
    calibration = { ...kept, source: calibration.source + ' (jitter and stalls off)' };
  }
  const { model, threads, notes: curveNotes } = serviceModelFromRun(run, { instances: a.instances, threads: a.threads, precision: a.precision, provider: a.provider }, calibration);
  notes.push(...curveNotes);
  const p = predict({ arrival, batcher, service: model, requests: a.requests, seed: a.seed }, a.replications);
  notes.push(...model.notes());
  const bound = stabilityBoundPerSec(model, batcher);
  const band = p99Band(p.latencyMs.p99, { ciMs: p.p99CiMs, utilization: p.utilization, calibration: calibration?.band ?? null });
  if (p.latencyMs.p50 < 1) notes.push('sub-millisecond latencies: on a real machine the tail is decided by the machine (scheduler, timers, stalls) more than by the model; trust the band, not the point value');
  if (!band.calibrated) notes.push(`the p99 band is the uncalibrated default (±${((Math.exp(1.96 * band.sigma) - 1) * 100).toFixed(0)}%): no validate run of ${run.model.id} on this machine measured its spread; run \`kneepoint validate --model ${run.model.id} --quick\``);
  if (p.saturated) notes.push(`the offered rate ${a.rate}/s is at or above the stability bound ${bound.toFixed(1)}/s: the queue grows without bound and the latency figures depend on the run length`);
  else if (a.rate / bound > 0.85) notes.push(`utilization ${(a.rate / bound).toFixed(2)} > 0.85: near saturation the error grows like 1/(1−ρ); trust capacity at an SLA more than this p99`);
  return {
    fromRunId: run.runId, model: run.model.id, arrival: a.arrival, ratePerSec: a.rate, batcher, threads,
    latencyMs: { p50: p.latencyMs.p50, p90: p.latencyMs.p90, p99: p.latencyMs.p99, p999: p.latencyMs.p999, mean: p.latencyMs.mean },
    p99Ms: p.latencyMs.p99, p99CiMs: p.p99CiMs, p99BandMs: band.bandMs, bandCalibrated: band.calibrated, samplesPerSec: p.samplesPerSec, requestsPerSec: p.requestsPerSec, meanBatchSize: p.meanBatchSize, batchSizes: p.batchSizes,
    queueWaitMs: { p50: p.queueWaitMs.p50, p99: p.queueWaitMs.p99 }, utilization: p.utilization, rejected: p.rejected, timedOut: p.timedOut,
    saturated: p.saturated ?? false, stabilityBoundPerSec: bound,
    calibration: {
      overheadMs: model.overheadMs, jitterP99Ms: model.jitter ? model.jitter.p99Ms : null,
      source: calibration?.source ?? 'none (bare run() times)',
    },
    replications: p.replications, ciMethod: p.ciMethod ?? '', notes,
  };
}
