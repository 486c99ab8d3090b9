// What would make an infeasible (or over-budget) workload fit, as levers a person can pull: the
// nearest feasible SLA and budget, each lever with its effect in numbers, and the int8 lever as a
// button that measures int8. Also the daily-profile scaling behind the peak/mean what-if slider.
import type { PlanResult, Relaxation } from '../../../main/common/plan/types.ts';
import { h } from '../dom.ts';
import { ms, usd } from '../format.ts';

const VERDICT_WORDS: Record<string, string> = { realtime: 'real-time', deferred: 'deferred', batch: 'scheduled batch', hybrid: 'hybrid' };

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

export interface LeverOptions {
  slaMs: number;
  percentile: number;
  modelId: string;
  /** starts the fp32+int8 sweep; `status` shows its progress */
  int8Sweep(status: HTMLElement, btn: HTMLButtonElement): Promise<void>;
}

export function leverList(r: PlanResult, o: LeverOptions): HTMLElement | null {
  const infeasible = r.verdict === 'infeasible';
  const levers = r.relaxations.filter(isLever);
  if (!infeasible && !r.budgetExceeded && !levers.length) return null;
  const nearest: HTMLElement[] = [];
  if (infeasible && Number.isFinite(o.slaMs)) {
    const sla = nearestFeasibleSla(r, o.slaMs);
    nearest.push(h('li', { 'data-testid': 'nearest-sla' }, sla
      ? `Nearest feasible SLA: p${o.percentile} ≤ ${ms(sla.slaMs)} end to end (${VERDICT_WORDS[sla.verdict] ?? sla.verdict}${sla.monthlyCostUsd !== null ? `, ${usd(sla.monthlyCostUsd)}/month` : ''}), instead of ${ms(o.slaMs)}.`
      : r.slaGapMs !== undefined
        ? `Nearest feasible SLA: none measured up to the largest SLA tried; the fastest configuration misses ${ms(o.slaMs)} by ${ms(r.slaGapMs)} even at zero load, so p${o.percentile} ≥ ${ms(o.slaMs + r.slaGapMs)} at least.`
        : 'Nearest feasible SLA: none up to the largest SLA tried.'));
  }
  if (r.budgetExceeded) {
    const b = nearestFeasibleBudget(r);
    if (b) nearest.push(h('li', { 'data-testid': 'nearest-budget' }, `Nearest feasible budget: ${usd(b.monthlyCostUsd)}/month (the cheapest plan that meets the SLA, ${VERDICT_WORDS[b.mode] ?? b.mode}).`));
  }
  const items = levers.map((x) => {
    const effect = x.monthlyCostUsd !== null ? ` → ${usd(x.monthlyCostUsd)}/month${x.fitsBudget ? ', within the budget' : ''}` : '';
    const li = h('li', { 'data-lever': x.lever }, h('span', {}, `${x.change}${effect}`));
    if (x.lever === 'lower-precision' && /int8 not measured/.test(x.change)) {
      const status = h('span', { class: 'muted small', role: 'status', 'data-testid': 'int8-status' });
      const btn = h('button', { type: 'button', class: 'btn small', 'data-testid': 'int8-sweep' }, `Measure ${o.modelId} in int8`);
      btn.addEventListener('click', () => { void o.int8Sweep(status, btn); });
      li.append(' ', btn, ' ', status);
    }
    return li;
  });
  return h('div', { class: 'levers', 'data-testid': 'levers' },
    h('h3', {}, infeasible ? 'What would make it feasible' : 'What would make it fit the budget'),
    nearest.length ? h('ul', { class: 'plain' }, nearest) : null,
    items.length ? h('ul', { class: 'lever-list' }, items) : null);
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
