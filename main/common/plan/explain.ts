// Plain-language explanation a PM can read aloud: what was decided, why, what limits it, how
// sure we are, and what would change the answer.
import { headroomFigure, fmtMs, fmtRate, fmtUsd, fmtDuration } from './planFigures.ts';
import type { PlanContext } from './planContext.ts';
import type { Decision } from './decide.ts';
import { TIE_FRACTION } from './decide.ts';
import { describeRelaxation } from './levers.ts';
import { servingExplanation } from './serving.ts';
import type { Plan, PlanMode, PlanResult, PlanServing, Relaxation } from './types.ts';

const MODE_WORDS: Record<PlanMode, string> = {
  realtime: 'in real time (synchronous requests)',
  deferred: 'as deferred jobs (submit, then poll or get a callback)',
  batch: 'as a scheduled batch whose results are read from a store',
  hybrid: 'as a hybrid: a scheduled batch precomputes known items and a real-time path serves the rest',
};
const MODE_NAME: Record<PlanMode, string> = { realtime: 'Real-time', deferred: 'Deferred', batch: 'Batch', hybrid: 'Hybrid' };

export interface ExplainInput {
  ctx: PlanContext;
  decision: Decision;
  plans: Plan[];
  sensitivity: PlanResult['sensitivity'] | null;
  breakEvenRatePerSec: number | null;
  uncertaintyPct: number;
  relaxations: Relaxation[];
  slaGapMs: number | null;
  /** the serving calibration used (null: none found; undefined: none asked for, nothing said) */
  serving?: PlanServing | null;
}

export function explain(e: ExplainInput): string[] {
  const { ctx, decision } = e;
  const w = ctx.workload;
  const lines: string[] = [];
  const chosen = decision.chosen;
  const sla = `p${w.sla.percentile} ≤ ${fmtMs(w.sla.slaMs)}`;
  if (chosen) {
    const c = chosen.config;
    const what = c
      ? chosen.variant === 'serverless'
        ? `on serverless functions (${c.precision})`
        : `on ${chosen.replicas} × ${c.instanceType}${chosen.variant === 'autoscaled' || chosen.variant === 'batch+autoscaled' ? ' at peak (autoscaled per hour)' : ''} ` +
          `(${c.precision}, ${c.instances} model instance(s) × ${c.threadsPerInstance} thread(s), batch ${c.batch}${c.maxDelayMs > 0 ? `, wait ≤ ${c.maxDelayMs} ms` : ''})`
      : '';
    const cost = chosen.monthlyCostUsd === null
      ? 'cost unknown because the workload gives no prices'
      : `about ${fmtUsd(chosen.monthlyCostUsd)}/month${chosen.costPerMillionUsd !== null ? ` (${fmtUsd(chosen.costPerMillionUsd)} per million inferences)` : ''}`;
    lines.push(`Serve ${w.model.id} ${MODE_WORDS[chosen.mode]} ${what}: ${cost}.`);
  } else if (decision.budgetExceeded && decision.cheapest) {
    const b = w.budget!;
    lines.push(`Infeasible under budget: the cheapest plan (${MODE_NAME[decision.cheapest.mode].toLowerCase()}) costs ${fmtUsd(decision.cheapest.monthlyCostUsd)}/month` +
      `${decision.cheapest.costPerMillionUsd !== null ? ` (${fmtUsd(decision.cheapest.costPerMillionUsd)}/1M)` : ''}, over the budget of ` +
      `${b.monthlyUsd !== undefined ? `${fmtUsd(b.monthlyUsd)}/month` : ''}${b.monthlyUsd !== undefined && b.perMillionUsd !== undefined ? ' and ' : ''}${b.perMillionUsd !== undefined ? `${fmtUsd(b.perMillionUsd)}/1M` : ''}.`);
  } else {
    lines.push(`No serving mode can meet this workload as specified.`);
  }
  // why each mode is in or out
  for (const p of e.plans) {
    if (p === chosen) continue;
    if (!p.feasible) lines.push(`${MODE_NAME[p.mode]} is out: ${p.reason}.`);
    else if (p.monthlyCostUsd !== null) lines.push(`${MODE_NAME[p.mode]} would also work, at ${fmtUsd(p.monthlyCostUsd)}/month.`);
    else lines.push(`${MODE_NAME[p.mode]} would also work (cost unknown).`);
  }
  if (chosen && decision.tieBreak && decision.cheapest) {
    lines.push(`${MODE_NAME[chosen.mode]} costs within ${TIE_FRACTION * 100}% of the cheapest plan (${MODE_NAME[decision.cheapest.mode].toLowerCase()}, ${fmtUsd(decision.cheapest.monthlyCostUsd)}), ` +
      `so the operationally simpler mode wins.`);
  }
  if (e.slaGapMs !== null && w.callers.synchronous) {
    lines.push(`Real time misses the SLA by ${fmtMs(e.slaGapMs)} even with no other traffic (${sla}, ${fmtMs(ctx.outsideMs)} spent on network and processing). Levers:`);
    for (const r of e.relaxations.filter((x) => x.lever !== 'looser-sla' || ctx.budgetMs <= 0)) lines.push(`  - ${describeRelaxation(r)}`);
  }
  if (decision.budgetExceeded) {
    const fit = e.relaxations.find((r) => r.fitsBudget);
    lines.push(fit ? `Cheapest relaxation that fits the budget: ${describeRelaxation(fit)}.` : 'No single relaxation tried fits the budget. Options:');
    for (const r of e.relaxations.filter((x) => x !== fit)) lines.push(`  - ${describeRelaxation(r)}`);
  }
  if (chosen) {
    if (chosen.summary && chosen.summary.length) {
      // real-time (or a hybrid's real-time path): the sizing lines use the same numbers as the plan's fields
      const path = chosen.mode === 'hybrid' ? 'Real-time path: ' : '';
      lines.push(`What limits it: ${chosen.bindingConstraint}.`);
      for (const l of chosen.summary) lines.push(path + l);
    } else {
      // serverless without a concurrency limit has no capacity to leave room in: no headroom figure
      const headroom = headroomFigure(chosen);
      lines.push(`What limits it: ${chosen.bindingConstraint}${headroom === null ? '' : `; headroom at peak ${headroom}%`}.`);
      if (chosen.predicted && (chosen.mode === 'realtime' || chosen.mode === 'hybrid')) {
        const p = chosen.predicted;
        const pct = p.slaPercentile ?? 99;
        const at = p.slaPercentileMs ?? p.p99Ms;
        const band = p.slaBandMs ?? p.p99BandMs;
        lines.push(`Predicted latency at peak: p50 ${fmtMs(p.p50Ms)}, p${pct} ${fmtMs(at)} (band ${fmtMs(band[0])}–${fmtMs(band[1])}) against ${sla}.`);
      }
    }
  }
  if (e.serving !== undefined) lines.push(servingExplanation(e.serving, w.model.id));
  if (e.uncertaintyPct > 0) {
    lines.push(`The target instance was not measured: its speed factor is an estimate, so capacity and cost may be off by ±${e.uncertaintyPct}% (typically 30–50%); re-measure on that instance before committing.`);
  }
  if (decision.costUnknown || (!ctx.priced && chosen)) lines.push('No instance prices were given, so cost is unknown; replicas, capacity and latency still hold.');
  if (e.sensitivity && chosen) {
    const cur = chosen.monthlyCostUsd;
    const tighter = [...e.sensitivity.sla].reverse().find((p) => p.slaMs < w.sla.slaMs);
    const looser = e.sensitivity.sla.find((p) => p.slaMs > w.sla.slaMs);
    if (tighter) lines.push(`Tightening the SLA to ${fmtMs(tighter.slaMs)}: ${tighter.monthlyCostUsd === null ? (tighter.verdict === 'infeasible' ? 'not possible on this hardware' : 'cost unknown') : `${fmtUsd(tighter.monthlyCostUsd)}/month (${tighter.verdict})`}.`);
    if (looser && looser.monthlyCostUsd !== null && cur !== null && looser.monthlyCostUsd < cur) {
      lines.push(`Loosening it to ${fmtMs(looser.slaMs)}: ${fmtUsd(looser.monthlyCostUsd)}/month (${looser.verdict}).`);
    }
    const cheaper = e.sensitivity.deadline.find((p) => p.monthlyCostUsd !== null && cur !== null && p.monthlyCostUsd < cur * (1 - TIE_FRACTION));
    if (cheaper && chosen.mode === 'realtime') {
      lines.push(`If callers accepted an answer within ${fmtDuration(cheaper.deadlineS)}, ${cheaper.verdict} would cost ${fmtUsd(cheaper.monthlyCostUsd)}/month.`);
    }
  }
  if (e.breakEvenRatePerSec !== null) {
    lines.push(`Serverless vs always-on machines breaks even at about ${fmtRate(e.breakEvenRatePerSec)} (mean); this workload runs at ${fmtRate(ctx.traffic.meanRatePerSec)}, so ` +
      `${ctx.traffic.meanRatePerSec > e.breakEvenRatePerSec ? 'always-on machines are cheaper' : 'serverless is cheaper if its limits and cold starts fit'}.`);
  }
  if (ctx.groups.some((g) => g.unstable)) lines.push('Some measured points were unstable (a short or noisy sweep): their figures are indicative; re-measure with longer windows before committing.');
  return lines;
}
