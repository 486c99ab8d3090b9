// The serving calibration a plan used (per-batch overhead of the real serving path and the
// machine's jitter, measured by `kneepoint load` / `validate`): what is stored with the plan and
// the explanation line that says where the figures came from, or that there were none.
import { jitterFromQuantiles, type LoadFactor, type MeasuredServicePoint, type ServiceModelOptions } from '../sim/serviceModel.ts';
import { stallProcessFromQuantiles } from '../sim/stalls.ts';
import { fmtOverheadMs } from './planFigures.ts';
import { round3 } from './rounding.ts';
import type { PlanServing, ServingCalibration } from './types.ts';

const hasJitter = (s: ServingCalibration) => !!s.jitterQuantilesMs && s.jitterQuantilesMs.length >= 2;

/** The calibration as stored with a plan (with its jitter p99 for display); null stays null. */
export function planServing(s: ServingCalibration | null): PlanServing | null {
  if (!s) return null;
  return {
    overheadMs: s.overheadMs,
    ...(hasJitter(s) ? { jitterQuantilesMs: [...s.jitterQuantilesMs!] } : {}),
    jitterP99Ms: hasJitter(s) ? round3(jitterFromQuantiles(s.jitterQuantilesMs!).p99Ms) : null,
    ...(s.stalls ? { stalls: { ...s.stalls, durationQuantilesMs: [...s.stalls.durationQuantilesMs] } } : {}),
    ...(s.serviceScale ? { serviceScale: s.serviceScale } : {}),
    ...(s.band ? { band: { ...s.band } } : {}),
    source: s.source,
  };
}

/** One explanation line: which serving overhead and jitter the predictions include, or that none was measured. */
export function servingExplanation(s: PlanServing | null, modelId: string): string {
  if (!s) {
    return `No load or validate run of ${modelId} here: predictions assume no serving overhead beyond the bare run() time ` +
      `(optimistic, most of all for sub-millisecond models) — run \`kneepoint validate --model ${modelId}\` to calibrate.`;
  }
  if (s.stalls || s.serviceScale) {
    const scale = s.serviceScale ? `run() ${Math.abs((s.serviceScale - 1) * 100).toFixed(0)}% ${s.serviceScale >= 1 ? 'slower' : 'faster'} under load than closed loop, ` : '';
    const stalls = s.stalls ? `, and the machine's stalls (${s.stalls.ratePerSec.toFixed(1)}/s, median ${fmtOverheadMs(s.stalls.durationQuantilesMs[50] ?? 0)}, longest ${fmtOverheadMs(s.stalls.durationQuantilesMs[100] ?? 0)})` : '';
    return `The serving path as measured under load by ${s.source} is included in the real-time predictions: ${scale}overhead ${fmtOverheadMs(s.overheadMs)} per batch${stalls}.`;
  }
  const jitter = s.jitterP99Ms !== null ? ` and machine jitter (p99 ${fmtOverheadMs(s.jitterP99Ms)} per request)` : '';
  return `Serving overhead ${fmtOverheadMs(s.overheadMs)} per batch${jitter} from ${s.source} ${jitter ? 'are' : 'is'} included in the real-time predictions` +
    `${jitter ? '' : ' (no jitter measured)'}.`;
}

/**
 * buildServiceModel's machine-noise options for a serving calibration: the stall process, which
 * supersedes the per-request jitter of older calibrations. With servingPathPoints (the service
 * times and overhead), the one place a calibration becomes a service model.
 */
export function servingModelOptions(s: ServingCalibration | null | undefined): ServiceModelOptions {
  if (!s) return {};
  const stalls = s.stalls && s.stalls.ratePerSec > 0 && s.stalls.durationQuantilesMs.length >= 2
    ? stallProcessFromQuantiles(s.stalls.ratePerSec, s.stalls.durationQuantilesMs, s.stalls.holds, s.source) : undefined;
  return {
    ...(stalls ? { stalls } : hasJitter(s) ? { jitterQuantilesMs: s.jitterQuantilesMs } : {}),
  };
}

/**
 * The service points to simulate for a curve group under a serving calibration. When the
 * calibration measured this configuration's serving path (same instances, threads, precision,
 * provider), a batch size it saw often enough uses the measured busy-time distribution (overhead
 * included, so the returned overhead is 0; also when the closed-loop sweep has no usable point at
 * that size), and the others are the closed-loop points scaled by the
 * busy/closed ratio of the nearest batch size it saw. Otherwise the closed-loop points scaled by the
 * pooled serviceScale, plus the per-batch overhead.
 */
export function servingPathPoints(points: MeasuredServicePoint[], s: ServingCalibration | null | undefined,
  group: { instances: number; threadsPerInstance: number; precision: string; provider: string }): { points: MeasuredServicePoint[]; overheadMs: number; measured: boolean; loadFactor?: LoadFactor } {
  const sp = s?.servingPath;
  const scale = (p: MeasuredServicePoint, r: number): MeasuredServicePoint =>
    (r === 1 ? p : { batch: p.batch, meanMs: p.meanMs * r, ...(p.quantilesMs ? { quantilesMs: p.quantilesMs.map((q) => q * r) } : {}) });
  if (!s || !sp || sp.instances !== group.instances || sp.threadsPerInstance !== group.threadsPerInstance || sp.precision !== group.precision || sp.provider !== group.provider) {
    return { points: points.map((p) => scale(p, s?.serviceScale ?? 1)), overheadMs: s?.overheadMs ?? 0, measured: false };
  }
  const seen = Object.keys(sp.ratioByBatch).map(Number).sort((a, b) => a - b);
  const nearestRatio = (m: number): number => {
    if (!seen.length) return s.serviceScale ?? 1;
    let best = seen[0];
    for (const b of seen) if (Math.abs(b - m) < Math.abs(best - m)) best = b;
    return sp.ratioByBatch[best];
  };
  // every batch size the serving path measured, and the closed-loop points it did not see (scaled)
  const out = new Map<number, MeasuredServicePoint>();
  for (const p of points) out.set(p.batch, scale(p, nearestRatio(p.batch)));
  for (const [b, m] of Object.entries(sp.byBatch)) out.set(Number(b), { batch: Number(b), meanMs: m.meanMs, quantilesMs: m.quantilesMs });
  return { points: [...out.values()].sort((a, b) => a.batch - b.batch), overheadMs: 0, measured: true, ...(sp.loadFactor ? { loadFactor: sp.loadFactor } : {}) };
}
