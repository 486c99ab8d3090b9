// One pass of the planner without sensitivity curves: per-mode plans and the decision. The
// sensitivity curves and relaxations call this with a changed workload.
import type { SweepRunResult } from '../types.ts';
import { planBatch } from './costBatch.ts';
import { planDeferred } from './costDeferred.ts';
import { planHybrid } from './costHybrid.ts';
import { planRealtime } from './costRealtime.ts';
import type { RealtimeChoice } from './costRealtime.ts';
import { serverlessCost, serverlessLoad } from './costServerless.ts';
import { buildContext } from './planContext.ts';
import { roundUsd, perMillion } from './rounding.ts';
import type { PlanContext } from './planContext.ts';
import { decide } from './decide.ts';
import type { Decision } from './decide.ts';
import type { Plan, ServingCalibration } from './types.ts';
import type { Workload } from './workloadSchema.ts';

export interface CoreOptions {
  traceArrivalsMs?: number[];
  simRequests: number;
  simReplications: number;
  seed: number;
  fast?: boolean;
  ignoreAccuracy?: boolean;
  /** serving overhead and jitter for every real-time service model (PlanOptions.serving) */
  serving?: ServingCalibration | null;
}

export interface CoreResult {
  ctx: PlanContext;
  plans: Plan[];
  decision: Decision;
  realtimeChoice: RealtimeChoice | null;
  /** per request, when serverless prices are given */
  serverlessCostPerRequestUsd: number | null;
}

export function planCore(run: SweepRunResult, workload: Workload, o: CoreOptions): CoreResult {
  const ctx = buildContext(run, workload, o);
  const { plan: realtime, choice } = planRealtime(ctx);
  let serverlessPerRequest: number | null = null;
  // serverless as a sub-option of real-time
  if (workload.serverless && ctx.traffic.hasTraffic) {
    const sv = serverlessCost(ctx, {
      monthlyRequests: ctx.traffic.monthlyRequests, peakRatePerSec: ctx.traffic.peakRatePerSec * (1 + ctx.growth), realtime: true,
    });
    if (sv) {
      serverlessPerRequest = sv.costPerRequestUsd;
      if (realtime.feasible || realtime.config === null) {
        const alt = { variant: 'serverless' as const, feasible: sv.feasible && realtime.feasible, monthlyCostUsd: roundUsd(sv.monthlyUsd), replicas: 0, reason: sv.reason };
        realtime.alternatives = [...(realtime.alternatives ?? []), alt];
        realtime.arithmetic.push(...sv.arithmetic.map((l) => `serverless: ${l}`));
        if (realtime.feasible && sv.feasible && sv.monthlyUsd !== null && realtime.monthlyCostUsd !== null && sv.monthlyUsd < realtime.monthlyCostUsd) {
          realtime.variant = 'serverless';
          realtime.monthlyCostUsd = roundUsd(sv.monthlyUsd);
          realtime.costPerMillionUsd = perMillion(sv.monthlyUsd, realtime.monthlyInferences);
          realtime.replicas = 0;
          realtime.replicasByHour = undefined;
          if (realtime.config) realtime.config = { ...realtime.config, batch: 1, maxDelayMs: 0, instanceType: 'serverless' };
          // the fleet's figures (utilisation, headroom, capacity per replica, sizing lines) describe
          // machines this variant does not run: its only capacity is the concurrency limit
          const load = serverlessLoad(ctx, sv, {
            peakRatePerSec: ctx.traffic.peakRatePerSec,
            cheaper: `serverless is cheaper than always-on machines at ${ctx.traffic.meanRatePerSec.toFixed(2)} req/s`,
          });
          realtime.utilization = load.utilization;
          realtime.headroomPct = load.headroomPct;
          realtime.bindingConstraint = load.bindingConstraint;
          realtime.concurrencyAtPeak = round4(load.concurrencyAtPeak);
          realtime.concurrencyLimit = load.concurrencyLimit;
          realtime.capacityPerReplicaPerSec = undefined;
          realtime.usableUtilization = undefined;
          realtime.summary = undefined;
        }
      }
    }
  }
  const plans = [realtime, planDeferred(ctx), planBatch(ctx), planHybrid(ctx)];
  return { ctx, plans, decision: decide(plans, workload), realtimeChoice: choice, serverlessCostPerRequestUsd: serverlessPerRequest };
}

const round4 = (x: number) => Number(x.toPrecision(4));

/** Cost of the chosen plan (or null) for a changed workload; used by the sensitivity curves. */
export function chosenCost(r: CoreResult): number | null {
  return r.decision.chosen?.monthlyCostUsd ?? null;
}
