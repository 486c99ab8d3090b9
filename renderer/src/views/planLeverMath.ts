// The figures behind the Plan view's levers and its peak/mean what-if, without the page: which
// relaxations are levers, the nearest feasible SLA and budget, and a daily profile reshaped to a peak.
import type { PlanResult, Relaxation } from '../../../main/common/plan/types.ts';

/** A lever is a change someone can make; "already at batch 1" is a fact, not a lever. */
export function isLever(x: Relaxation): boolean {
  return !(x.lever === 'smaller-batch' && /^already at batch 1/.test(x.change));
}

/** The nearest SLA above the workload's with a feasible plan (from the cost-vs-SLA curve), if any. */
export function nearestFeasibleSla(r: PlanResult, slaMs: number): { slaMs: number; verdict: string; monthlyCostUsd: number | null } | null {
  const p = r.sensitivity.sla.filter((x) => x.slaMs > slaMs && x.verdict !== 'infeasible').sort((a, b) => a.slaMs - b.slaMs)[0];
  return p ? { slaMs: p.slaMs, verdict: p.verdict, monthlyCostUsd: p.monthlyCostUsd } : null;
}

/** The cheapest feasible plan's monthly cost: the smallest budget that fits, when the budget is what fails. */
export function nearestFeasibleBudget(r: PlanResult): { monthlyCostUsd: number; mode: string } | null {
  const fits = r.plans.filter((p) => p.feasible && p.monthlyCostUsd !== null).sort((a, b) => a.monthlyCostUsd! - b.monthlyCostUsd!)[0];
  return fits ? { monthlyCostUsd: fits.monthlyCostUsd!, mode: fits.mode } : null;
}

/**
 * The daily profile reshaped so that peak / mean ≈ `peakToMean`: each hour raised to one power γ
 * (γ = 0 flattens it, γ = 1 is the profile as written, larger γ sharpens the peak; hours stay ≥ 0
 * and keep their order). γ is found by bisection; the planner normalises the profile to the mean rate.
 */
export function scaleDailyProfile(profile: number[], peakToMean: number): number[] {
  const ratio = (g: number) => { const v = profile.map((x) => (x > 0 ? x ** g : 0)); return Math.max(...v) / (v.reduce((a, x) => a + x, 0) / v.length); };
  if (!profile.some((x) => x > 0) || peakToMean <= 1) return profile.map((x) => (x > 0 ? 1 : 0));
  let lo = 0;
  let hi = 1;
  while (ratio(hi) < peakToMean && hi < 64) hi *= 2;
  for (let i = 0; i < 40; i++) { const mid = (lo + hi) / 2; if (ratio(mid) < peakToMean) lo = mid; else hi = mid; }
  const g = (lo + hi) / 2;
  return profile.map((x) => (x > 0 ? Number((x ** g).toPrecision(4)) : 0));
}
