// What would make an infeasible (or over-budget) workload fit, as levers a person can pull: the
// nearest feasible SLA and budget, each lever with its effect in numbers, and the int8 lever as a
// button that measures int8.
import type { PlanResult } from '../../../main/common/plan/types.ts';
import { h } from '../dom.ts';
import { isLever, nearestFeasibleBudget, nearestFeasibleSla } from './planLeverMath.ts';
import { ms, usd } from '../format.ts';

const VERDICT_WORDS: Record<string, string> = { realtime: 'real-time', deferred: 'deferred', batch: 'scheduled batch', hybrid: 'hybrid' };

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

export { scaleDailyProfile } from './planLeverMath.ts';
