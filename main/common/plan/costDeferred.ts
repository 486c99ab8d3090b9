// Deferred online (submit a job, poll or get a callback before a deadline T).
//   required rate r = max over windows τ of α(τ) / (τ + T − s)       (α = arrivals in the busiest τ)
//   fleet       n = ceil(r·(1+growth) / (u · X_offline)),  u = 0.85 (instances run near batch capacity)
//   scale to zero (when T ≥ boot + s): each hour's work w(h) = λ(h)·(1+growth)·3600 / (u·X_offline)
//               machine-seconds runs on n(h) replicas, each billed ceil(w(h)/n(h) + boot) to the
//               granularity; cost = days × Σ_h n(h) · billed(h) · price / 3600
//   always on:  n · price · 730 h (used when T is too short to boot, or when cheaper)
import { round1, round2, round3, ceilTo, perMillion, roundUsd } from './rounding.ts';
import { fmtDuration, fmtUsd } from './planFigures.ts';
import type { PlanContext } from './planContext.ts';
import { infeasiblePlan } from './costRealtime.ts';
import { serverlessCost, serverlessLoad } from './costServerless.ts';
import { chooseOffline } from './offlineCapacity.ts';
import type { OfflineChoice } from './offlineCapacity.ts';
import { arrivalsInWindow, DAYS_PER_MONTH, HOURS_PER_MONTH } from './traffic.ts';
import type { Plan } from './types.ts';

export const DEFERRED_UTILIZATION = 0.85;
const WINDOWS_S = [0.1, 1, 10, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400];

/** Rule 2: null when deferred may serve the workload, else why not. */
export function deferredScreen(ctx: PlanContext): string | null {
  const w = ctx.workload;
  const tooLarge = w.payload.syncMaxBytes !== undefined && w.payload.requestBytes > w.payload.syncMaxBytes;
  const canWait = !w.callers.synchronous || w.callers.acceptsAsync || tooLarge;
  if (!canWait) return 'callers need a synchronous answer and do not accept a job id (callers.acceptsAsync: false)';
  if (!ctx.traffic.hasTraffic) return 'no request stream (traffic:); the work arrives as one batch per period';
  if (w.freshness.deadlineS === undefined) return 'no deadline given (freshness.deadlineS)';
  return null;
}

/** r(T): the processing rate that finishes every job within T seconds (fluid model over windows). */
export function requiredRatePerSec(ctx: PlanContext, deadlineS: number, serviceS: number, hour?: number): number {
  const t = ctx.traffic;
  const hourly = t.hourlyRatePerSec;
  let r = 0;
  for (const tau of WINDOWS_S) {
    let alpha: number;
    if (tau <= 3600) {
      const rate = hour !== undefined && hourly ? hourly[hour] : t.peakRatePerSec;
      alpha = arrivalsInWindow(rate, t.cv, tau);
    } else if (hour !== undefined) {
      continue;
    } else if (hourly) {
      const hours = Math.round(tau / 3600);
      let bestSum = 0;
      for (let h0 = 0; h0 < 24; h0++) {
        let sum = 0;
        for (let i = 0; i < hours; i++) sum += hourly[(h0 + i) % 24];
        bestSum = Math.max(bestSum, sum);
      }
      alpha = bestSum * 3600;
    } else {
      // peak hour, then the mean: the most work any window of length τ can hold without a profile
      alpha = t.peakRatePerSec * 3600 + t.meanRatePerSec * (tau - 3600);
    }
    r = Math.max(r, alpha / (tau + deadlineS - serviceS));
  }
  return r;
}

/** The cheapest deferred plan over the instance types (fleet size, boot time and billing differ). */
export function planDeferred(ctx: PlanContext): Plan {
  const monthlyInferences = ctx.traffic.monthlyRequests;
  const base = infeasiblePlan('deferred', monthlyInferences);
  const screen = deferredScreen(ctx);
  if (screen) return { ...base, reason: screen };
  let best: Plan | null = null;
  for (const it of ctx.instances) {
    const choice = chooseOffline(ctx, it);
    if (!choice) continue;
    const p = deferredOn(ctx, choice, base);
    const cost = (x: Plan) => x.monthlyCostUsd ?? Infinity;
    if (!best || (p.feasible && !best.feasible) || (p.feasible === best.feasible && cost(p) < cost(best))) best = p;
  }
  return best ?? { ...base, reason: 'no measured configuration runs on the listed instance types' };
}

function deferredOn(ctx: PlanContext, choice: OfflineChoice, base: Plan): Plan {
  const monthlyInferences = ctx.traffic.monthlyRequests;
  const T = ctx.workload.freshness.deadlineS!;
  const it = choice.instance;
  const x = choice.xOfflinePerSec;
  const sS = choice.batchP99Ms / 1000;
  if (T <= sS) return { ...base, reason: `the ${T} s deadline is shorter than one batch's service time (${fmtDuration(sS)})` };
  const g = 1 + ctx.growth;
  const u = DEFERRED_UTILIZATION;
  const r = requiredRatePerSec(ctx, T, sS) * g;
  const n = Math.ceil(r / (u * x) - 1e-9);
  const price = it.pricePerHourUsd;
  const alwaysOnUsd = price === undefined ? null : n * price * HOURS_PER_MONTH;
  const canScaleToZero = T >= it.bootS + sS;
  let scaleUsd: number | null = null;
  const lines = [
    `X_offline = ${x.toFixed(1)} samples/s per ${it.name} replica; run at u = ${u} → ${(u * x).toFixed(1)}/s`,
    `required rate r = max over windows τ of α(τ)/(τ + ${T} s − ${sS.toFixed(3)} s) × ${g} growth = ${r.toFixed(2)}/s → fleet at peak n = ceil(${r.toFixed(2)} / ${(u * x).toFixed(1)}) = ${n}`,
  ];
  if (canScaleToZero) {
    const hourly = ctx.traffic.hourlyRatePerSec ?? new Array(24).fill(ctx.traffic.meanRatePerSec);
    let billedSecondsPerDay = 0;
    for (let h = 0; h < 24; h++) {
      if (hourly[h] <= 0) continue;
      const work = (hourly[h] * g * 3600) / (u * x);
      const nh = Math.max(Math.ceil(work / 3600 - 1e-9), Math.ceil((requiredRatePerSec(ctx, T, sS, h) * g) / (u * x) - 1e-9), 1);
      billedSecondsPerDay += nh * ceilTo(work / nh + it.bootS, it.billingGranularityS);
    }
    scaleUsd = price === undefined ? null : DAYS_PER_MONTH * (billedSecondsPerDay / 3600) * price;
    lines.push(`scale to zero: ${(billedSecondsPerDay / 3600).toFixed(3)} billed machine-hours/day (work + one ${it.bootS} s boot per active replica-hour)` +
      (price !== undefined ? ` × $${price}/h × ${DAYS_PER_MONTH.toFixed(4)} days = ${fmtUsd(roundUsd(scaleUsd))}/month` : ''));
  } else {
    lines.push(`the ${T} s deadline is shorter than a ${it.bootS} s boot: replicas must stay on`);
  }
  if (alwaysOnUsd !== null) lines.push(`always on: ${n} × $${price}/h × ${HOURS_PER_MONTH} h = ${fmtUsd(roundUsd(alwaysOnUsd))}/month`);
  const useScale = canScaleToZero && (price === undefined || (scaleUsd !== null && alwaysOnUsd !== null && scaleUsd <= alwaysOnUsd));
  const monthly = useScale ? scaleUsd : alwaysOnUsd;
  const sv = serverlessCost(ctx, { monthlyRequests: monthlyInferences, peakRatePerSec: ctx.traffic.peakRatePerSec * g, realtime: false, deadlineS: T });
  const alternatives: NonNullable<Plan['alternatives']> = [
    { variant: 'fixed', feasible: true, monthlyCostUsd: roundUsd(alwaysOnUsd), replicas: n },
    ...(canScaleToZero ? [{ variant: 'scale-to-zero' as const, feasible: true, monthlyCostUsd: roundUsd(scaleUsd), replicas: n }] : []),
  ];
  let variant: Plan['variant'] = useScale ? 'scale-to-zero' : 'fixed';
  let chosenUsd = monthly;
  if (sv) {
    alternatives.push({ variant: 'serverless', feasible: sv.feasible, monthlyCostUsd: roundUsd(sv.monthlyUsd), replicas: 0, reason: sv.reason });
    lines.push(...sv.arithmetic.map((l) => `serverless: ${l}`));
    if (sv.feasible && sv.monthlyUsd !== null && chosenUsd !== null && sv.monthlyUsd < chosenUsd) {
      variant = 'serverless';
      chosenUsd = sv.monthlyUsd;
    }
  }
  const busy = r / (n * x);
  // a serverless variant runs no fleet: its load is the share of the concurrency limit it uses
  const load = variant === 'serverless' && sv
    ? serverlessLoad(ctx, sv, { peakRatePerSec: ctx.traffic.peakRatePerSec, cheaper: 'cheaper than a fleet of machines for this traffic' })
    : null;
  return {
    mode: 'deferred', variant, feasible: true,
    config: variant === 'serverless'
      ? { precision: choice.group.precision, batch: 1, maxDelayMs: 0, instances: 1, threadsPerInstance: choice.group.threadsPerInstance, instanceType: 'serverless', provider: choice.group.provider }
      : {
          precision: choice.group.precision, batch: choice.point.batch, maxDelayMs: 0, instances: choice.group.instances,
          threadsPerInstance: choice.group.threadsPerInstance, instanceType: it.name, provider: choice.group.provider,
        },
    replicas: variant === 'serverless' ? 0 : n,
    monthlyCostUsd: roundUsd(chosenUsd),
    costPerMillionUsd: perMillion(chosenUsd, monthlyInferences),
    monthlyInferences,
    // completion time: a job waits at most for the window it arrived in; the deadline bounds it by design
    predicted: { p50Ms: round2(choice.batchP50Ms), p99Ms: round2(T * 1000), p99BandMs: [round2(choice.batchP99Ms), round2(T * 1000)] },
    utilization: load ? load.utilization : round3(busy),
    headroomPct: load ? load.headroomPct : round1(100 * (1 - busy)),
    bindingConstraint: load ? load.bindingConstraint : `the ${fmtDuration(T)} deadline over the busiest window (${ctx.traffic.peakSource})`,
    ...(load ? { concurrencyAtPeak: Number(load.concurrencyAtPeak.toPrecision(4)), concurrencyLimit: load.concurrencyLimit } : {}),
    arithmetic: lines,
    alternatives,
  };
}
