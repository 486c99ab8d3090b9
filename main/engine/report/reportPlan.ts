// The plan page: the workload in one table, every mode's plan side by side, the cost curves, the
// planner's explanation in its own words, the cost arithmetic of the chosen plan and, when the
// workload does not fit, what would make it fit.
import type { Plan } from '../../common/plan/types.ts';
import { headroomFigure, latencyAtSla, plansSlaPercentile } from '../../common/plan/planFigures.ts';
import type { StoredPlan } from './runDocument.ts';
import type { ChartSpec } from './reportCharts.ts';
import { esc, fmtMs, fmtNum, fmtUsd, DASH } from './htmlFormat.ts';
import { workloadFacts } from './workloadFacts.ts';

const MODE_NAMES: Record<string, string> = { realtime: 'real-time', deferred: 'deferred', batch: 'scheduled batch', hybrid: 'hybrid' };

export function chartFigure(c: ChartSpec): string {
  return `<figure data-chart="${esc(c.id)}">
    <h3>${esc(c.title)}</h3>
    <canvas id="chart-${esc(c.id)}" width="720" height="270" role="img" aria-label="${esc(c.title)}: ${esc(c.caption)}"></canvas>
    <figcaption>${esc(c.caption)}</figcaption>
  </figure>`;
}

/** Latency at the SLA percentile `pct` of the column (prefixed when a plan's differs, e.g. deferred's p99 deadline), p99 beside it. */
function latencyCell(p: Plan, pct: number): string {
  if (!p.predicted) return DASH;
  const l = latencyAtSla(p.predicted);
  return `${l.percentile !== pct ? `p${l.percentile} ` : ''}${fmtMs(l.ms)}` +
    (l.percentile !== 99 ? `<div class="small muted">p99 ${fmtMs(p.predicted.p99Ms)}</div>` : '');
}

/** Headroom at peak: one decimal, never 99.7 → 100; a serverless plan without a limit has none to give. */
function headroomCell(p: Plan): string {
  if (!p.feasible) return DASH;
  const f = headroomFigure(p);
  return f === null ? '<span class="small">scales per request</span>' : `${esc(f)} %`;
}

function planRows(p: Plan, chosen: boolean, pct: number): string {
  const c = p.config;
  const main = `<tr class="${p.feasible ? '' : 'failed'}">
    <td>${chosen ? '<strong>▶ ' : ''}${esc(MODE_NAMES[p.mode] ?? p.mode)}${chosen ? '</strong>' : ''} <span class="small muted">${esc(p.variant)}</span></td>
    <td>${p.feasible ? '<span class="flag ok">feasible</span>' : '<span class="flag failed">infeasible</span>'}</td>
    <td>${c ? `${esc(c.instanceType)} · ${esc(c.precision)} · batch ${c.batch} · ${c.instances} × ${c.threadsPerInstance}` : DASH}</td>
    <td class="num">${p.feasible ? p.replicas : DASH}</td>
    <td class="num">${fmtUsd(p.monthlyCostUsd)}</td>
    <td class="num">${fmtUsd(p.costPerMillionUsd)}</td>
    <td class="num">${latencyCell(p, pct)}</td>
    <td class="num">${headroomCell(p)}</td>
  </tr>`;
  const why = p.feasible ? `limited by ${p.bindingConstraint}` : (p.reason ?? '');
  return main + (why ? `<tr class="sub"><td></td><td colspan="7" class="small muted">${esc(why)}</td></tr>` : '');
}

export function planPage(plan: StoredPlan): string {
  const r = plan.result;
  const w = workloadFacts(plan.workload);
  const chosen = r.plans.find((p) => p.feasible && p.mode === r.verdict) ?? null;
  const pct = plansSlaPercentile(r.plans, w.percentile);
  const traffic = w.meanRatePerSec !== null ? `${fmtNum(w.meanRatePerSec, 1)} requests/s mean` : w.requestsPerDay !== null ? `${fmtNum(w.requestsPerDay)} requests/day` : DASH;
  const workloadRows: Array<[string, string]> = [
    ['Workload', w.name ?? r.workloadName],
    ['Latency SLA', w.slaMs !== null ? `p${w.percentile} ≤ ${fmtMs(w.slaMs)} ms, end to end` : DASH],
    ['Callers', w.synchronous === null ? DASH : w.synchronous ? 'wait for the answer (synchronous)' : 'can wait (asynchronous)'],
    ['Traffic', `${traffic}${w.peakToMean !== null ? `, peak ${w.peakToMean}× the mean` : ''}`],
    ['Deadline', w.deadlineS !== null ? `${fmtNum(w.deadlineS)} s` : DASH],
    ['Instances priced', w.instanceNames.length ? w.instanceNames.join(', ') : 'none (cost unknown)'],
  ];
  return `<section class="page" id="plan">
    <h2>Plan</h2>
    <table class="kv"><tbody>${workloadRows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>
    <h3>Plans by serving mode</h3>
    <table class="data plans" data-testid="plans-table">
      <thead><tr><th>mode</th><th>feasible</th><th>configuration</th><th class="num">replicas</th><th class="num">$/month</th>
        <th class="num">$/1M</th><th class="num">end-to-end p${pct} (ms, predicted)</th><th class="num">headroom</th></tr></thead>
      <tbody>${r.plans.map((p) => planRows(p, p === chosen, pct)).join('')}</tbody>
    </table>
    <h3>Why</h3>
    <ul class="explain" data-testid="explanation">${r.explanation.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
    ${r.relaxations.length ? `<h3>What would make it fit</h3><ul class="explain">${r.relaxations.map((x) => `<li>${esc(x.change)} → ${fmtUsd(x.monthlyCostUsd)}/month${x.fitsBudget ? '' : ' (still over budget)'}</li>`).join('')}</ul>` : ''}
  </section>`;
}

/** The page after the plan: how the chosen plan's cost adds up and how it moves with the SLA and deadline. */
export function costPage(plan: StoredPlan, charts: ChartSpec[]): string {
  const r = plan.result;
  const chosen = r.plans.find((p) => p.feasible && p.mode === r.verdict) ?? null;
  return `<section class="page" id="cost">
    <h2>Cost</h2>
    ${chosen && chosen.arithmetic.length ? `<h3>How the chosen plan's cost adds up</h3><ol class="notes">${chosen.arithmetic.map((l) => `<li>${esc(l)}</li>`).join('')}</ol>` : ''}
    ${charts.map(chartFigure).join('\n')}
    ${!charts.length ? `<p class="muted small">No cost curves: ${r.costUnknown ? 'the workload gives no instance prices' : 'the plan was computed without sensitivity curves'}.</p>` : ''}
  </section>`;
}
