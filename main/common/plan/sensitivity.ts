// Sensitivity curves: what the chosen plan would cost at other SLAs and deadlines. Each point
// re-plans the workload with one number changed (fewer simulated requests, no p99 bands).
import type { SweepRunResult } from '../types.ts';
import { planCore } from './planCore.ts';
import type { CoreOptions, CoreResult } from './planCore.ts';
import type { PlanResult, SensitivityPoint } from './types.ts';
import type { Workload } from './workloadSchema.ts';

export const SLA_POINTS_MS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
/** 1 s … 1 day */
export const DEADLINE_POINTS_S = [1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400];

/** Cost of the verdict's plan when the SLA is set to each of `slaPointsMs`. */
export function slaCurve(run: SweepRunResult, w: Workload, o: CoreOptions, slaPointsMs = SLA_POINTS_MS): PlanResult['sensitivity']['sla'] {
  return slaPointsMs.map((slaMs) => {
    const r = planCore(run, { ...w, sla: { ...w.sla, slaMs } }, { ...o, fast: true });
    return { slaMs, ...point(r) };
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
    return { deadlineS, ...point(r) };
  });
}

/** The chosen plan's cost, or the cheapest feasible one when all are over budget (a cost curve ignores the budget). */
function point(r: CoreResult): SensitivityPoint {
  const p = r.decision.chosen ?? r.decision.cheapest;
  return { monthlyCostUsd: p?.monthlyCostUsd ?? null, verdict: p ? p.mode : 'infeasible' };
}
