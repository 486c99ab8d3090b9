// One point of a sweep on a group's running sessions: inputs for its batch (refused before they are
// allocated when they would not fit), its own warm-up and windows, then the stored PointResult.
import type { MethodSpec } from '../../common/schemas.ts';
import type { AccuracyResult, InputPin, ModelInfo, PointConfig, PointResult } from '../../common/types.ts';
import type { SweepGroup } from '../../common/sweepGrid.ts';
import type { InstancePool } from './instancePool.ts';
import { measureClosedLoop } from './closedLoop.ts';
import { feedLimitPerInstance } from './memoryGuard.ts';
import { profilePoint } from './profile.ts';

export function failedPoint(config: PointConfig, error: string, extra?: Partial<PointResult>): PointResult {
  const nan = Number.NaN;
  return {
    config, status: 'failed', error, requests: 0, samples: 0, samplesPerSec: 0, requestsPerSec: 0,
    latencyMs: { p50: nan, p90: nan, p95: nan, p99: nan, p999: null, mean: nan, min: nan, max: nan },
    p99CiMs: null, sessionCreateMs: nan, firstInferenceMs: nan, warmupRuns: 0, windows: 0, peakRssBytes: 0, ...extra,
  };
}

export interface PointJob {
  pool: InstancePool;
  group: SweepGroup;
  config: PointConfig;
  model: ModelInfo;
  /** the file the sessions run (the precision variant) */
  modelPath: string;
  pins: InputPin[];
  method: MethodSpec;
  accuracy?: AccuracyResult;
  signal?: AbortSignal;
  onPhase: (phase: string) => void;
}

/** Measures the point; a failure of the point itself is returned as a failed point, a cancel is thrown. */
export async function measurePoint(job: PointJob): Promise<PointResult> {
  const { pool, group: g, config, method } = job;
  const batch = config.batch;
  const started = Date.now();
  const prep = await pool.prepare(batch, job.pins, method.inputRotation, job.model.batchDims, { feedLimit: feedLimitPerInstance(g.instances) });
  const r = await measureClosedLoop(pool, { batch, method, signal: job.signal, onPhase: job.onPhase });
  const point: PointResult = {
    config, status: r.stable ? 'ok' : 'unstable', requests: r.requests, samples: r.samples,
    samplesPerSec: r.samplesPerSec, requestsPerSec: r.requestsPerSec, latencyMs: r.latencyMs, p99CiMs: r.p99CiMs,
    sessionCreateMs: pool.sessionCreateMs, firstInferenceMs: prep.firstInferenceMs ?? Number.NaN,
    warmupRuns: r.warmupRuns, windows: r.windows, peakRssBytes: r.peakRssBytes, littleGapPct: r.littleGapPct,
    providerUsed: g.provider, quantilesMs: r.quantilesMs, histogram: r.histogram, durationMs: Date.now() - started,
    ...(job.accuracy ? { accuracy: job.accuracy } : {}),
    ...(r.notes.length ? { notes: r.notes } : {}),
    inputsFed: prep.plan,
  };
  if (g.sessionOptions.profile) {
    try {
      job.onPhase('operator profile');
      point.profile = await profilePoint(job.modelPath, g, batch, job.pins, job.model.batchDims);
    } catch (e) {
      (point.notes ??= []).push(`operator profile failed: ${(e as Error).message}`);
    }
  }
  if (r.littleGapPct > 10) (point.notes ??= []).push(`Little's law gap ${r.littleGapPct.toFixed(0)}% (> 10%): instances were not all busy`);
  return point;
}
