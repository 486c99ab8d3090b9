// Decision rules 4 and the budget check of PLANNER.md: cheapest feasible plan, but within 15 % the
// operationally simpler mode wins (batch, then deferred, then real-time, then hybrid).
import type { Plan, PlanMode, Verdict } from './types.ts';
import type { Workload } from './workloadSchema.ts';

/** Costs within this fraction of the cheapest count as a tie. */
export const TIE_FRACTION = 0.15;
/** Simplest first. Hybrid runs both a batch and a real-time path, so it is the most complex. */
export const SIMPLICITY: readonly PlanMode[] = ['batch', 'deferred', 'realtime', 'hybrid'];

export interface Decision {
  verdict: Verdict;
  chosen: Plan | null;
  /** the cheapest feasible plan (may differ from chosen by the tie-break) */
  cheapest: Plan | null;
  tieBreak: boolean;
  budgetExceeded: boolean;
  costUnknown: boolean;
}

export function overBudget(p: Plan, w: Workload): boolean {
  const b = w.budget;
  if (!b || p.monthlyCostUsd === null) return false;
  if (b.monthlyUsd !== undefined && p.monthlyCostUsd > b.monthlyUsd + 1e-9) return true;
  if (b.perMillionUsd !== undefined && p.costPerMillionUsd !== null && p.costPerMillionUsd > b.perMillionUsd + 1e-9) return true;
  return false;
}

const rank = (m: PlanMode) => SIMPLICITY.indexOf(m);

/** Picks the verdict from per-mode plans. */
export function decide(plans: Plan[], w: Workload): Decision {
  const feasible = plans.filter((p) => p.feasible);
  if (!feasible.length) return { verdict: 'infeasible', chosen: null, cheapest: null, tieBreak: false, budgetExceeded: false, costUnknown: false };
  const costUnknown = feasible.some((p) => p.monthlyCostUsd === null);
  if (costUnknown) {
    // without prices, the simplest feasible mode (capacity and latency still hold)
    const chosen = [...feasible].sort((a, b) => rank(a.mode) - rank(b.mode))[0];
    return { verdict: chosen.mode, chosen, cheapest: null, tieBreak: false, budgetExceeded: false, costUnknown: true };
  }
  const byCost = [...feasible].sort((a, b) => a.monthlyCostUsd! - b.monthlyCostUsd! || rank(a.mode) - rank(b.mode));
  const cheapest = byCost[0];
  const withinBudget = byCost.filter((p) => !overBudget(p, w));
  if (!withinBudget.length) {
    return { verdict: 'infeasible', chosen: null, cheapest, tieBreak: false, budgetExceeded: true, costUnknown: false };
  }
  const floor = withinBudget[0].monthlyCostUsd!;
  const ties = withinBudget.filter((p) => p.monthlyCostUsd! <= floor * (1 + TIE_FRACTION) + 1e-9);
  const chosen = [...ties].sort((a, b) => rank(a.mode) - rank(b.mode) || a.monthlyCostUsd! - b.monthlyCostUsd!)[0];
  return { verdict: chosen.mode, chosen, cheapest, tieBreak: chosen !== withinBudget[0], budgetExceeded: false, costUnknown: false };
}

/** Chosen plan first, then the other feasible plans by cost, then the infeasible ones. */
export function rankPlans(plans: Plan[], chosen: Plan | null): Plan[] {
  const cost = (p: Plan) => (p.monthlyCostUsd === null ? Infinity : p.monthlyCostUsd);
  return [...plans].sort((a, b) => {
    if (a === chosen) return -1;
    if (b === chosen) return 1;
    if (a.feasible !== b.feasible) return a.feasible ? -1 : 1;
    return cost(a) - cost(b) || rank(a.mode) - rank(b.mode);
  });
}
