// Hybrid: precompute the known items in a scheduled batch, serve cache misses (new users, fresh
// items) in real time. cost = batch cost + real-time cost at (1 − cacheHitShare) of the traffic.
import { batchPlanFrom, batchScreen, sizeBatch } from './costBatch.ts';
import { infeasiblePlan, planRealtime, realtimeScreen } from './costRealtime.ts';
import type { PlanContext } from './planContext.ts';
import { perMillion, roundUsd } from './rounding.ts';
import { HOURS_PER_MONTH } from './traffic.ts';
import type { Plan } from './types.ts';

export function hybridScreen(ctx: PlanContext): string | null {
  const w = ctx.workload;
  if (!w.callers.synchronous) return 'callers do not need a synchronous answer, so misses can simply wait for the next batch';
  if (!ctx.traffic.hasTraffic) return 'no request traffic given (traffic:)';
  if (w.cacheHitShare <= 0) return 'no request can be answered from a precomputed store (cacheHitShare: 0)';
  if (w.cacheHitShare >= 1) return 'every request is answered from the precomputed store (cacheHitShare: 1): that is plain batch';
  return batchScreen(ctx, true) ?? realtimeScreen(ctx);
}

export function planHybrid(ctx: PlanContext): Plan {
  const w = ctx.workload;
  const missShare = 1 - w.cacheHitShare;
  const batchInferences = w.schedule ? w.schedule.itemsPerRun * (HOURS_PER_MONTH / w.schedule.periodH) : 0;
  const monthlyInferences = batchInferences + ctx.traffic.monthlyRequests * missShare;
  const base = infeasiblePlan('hybrid', monthlyInferences);
  const screen = hybridScreen(ctx);
  if (screen) return { ...base, reason: screen };
  const sized = sizeBatch(ctx);
  if (typeof sized === 'string') return { ...base, reason: `batch part: ${sized}` };
  const batch = batchPlanFrom(ctx, sized, batchInferences);
  const rt = planRealtime(ctx, missShare, null).plan;
  if (!rt.feasible) return { ...base, reason: `real-time part: ${rt.reason}` };
  const monthly = batch.monthlyCostUsd === null || rt.monthlyCostUsd === null ? null : batch.monthlyCostUsd + rt.monthlyCostUsd;
  return {
    ...rt,
    mode: 'hybrid',
    variant: rt.variant === 'autoscaled' ? 'batch+autoscaled' : 'batch+fixed',
    monthlyCostUsd: roundUsd(monthly),
    costPerMillionUsd: perMillion(monthly, monthlyInferences),
    monthlyInferences,
    bindingConstraint: `real-time path: ${rt.bindingConstraint}; batch path: ${batch.bindingConstraint}`,
    arithmetic: [
      `batch part (every known item each ${w.schedule!.periodH} h): ${batch.monthlyCostUsd === null ? 'cost unknown' : `$${batch.monthlyCostUsd.toFixed(2)}/month`}`,
      ...batch.arithmetic.map((l) => `  ${l}`),
      `real-time part (${+(missShare * 100).toFixed(1)}% cache misses): ${rt.monthlyCostUsd === null ? 'cost unknown' : `$${rt.monthlyCostUsd.toFixed(2)}/month`}`,
      ...rt.arithmetic.map((l) => `  ${l}`),
    ],
    batchPart: batch,
  };
}
