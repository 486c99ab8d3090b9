// The serving calibration a plan used (per-batch overhead of the real serving path and the
// machine's jitter, measured by `kneepoint load` / `validate`): what is stored with the plan and
// the explanation line that says where the figures came from, or that there were none.
import { jitterFromQuantiles } from '../sim/serviceModel.ts';
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
    source: s.source,
  };
}

/** One explanation line: which serving overhead and jitter the predictions include, or that none was measured. */
export function servingExplanation(s: PlanServing | null, modelId: string): string {
  if (!s) {
    return `No load or validate run of ${modelId} here: predictions assume no serving overhead beyond the bare run() time ` +
      `(optimistic, most of all for sub-millisecond models) — run \`kneepoint validate --model ${modelId}\` to calibrate.`;
  }
  const jitter = s.jitterP99Ms !== null ? ` and machine jitter (p99 ${fmtOverheadMs(s.jitterP99Ms)} per request)` : '';
  return `Serving overhead ${fmtOverheadMs(s.overheadMs)} per batch${jitter} from ${s.source} ${jitter ? 'are' : 'is'} included in the real-time predictions` +
    `${jitter ? '' : ' (no jitter measured)'}.`;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
