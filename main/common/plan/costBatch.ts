// Scheduled batch: precompute every item once per period inside a window; answers are read from a
// store (the store itself is not priced here).
//   usable seconds per run  = window − setup − boot
//   n        = ceil(items·(1+growth) / (X_offline · usable seconds))
//   run time = setup + boot + items·(1+growth) / (n · X_offline), billed rounded up to the granularity
//   cost     = runs per month (730 h / period) × n × price × billed hours
import { round1, round3, ceilTo, perMillion, roundUsd } from './rounding.ts';
import { fmtDuration, fmtUsd } from './planFigures.ts';
import type { PlanContext } from './planContext.ts';
import { infeasiblePlan } from './costRealtime.ts';
import { chooseOffline } from './offlineCapacity.ts';
import type { OfflineChoice } from './offlineCapacity.ts';
import { HOURS_PER_MONTH } from './traffic.ts';
import type { Plan } from './types.ts';

/** Rule 3 (and the store's coverage): null when batch may serve the workload, else why not. */
export function batchScreen(ctx: PlanContext, forHybrid = false): string | null {
  const w = ctx.workload;
  if (!w.inputsKnownAhead) return 'inputs are not known ahead of time (inputsKnownAhead: false), so nothing can be precomputed';
  if (!w.schedule) return 'no batch schedule given (schedule: periodH, windowH, itemsPerRun)';
  const staleH = w.schedule.periodH + w.schedule.windowH;
  if (w.freshness.toleranceH === undefined) {
    return `freshness.toleranceH not given; precomputed answers are up to ${staleH} h old (period + window)`;
  }
  if (w.freshness.toleranceH < staleH) {
    return `answers may be at most ${w.freshness.toleranceH} h old, but a batch every ${w.schedule.periodH} h with a ${w.schedule.windowH} h window serves answers up to ${staleH} h old`;
  }
  if (!forHybrid && w.callers.synchronous && ctx.traffic.hasTraffic && w.cacheHitShare < 1) {
    return `only ${pct(w.cacheHitShare)} of requests can be answered from the precomputed store (cacheHitShare); the rest need a real-time path (hybrid)`;
  }
  return null;
}

const pct = (x: number) => `${+(x * 100).toFixed(1)}%`;

export interface BatchSizing {
  choice: OfflineChoice;
  replicas: number;
  runSeconds: number;
  billedSeconds: number;
  runsPerMonth: number;
  monthlyUsd: number | null;
  usableSeconds: number;
  arithmetic: string[];
}

/** Sizes one scheduled batch (null with a reason when the window cannot hold the work). */
/** The cheapest batch sizing over the instance types (billing granularity and boot time differ). */
export function sizeBatch(ctx: PlanContext): BatchSizing | string {
  let best: BatchSizing | string = 'no measured configuration runs on the listed instance types';
  for (const it of ctx.instances) {
    const choice = chooseOffline(ctx, it);
    if (!choice) continue;
    const b = sizeBatchOn(ctx, choice);
    if (typeof best === 'string' || (typeof b !== 'string' && (b.monthlyUsd ?? b.replicas) < (best.monthlyUsd ?? best.replicas))) best = b;
  }
  return best;
}

function sizeBatchOn(ctx: PlanContext, choice: OfflineChoice): BatchSizing | string {
  const s = ctx.workload.schedule;
  if (!s) return 'no batch schedule given';
  const it = choice.instance;
  const items = s.itemsPerRun * (1 + ctx.growth);
  const usableSeconds = s.windowH * 3600 - s.setupMin * 60 - it.bootS;
  if (usableSeconds <= 0) return `the ${s.windowH} h window is used up by setup (${s.setupMin} min) and boot (${it.bootS} s)`;
  const x = choice.xOfflinePerSec;
  const replicas = Math.ceil(items / (x * usableSeconds) - 1e-9);
  const runSeconds = s.setupMin * 60 + it.bootS + items / (replicas * x);
  const billedSeconds = ceilTo(runSeconds, it.billingGranularityS);
  const runsPerMonth = HOURS_PER_MONTH / s.periodH;
  const price = it.pricePerHourUsd;
  const monthlyUsd = price === undefined ? null : runsPerMonth * replicas * price * (billedSeconds / 3600);
  const arithmetic = [
    `X_offline = ${x.toFixed(1)} samples/s per ${it.name} replica (${choice.copies > 1 ? `${choice.copies} copies of the measured machine, ` : ''}${choice.group.precision}, batch ${choice.point.batch}, ${choice.group.instances} instance(s) × ${choice.group.threadsPerInstance} thread(s))`,
    `usable seconds per run = ${s.windowH} h × 3600 − ${s.setupMin} min setup × 60 − ${it.bootS} s boot = ${usableSeconds} s`,
    `replicas = ceil(${items.toFixed(0)} items / (${x.toFixed(1)} × ${usableSeconds})) = ${replicas}`,
    `run time = ${s.setupMin * 60} + ${it.bootS} + ${items.toFixed(0)} / (${replicas} × ${x.toFixed(1)}) = ${runSeconds.toFixed(1)} s, billed ${billedSeconds} s (granularity ${it.billingGranularityS} s)`,
    `runs per month = ${HOURS_PER_MONTH} h / ${s.periodH} h = ${runsPerMonth.toFixed(4)}` +
      (price !== undefined ? `; cost = ${runsPerMonth.toFixed(4)} × ${replicas} × $${price}/h × ${(billedSeconds / 3600).toFixed(6)} h = ${fmtUsd(roundUsd(monthlyUsd))}/month` : ''),
  ];
  return { choice, replicas, runSeconds, billedSeconds, runsPerMonth, monthlyUsd, usableSeconds, arithmetic };
}

export function planBatch(ctx: PlanContext): Plan {
  const s = ctx.workload.schedule;
  const monthlyInferences = s ? s.itemsPerRun * (HOURS_PER_MONTH / s.periodH) : 0;
  const base = infeasiblePlan('batch', monthlyInferences);
  const screen = batchScreen(ctx);
  if (screen) return { ...base, reason: screen };
  const sized = sizeBatch(ctx);
  if (typeof sized === 'string') return { ...base, reason: sized };
  return batchPlanFrom(ctx, sized, monthlyInferences);
}

export function batchPlanFrom(ctx: PlanContext, b: BatchSizing, monthlyInferences: number): Plan {
  const s = ctx.workload.schedule!;
  const computeS = b.runSeconds - s.setupMin * 60 - b.choice.instance.bootS;
  const busy = computeS / b.usableSeconds;
  return {
    mode: 'batch', variant: 'scheduled', feasible: true,
    config: {
      precision: b.choice.group.precision, batch: b.choice.point.batch, maxDelayMs: 0, instances: b.choice.group.instances,
      threadsPerInstance: b.choice.group.threadsPerInstance, instanceType: b.choice.instance.name, provider: b.choice.group.provider,
    },
    replicas: b.replicas,
    monthlyCostUsd: roundUsd(b.monthlyUsd),
    costPerMillionUsd: perMillion(b.monthlyUsd, monthlyInferences),
    monthlyInferences,
    predicted: null,
    utilization: round3(busy),
    headroomPct: round1(100 * (1 - busy)),
    bindingConstraint: b.replicas > 1
      ? `the ${s.windowH} h batch window (${b.replicas} replicas needed to finish in time)`
      : `one replica finishes in ${fmtDuration(b.runSeconds)}, well inside the ${s.windowH} h window; cost is billed run time`,
    arithmetic: b.arithmetic,
  };
}
