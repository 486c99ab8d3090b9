// Serverless (functions billed per request and per GB-second): a sub-option of real-time and deferred.
//   duration  = mean batch-1 service time / serverless speedFactor, rounded up to the billing step
//   cost/req  = price per request + memoryGiB × duration(s) × price per GB-s
//   monthly   = V × cost/req
// Checks: payload and duration limits, concurrency at peak, and (real-time) the cold-start tail.
// Load: no fleet runs, so utilisation is the share of the concurrency limit used at today's peak.
import { fmtBytes, fmtShare, fmtMs, fmtRate, fmtUsd } from './planFigures.ts';
import { round1, roundShare, ceilTo, roundUsd } from './rounding.ts';
import type { PlanContext } from './planContext.ts';
import { servicePercentileMs } from './curves.ts';
import type { CurveGroup } from './curves.ts';

export interface ServerlessCost {
  feasible: boolean;
  reason?: string;
  /** per request, USD (null without prices) */
  costPerRequestUsd: number | null;
  monthlyUsd: number | null;
  billedDurationMs: number;
  /** mean duration of one request on a function (batch 1, warm), ms */
  durationMs: number;
  /** warm latency at the SLA percentile (model only), ms */
  warmPctMs: number;
  arithmetic: string[];
}

/** Batch-1 single-instance group: what one function instance runs. */
function functionGroup(ctx: PlanContext): CurveGroup | null {
  const cands = ctx.groups.filter((g) => g.points[0].batch === 1 && g.provider === 'cpu');
  if (!cands.length) return null;
  return cands.reduce((a, b) => (b.points[0].meanMs < a.points[0].meanMs ? b : a));
}

export function serverlessCost(ctx: PlanContext, o: { monthlyRequests: number; peakRatePerSec: number; realtime: boolean; deadlineS?: number }): ServerlessCost | null {
  const sv = ctx.workload.serverless;
  if (!sv) return null;
  const g = functionGroup(ctx);
  const none = { costPerRequestUsd: null, monthlyUsd: null, billedDurationMs: 0, durationMs: 0, warmPctMs: 0, arithmetic: [] };
  if (!g) return { feasible: false, reason: 'no batch-1 CPU measurement to run as a function', ...none };
  const pct = ctx.workload.sla.percentile;
  const meanMs = g.points[0].meanMs / sv.speedFactor;
  const billedDurationMs = ceilTo(meanMs, sv.billingGranularityMs);
  const warmPctMs = servicePercentileMs(g.points[0], pct) / sv.speedFactor;
  const priced = sv.pricePerMillionRequestsUsd !== undefined && sv.pricePerGbSecondUsd !== undefined;
  const costPerRequestUsd = priced
    ? sv.pricePerMillionRequestsUsd! / 1e6 + sv.memoryGiB * (billedDurationMs / 1000) * sv.pricePerGbSecondUsd!
    : null;
  const monthlyUsd = costPerRequestUsd === null ? null : costPerRequestUsd * o.monthlyRequests;
  const arithmetic = [
    `function duration = ${g.points[0].meanMs.toFixed(2)} ms / speed ${sv.speedFactor} = ${meanMs.toFixed(2)} ms, billed ${billedDurationMs} ms`,
    costPerRequestUsd === null
      ? 'serverless prices not given: cost unknown'
      : `cost per request = $${sv.pricePerMillionRequestsUsd}/1M + ${sv.memoryGiB} GiB × ${(billedDurationMs / 1000).toFixed(4)} s × $${sv.pricePerGbSecondUsd}/GB-s = ${perMillionText(costPerRequestUsd)}; ` +
        `× ${Math.round(o.monthlyRequests).toLocaleString('en-US')} requests = ${fmtUsd(roundUsd(monthlyUsd))}/month`,
  ];
  const res: ServerlessCost = { feasible: true, costPerRequestUsd, monthlyUsd, billedDurationMs, durationMs: meanMs, warmPctMs, arithmetic };
  const w = ctx.workload;
  const fail = (reason: string): ServerlessCost => ({ ...res, feasible: false, reason });
  if (sv.maxPayloadBytes !== undefined && w.payload.requestBytes > sv.maxPayloadBytes) {
    return fail(`requests of ${fmtBytes(w.payload.requestBytes)} exceed the ${fmtBytes(sv.maxPayloadBytes)} function payload limit`);
  }
  if (sv.maxDurationS !== undefined && meanMs / 1000 > sv.maxDurationS) {
    return fail(`one inference takes ${fmtMs(meanMs)}, over the ${sv.maxDurationS} s function time limit`);
  }
  const concurrency = o.peakRatePerSec * (meanMs / 1000);
  if (sv.maxConcurrency !== undefined && concurrency > sv.maxConcurrency) {
    return fail(`the peak needs ${Math.ceil(concurrency)} concurrent functions, over the limit of ${sv.maxConcurrency}`);
  }
  if (o.realtime) {
    if (warmPctMs > ctx.budgetMs) return fail(`a warm function takes ${fmtMs(warmPctMs)} at p${pct}, over the ${fmtMs(ctx.budgetMs)} budget`);
    const tailShare = 1 - pct / 100;
    if (sv.coldStartShare > tailShare && warmPctMs + sv.coldStartMs > ctx.budgetMs) {
      return fail(`${+(sv.coldStartShare * 100).toFixed(2)}% of requests hit a ${fmtMs(sv.coldStartMs)} cold start, more than the ${+(tailShare * 100).toFixed(2)}% ` +
        `that p${pct} may exceed, so p${pct} ≈ ${fmtMs(warmPctMs + sv.coldStartMs)} > ${fmtMs(ctx.budgetMs)}`);
    }
  } else if (o.deadlineS !== undefined && (sv.coldStartMs + meanMs) / 1000 > o.deadlineS) {
    return fail(`a cold start (${fmtMs(sv.coldStartMs)}) plus one inference does not fit the ${o.deadlineS} s deadline`);
  }
  return res;
}

export interface ServerlessLoad {
  /** concurrencyAtPeak / concurrencyLimit, or 0 without a limit (nothing to fill) */
  utilization: number;
  headroomPct: number;
  /** functions running at once at today's peak: rate × function duration */
  concurrencyAtPeak: number;
  /** the provider's limit (serverless.maxConcurrency), when given */
  concurrencyLimit?: number;
  bindingConstraint: string;
}

/**
 * Utilisation, headroom and binding constraint of a serverless variant. It runs no always-on
 * fleet (replicas 0), so the fleet's figures mean nothing here: the only capacity is the
 * provider's concurrency limit. With `maxConcurrency`, utilisation = functions running at once at
 * today's peak / the limit (headroom = 1 − that); without one, utilisation 0 and the binding
 * constraint says that it scales per request. `cheaper` says why serverless was chosen.
 */
export function serverlessLoad(ctx: PlanContext, sv: ServerlessCost, o: { peakRatePerSec: number; cheaper: string }): ServerlessLoad {
  const limit = ctx.workload.serverless?.maxConcurrency;
  const concurrencyAtPeak = o.peakRatePerSec * (sv.durationMs / 1000);
  const busy = concurrencyAtPeak < 0.01 ? 'under 0.01' : `about ${concurrencyAtPeak < 10 ? +concurrencyAtPeak.toPrecision(2) : Math.round(concurrencyAtPeak)}`;
  const atPeak = `${busy} functions busy at once at today's peak of ${fmtRate(o.peakRatePerSec)}`;
  if (limit === undefined) {
    return {
      utilization: 0, headroomPct: 100, concurrencyAtPeak,
      bindingConstraint: `per-request price: functions scale per request, no fleet to fill (${atPeak}; no concurrency limit given); ${o.cheaper}`,
    };
  }
  const u = concurrencyAtPeak / limit;
  return {
    utilization: roundShare(u), headroomPct: round1(100 * (1 - u)), concurrencyAtPeak, concurrencyLimit: limit,
    bindingConstraint: `per-request price: functions scale per request (${atPeak}, ${fmtShare(u)} of the concurrency limit of ${limit}); ${o.cheaper}`,
  };
}

/**
 * Break-even mean rate between always-on real-time (fixed fleet at X_slo) and serverless: the
 * lowest rate (requests/s) above which always-on is cheaper. Null when either price is missing.
 */
export function breakEvenRatePerSec(o: {
  costPerRequestUsd: number | null; pricePerHourUsd: number | undefined; xSloPerSec: number;
  peakToMean: number; growth: number; minReplicas: number; spares: number;
}): number | null {
  if (o.costPerRequestUsd === null || o.costPerRequestUsd <= 0 || o.pricePerHourUsd === undefined || !(o.xSloPerSec > 0)) return null;
  const alwaysOn = (mean: number) =>
    (Math.max(o.minReplicas, Math.ceil((mean * o.peakToMean * (1 + o.growth)) / o.xSloPerSec - 1e-9)) + o.spares) * o.pricePerHourUsd! * 730;
  const serverless = (mean: number) => mean * 3600 * 730 * o.costPerRequestUsd!;
  // serverless grows linearly, always-on in steps; find the first rate where serverless costs more
  let lo = 1e-6;
  let hi = 1e-6;
  while (serverless(hi) <= alwaysOn(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e9) return null;
  }
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (serverless(mid) <= alwaysOn(mid)) lo = mid;
    else hi = mid;
  }
  return Math.round(hi * 1e6) / 1e6;
}

/** A per-request price as people read it: "$0.22 per million requests" (never "$2.2e-7"). */
export function perMillionText(costPerRequestUsd: number): string {
  const m = costPerRequestUsd * 1e6;
  return `$${m >= 100 ? Math.round(m).toLocaleString('en-US') : m >= 0.01 ? m.toFixed(2) : m.toPrecision(2)} per million requests`;
}
