// Sensitivity curves: what the chosen plan would cost at other SLAs and deadlines. Each point
// re-plans the workload with one number changed (fewer simulated requests, no p99 bands).
import type { SweepRunResult } from '../types.ts';
import { planCore } from './planCore.ts';
import type { CoreOptions } from './planCore.ts';
import type { PlanResult } from './types.ts';
import type { Workload } from './workloadSchema.ts';

export const SLA_POINTS_MS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
/** 1 s … 1 day */
export const DEADLINE_POINTS_S = [1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400];

/** Cost of the verdict's plan when the SLA is set to each of `slaPointsMs`. */
export function slaCurve(run: SweepRunResult, w: Workload, o: CoreOptions, slaPointsMs = SLA_POINTS_MS): PlanResult['sensitivity']['sla'] {
  return slaPointsMs.map((slaMs) => {
    const r = planCore(run, { ...w, sla: { ...w.sla, slaMs } }, { ...o, fast: true });
    return { slaMs, monthlyCostUsd: r.decision.chosen?.monthlyCostUsd ?? null, verdict: r.decision.verdict };
  });
}

/**
 * Cost of freshness: each point asks "if callers accepted an answer within d seconds (a job id, or a
 * precomputed answer at most d old)", so deadlineS = d, callers accept async, toleranceH = d / 3600.
 */
export function deadlineCurve(run: SweepRunResult, w: Workload, o: CoreOptions, pointsS = DEADLINE_POINTS_S): PlanResult['sensitivity']['deadline'] {
  return pointsS.map((deadlineS) => {
    const changed: Workload = {
      ...w,
      callers: { ...w.callers, acceptsAsync: true },
      freshness: { ...w.freshness, deadlineS, toleranceH: deadlineS / 3600 },
    };
    const r = planCore(run, changed, { ...o, fast: true });
    return { deadlineS, monthlyCostUsd: r.decision.chosen?.monthlyCostUsd ?? null, verdict: r.decision.verdict };
  });
}
