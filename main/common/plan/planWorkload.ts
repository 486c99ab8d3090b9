// Entry point of the planner: measured curves + workload → verdict, plans, explanation, curves.
import { invalidInput } from '../errors.ts';
import type { SweepRunResult } from '../types.ts';
import { breakEvenRatePerSec } from './costServerless.ts';
import { rankPlans } from './decide.ts';
import { explain } from './explain.ts';
import { budgetRelaxations, slaGapMs, slaLevers } from './levers.ts';
import { planCore } from './planCore.ts';
import type { CoreOptions } from './planCore.ts';
import { deadlineCurve, slaCurve } from './sensitivity.ts';
import { planServing } from './serving.ts';
import type { PlanOptions, PlanResult, Relaxation } from './types.ts';
import type { Workload } from './workloadSchema.ts';

// Capacity probes: a few short independent replications per rate, judged on the upper 95 % bound
// of the SLA percentile (PLANNER.md). 4 × 2000 keeps a cold plan of a shipped workload well under
// a second on 2 cores (bench/planner.bench.ts); the sensitivity curves re-plan 19 times with 3 × 1000.
const DEFAULT_SIM_REQUESTS = 2000;
const DEFAULT_SIM_REPLICATIONS = 4;
const SENSITIVITY_SIM_REQUESTS = 1000;
const SENSITIVITY_SIM_REPLICATIONS = 3;

/**
 * Plans how to serve `workload` from the measured curves of `run`: one plan per mode (real-time,
 * deferred, batch, hybrid), the verdict by PLANNER.md's decision rules, a plain-language
 * explanation, cost-vs-SLA and cost-vs-deadline curves, the serverless break-even rate and the
 * speed-factor uncertainty. Pure and deterministic for a given seed; cached capacity searches make
 * repeated calls (what-if sliders) fast.
 */
export function planWorkload(run: SweepRunResult, workload: Workload, opts: PlanOptions = {}): PlanResult {
  const usable = run.points.filter((p) => p.status !== 'failed');
  if (!usable.length) throw invalidInput(`run ${run.runId} has no usable measurements (all points failed); run a sweep of ${workload.model.id} first`);
  const o: CoreOptions = {
    traceArrivalsMs: opts.traceArrivalsMs, simRequests: opts.simRequests ?? DEFAULT_SIM_REQUESTS,
    simReplications: opts.simReplications ?? DEFAULT_SIM_REPLICATIONS, seed: opts.seed ?? 1,
    ...(opts.serving !== undefined ? { serving: opts.serving } : {}),
  };
  const core = planCore(run, workload, o);
  if (!core.ctx.groups.length) {
    const why = core.ctx.selection.excluded.map((e) => `${e.precision}: ${e.why}`).join('; ');
    throw invalidInput(`no measured configuration of run ${run.runId} is allowed by the workload (${why}); allow fp32 under accuracy.precisions`);
  }
  const { ctx, decision } = core;
  const fastO: CoreOptions = {
    ...o, simRequests: Math.min(o.simRequests, SENSITIVITY_SIM_REQUESTS), simReplications: Math.min(o.simReplications, SENSITIVITY_SIM_REPLICATIONS),
  };
  const sensitivity = opts.skipSensitivity ? null : { sla: slaCurve(run, workload, fastO), deadline: deadlineCurve(run, workload, fastO) };

  const gap = workload.callers.synchronous ? slaGapMs(ctx) : null;
  const noRoom = workload.callers.synchronous && ctx.budgetMs <= 0;
  let relaxations: Relaxation[] = [];
  if (gap !== null || noRoom) relaxations = slaLevers(ctx, run);
  if (decision.budgetExceeded) relaxations = [...budgetRelaxations(run, core, sensitivity, fastO), ...relaxations];

  const rt = core.realtimeChoice;
  const t = ctx.traffic;
  const breakEven = rt && workload.serverless
    ? breakEvenRatePerSec({
        costPerRequestUsd: core.serverlessCostPerRequestUsd, pricePerHourUsd: rt.instance.pricePerHourUsd, xSloPerSec: rt.xSloPerReplica,
        peakToMean: t.meanRatePerSec > 0 ? t.peakRatePerSec / t.meanRatePerSec : 1, growth: ctx.growth,
        minReplicas: workload.autoscaling.minReplicas, spares: workload.redundancyReplicas,
      })
    : null;
  const chosenInstance = decision.chosen?.config?.instanceType;
  const it = ctx.instances.find((i) => i.name === chosenInstance);
  const uncertaintyPct = it && !it.measuredHere ? it.speedUncertaintyPct : 0;
  const plans = rankPlans(core.plans, decision.chosen);
  const mismatch = run.model?.id && run.model.id !== workload.model.id
    ? { run: run.model.id, workload: workload.model.id, ...(opts.modelMapped ? { mapped: true } : {}) } : undefined;
  const serving = opts.serving === undefined ? undefined : planServing(opts.serving);
  const explanation = explain({ ctx, decision, plans, sensitivity, breakEvenRatePerSec: breakEven, uncertaintyPct, relaxations, slaGapMs: gap, serving });
  if (mismatch?.mapped) {
    explanation.unshift(`Mapped model: ${mismatch.workload} is planned with the curves measured for ${mismatch.run} (run ${run.runId}), as you asked; every figure below is ${mismatch.run}'s.`);
  } else if (mismatch) {
    explanation.unshift(`WARNING: these curves measured ${mismatch.run}, but the workload runs ${mismatch.workload}: every figure below is for the wrong model. ` +
      `Plan on a sweep of ${mismatch.workload} (kneepoint sweep --model ${mismatch.workload}) before using this plan.`);
  }
  return {
    verdict: decision.verdict,
    plans,
    explanation,
    sensitivity: sensitivity ?? { sla: [], deadline: [] },
    costUnknown: !ctx.priced,
    breakEvenRatePerSec: breakEven,
    uncertaintyPct,
    relaxations,
    slaGapMs: gap ?? undefined,
    budgetExceeded: decision.budgetExceeded,
    runId: run.runId,
    model: workload.model.id,
    workloadName: workload.name,
    ...(serving !== undefined ? { serving } : {}),
    ...(mismatch ? { curvesModelMismatch: mismatch } : {}),
  };
}

export type { Workload };
