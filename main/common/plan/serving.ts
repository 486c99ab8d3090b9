// The serving calibration a plan used (per-batch overhead of the real serving path and the
// machine's jitter, measured by `kneepoint load` / `validate`): what is stored with the plan and
// the explanation line that says where the figures came from, or that there were none.
import { jitterFromQuantiles, type ServiceModelOptions } from '../sim/serviceModel.ts';
import { stallProcessFromQuantiles } from '../sim/stalls.ts';
import { fmtOverheadMs } from './costRealtime.ts';
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

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * buildServiceModel's options for a serving calibration: the per-batch overhead, the service-time
 * scale through the serving path, and the stall process (which supersedes the per-request jitter of
 * older calibrations). The one place a calibration becomes a service model.
 */
export function servingModelOptions(s: ServingCalibration | null | undefined): ServiceModelOptions {
  if (!s) return {};
  const stalls = s.stalls && s.stalls.ratePerSec > 0 && s.stalls.durationQuantilesMs.length >= 2
    ? stallProcessFromQuantiles(s.stalls.ratePerSec, s.stalls.durationQuantilesMs, s.stalls.holds, s.source) : undefined;
  return {
    overheadMs: s.overheadMs,
    ...(s.serviceScale && s.serviceScale !== 1 ? { serviceScale: s.serviceScale } : {}),
    ...(stalls ? { stalls } : hasJitter(s) ? { jitterQuantilesMs: s.jitterQuantilesMs } : {}),
  };
}
