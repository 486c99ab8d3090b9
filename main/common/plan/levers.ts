// What would make an infeasible workload feasible: levers for an SLA real-time cannot meet even
// at zero load, and the cheapest relaxation when every feasible plan is over budget.
import type { SweepRunResult } from '../types.ts';
import { zeroLoad } from './costRealtime.ts';
import { fmtMs, fmtUsd, fmtDuration } from './planFigures.ts';
import { servingOverheadMs } from './planContext.ts';
import type { PlanContext } from './planContext.ts';
import { selectCurves, servicePercentileMs } from './curves.ts';
import { overBudget } from './decide.ts';
import { planCore } from './planCore.ts';
import type { CoreOptions, CoreResult } from './planCore.ts';
import type { PlanResult, Relaxation } from './types.ts';
import type { Workload } from './workloadSchema.ts';

/** Gap (ms) between the fastest zero-load latency and the budget; null when real-time fits at zero load. */
export function slaGapMs(ctx: PlanContext): number | null {
  const z = zeroLoad(ctx);
  if (!z) return null;
  const gap = z.serviceMs - ctx.budgetMs;
  return gap > 0 ? Math.round(gap * 100) / 100 : null;
}

/** Levers for an SLA that real-time misses at zero load: int8, smaller batch, faster hardware. */
export function slaLevers(ctx: PlanContext, run: SweepRunResult): Relaxation[] {
  const w = ctx.workload;
  const pct = w.sla.percentile;
  const z = zeroLoad(ctx);
  const out: Relaxation[] = [];
  if (ctx.budgetMs <= 0) {
    out.push({
      lever: 'looser-sla', monthlyCostUsd: null, fitsBudget: false,
      change: `network, pre/post-processing and upload take ${fmtMs(ctx.outsideMs)}, all of the ${fmtMs(w.sla.slaMs)} SLA: cut them or loosen the SLA`,
    });
    return out;
  }
  if (!z) return out;
  // int8 (measured or not)
  const all = selectCurves(run, w, { ignoreAccuracy: true }).groups;
  const int8 = all.filter((g) => g.precision.startsWith('int8'));
  if (int8.length) {
    const best = (Math.min(...int8.map((g) => servicePercentileMs(g.points[0], pct))) + servingOverheadMs(ctx)) / z.instance.speedFactor;
    const allowed = ctx.groups.some((g) => g.precision.startsWith('int8'));
    out.push({
      lever: 'lower-precision', monthlyCostUsd: null, fitsBudget: false,
      change: `int8 measured at ${fmtMs(best)} (p${pct}, batch 1)${best <= ctx.budgetMs ? ', which fits' : `, still ${fmtMs(best - ctx.budgetMs)} over`}` +
        (allowed ? '' : ' — but it is outside the accuracy budget or accuracy.precisions'),
    });
  } else {
    out.push({
      lever: 'lower-precision', monthlyCostUsd: null, fitsBudget: false,
      change: `int8 not measured: run \`kneepoint sweep --model ${w.model.id} --precision fp32,int8\` (MatMul-heavy models ran 3-5x faster in int8 on CPU)`,
    });
  }
  const b0 = z.group.points[0].batch;
  out.push({
    lever: 'smaller-batch', monthlyCostUsd: null, fitsBudget: false,
    change: b0 > 1
      ? `the smallest measured batch is ${b0}; measure batch 1`
      : `already at batch 1 (${fmtMs(z.serviceMs)}); batching cannot go below one request's time`,
  });
  const needed = (z.serviceMs / ctx.budgetMs) * z.instance.speedFactor;
  out.push({
    lever: 'faster-hardware', monthlyCostUsd: null, fitsBudget: false,
    change: `an instance at least ${needed.toFixed(2)}× as fast as the measured machine for this model (speedFactor ≥ ${needed.toFixed(2)}), or a GPU run`,
  });
  return out;
}

/** Relaxations when every feasible plan is over budget; the cheapest one that fits comes first. */
export function budgetRelaxations(run: SweepRunResult, core: CoreResult, sensitivity: PlanResult['sensitivity'] | null, o: CoreOptions): Relaxation[] {
  const w = core.ctx.workload;
  const budget = w.budget;
  if (!budget) return [];
  const fitsUsd = (usd: number | null) => usd !== null && (budget.monthlyUsd === undefined || usd <= budget.monthlyUsd);
  const out: Relaxation[] = [];
  if (sensitivity) {
    const sla = sensitivity.sla.find((p) => p.slaMs > w.sla.slaMs && fitsUsd(p.monthlyCostUsd));
    if (sla) out.push({ lever: 'looser-sla', change: `loosen the SLA to p${w.sla.percentile} ≤ ${fmtMs(sla.slaMs)} (${sla.verdict})`, monthlyCostUsd: sla.monthlyCostUsd, fitsBudget: true });
    const current = w.freshness.deadlineS ?? 0;
    const dl = sensitivity.deadline.find((p) => p.deadlineS > current && fitsUsd(p.monthlyCostUsd));
    if (dl) out.push({ lever: 'longer-deadline', change: `accept answers within ${fmtDuration(dl.deadlineS)} (${dl.verdict})`, monthlyCostUsd: dl.monthlyCostUsd, fitsBudget: true });
  }
  if (core.ctx.selection.excluded.length) {
    const r = planCore(run, w, { ...o, fast: true, ignoreAccuracy: true });
    const c = r.decision.chosen ?? r.decision.cheapest;
    if (c && c.monthlyCostUsd !== null) {
      out.push({
        lever: 'lower-precision',
        change: `allow ${core.ctx.selection.excluded.map((e) => e.precision).join(', ')} (now excluded: ${core.ctx.selection.excluded.map((e) => e.why).join('; ')})`,
        monthlyCostUsd: c.monthlyCostUsd, fitsBudget: !overBudget(c, w),
      });
    }
  }
  const cheapest = core.decision.cheapest;
  if (cheapest?.monthlyCostUsd && cheapest.config && budget.monthlyUsd !== undefined) {
    const it = core.ctx.instances.find((i) => i.name === cheapest.config!.instanceType);
    if (it?.pricePerHourUsd !== undefined) {
      const ratio = budget.monthlyUsd / cheapest.monthlyCostUsd;
      out.push({
        lever: 'other-instance', monthlyCostUsd: null, fitsBudget: false,
        change: `an instance type as fast as ${it.name} at ≤ $${(it.pricePerHourUsd * ratio).toFixed(4)}/h (now $${it.pricePerHourUsd}/h), or ${(1 / ratio).toFixed(2)}× faster at the same price`,
      });
    }
  }
  out.sort((a, b) => Number(b.fitsBudget) - Number(a.fitsBudget) || (a.monthlyCostUsd ?? Infinity) - (b.monthlyCostUsd ?? Infinity));
  return out;
}

export function describeRelaxation(r: Relaxation): string {
  return `${r.change}${r.monthlyCostUsd !== null ? ` → ${fmtUsd(r.monthlyCostUsd)}/month` : ''}`;
}
