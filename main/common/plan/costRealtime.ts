// Real-time (synchronous) serving: pick the configuration and instance type that serve the peak
// within the SLA at the lowest cost, then size a fixed fleet and an autoscaled one.
//   fixed:      n = ceil(peak·(1+growth) / X_slo) + redundancy;  cost = n · price · 730 h
//   autoscaled: n(h) = ceil(rate(h)·(1+growth) / X_slo) + redundancy per hour of the daily
//               profile, rate(h) = max(this hour, next hour) when scale-ups lag; cost = Σ n(h)·price·days
import { capacityAtBudget, latencyAt } from './capacity.ts';
import type { CapacityFinding, CapacityProbe } from './capacity.ts';
import { copiesOn, fits, fmtMs, fmtRate, fmtUsd, perMillion, roundUsd } from './context.ts';
import type { PlanContext } from './context.ts';
import { servicePercentileMs } from './curves.ts';
import type { CurveGroup } from './curves.ts';
import { DAYS_PER_MONTH, HOURS_PER_MONTH } from './traffic.ts';
import type { Plan } from './types.ts';
import type { InstanceType } from './workloadSchema.ts';

export interface RealtimeChoice {
  group: CurveGroup;
  instance: InstanceType;
  probe: CapacityProbe;
  finding: CapacityFinding;
  /** copies of the configuration per replica (instance cores / cores used) */
  copies: number;
  /** X_slo of a whole replica (finding.xSloPerSec × copies) */
  xSloPerReplica: number;
  fixedReplicas: number;
  fixedMonthlyUsd: number | null;
}

export interface ZeroLoad {
  /** best zero-load latency of the model server at the SLA percentile over configs and instances, ms */
  serviceMs: number;
  group: CurveGroup;
  instance: InstanceType;
}

/** Fastest single-request service time at the SLA percentile (zero-load screen of rule 1). */
export function zeroLoad(ctx: PlanContext): ZeroLoad | null {
  let best: ZeroLoad | null = null;
  for (const it of ctx.instances) {
    for (const g of ctx.groups) {
      if (!fits(g, it)) continue;
      const ms = servicePercentileMs(g.points[0], ctx.workload.sla.percentile) / it.speedFactor;
      if (!best || ms < best.serviceMs) best = { serviceMs: ms, group: g, instance: it };
    }
  }
  return best;
}

/** Screen for rule 1 without simulation: null when real-time may work, else the reason. */
export function realtimeScreen(ctx: PlanContext): string | null {
  const w = ctx.workload;
  if (!w.callers.synchronous) return 'callers do not need a synchronous answer (callers.synchronous: false)';
  if (!ctx.traffic.hasTraffic) return 'no request traffic given (traffic:)';
  if (w.payload.syncMaxBytes !== undefined && w.payload.requestBytes > w.payload.syncMaxBytes) {
    return `each request uploads ${fmtBytes(w.payload.requestBytes)}, over the ${fmtBytes(w.payload.syncMaxBytes)} a synchronous endpoint accepts (payload.syncMaxBytes)`;
  }
  if (ctx.budgetMs <= 0) {
    return `network, pre/post-processing${ctx.uploadMs > 0 ? ' and upload' : ''} already take ${fmtMs(ctx.outsideMs)} of the ${fmtMs(w.sla.slaMs)} SLA, leaving nothing for the model`;
  }
  const z = zeroLoad(ctx);
  if (!z) return 'no measured configuration runs on the listed instance types';
  if (z.serviceMs > ctx.budgetMs) {
    return `even one request alone takes ${fmtMs(z.serviceMs)} at p${w.sla.percentile} (${z.group.precision}, batch 1, ${z.instance.name}) ` +
      `but only ${fmtMs(ctx.budgetMs)} of the ${fmtMs(w.sla.slaMs)} SLA is left after ${fmtMs(ctx.outsideMs)} of network and processing`;
  }
  return null;
}

export function fmtBytes(b: number): string {
  if (b >= 1e9) return `${+(b / 1e9).toFixed(1)} GB`;
  if (b >= 1e6) return `${+(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${+(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

function candidateProbes(ctx: PlanContext, g: CurveGroup, it: InstanceType): CapacityProbe[] {
  const pct = ctx.workload.sla.percentile;
  const out: CapacityProbe[] = [];
  for (const pt of g.points) {
    const B = pt.batch;
    const fullBatchMs = servicePercentileMs(pt, pct) / it.speedFactor;
    const slack = ctx.budgetMs - fullBatchMs;
    if (slack <= 0 && B > 1) continue; // a full batch alone misses the budget
    const delays = B === 1 ? [0] : [0, Math.round((slack / 2) * 100) / 100];
    for (const D of delays) {
      out.push({
        group: g, speedFactor: it.speedFactor, maxBatch: B, maxDelayMs: D, budgetMs: ctx.budgetMs,
        percentile: pct, cv: ctx.traffic.cv, requests: ctx.simRequests, seed: ctx.seed,
      });
    }
  }
  return out;
}

/** Replicas for a rate: enough at the SLA, at least the minimum, plus the spares. */
export function replicasFor(ratePerSec: number, xSloPerSec: number, ctx: PlanContext): number {
  const w = ctx.workload;
  const active = ratePerSec > 0 ? Math.ceil(ratePerSec / xSloPerSec - 1e-9) : 0;
  return Math.max(w.autoscaling.minReplicas, active) + w.redundancyReplicas;
}

/**
 * Searches configurations × instance types for the cheapest fixed fleet at the peak
 * (branch and bound: a candidate whose cost at its stability bound cannot beat the best is skipped).
 */
export function chooseRealtime(ctx: PlanContext, rateScale: number): RealtimeChoice | null {
  const peak = ctx.traffic.peakRatePerSec * (1 + ctx.growth) * rateScale;
  type Cand = { g: CurveGroup; it: InstanceType; probe: CapacityProbe; copies: number; xMax: number; lowerBound: number };
  const cands: Cand[] = [];
  for (const it of ctx.instances) {
    if (ctx.priced && it.pricePerHourUsd === undefined) continue;
    for (const g of ctx.groups) {
      if (!fits(g, it)) continue;
      for (const probe of candidateProbes(ctx, g, it)) {
        const copies = copiesOn(it, ctx.measuredCores);
        const xMax = quickBound(probe) * copies;
        const unit = it.pricePerHourUsd ?? 1;
        cands.push({ g, it, probe, copies, xMax, lowerBound: replicasFor(peak, xMax, ctx) * unit });
      }
    }
  }
  cands.sort((a, b) => a.lowerBound - b.lowerBound || b.xMax - a.xMax);
  let best: RealtimeChoice | null = null;
  let bestScore = Infinity;
  let bestX = 0;
  for (const c of cands) {
    if (c.lowerBound > bestScore) break;
    const finding = capacityAtBudget(c.probe);
    if (finding.xSloPerSec <= 0) continue;
    const xRep = finding.xSloPerSec * c.copies;
    const n = replicasFor(peak, xRep, ctx);
    const score = n * (c.it.pricePerHourUsd ?? 1);
    if (score < bestScore || (score === bestScore && xRep > bestX)) {
      bestScore = score;
      bestX = xRep;
      best = {
        group: c.g, instance: c.it, probe: c.probe, finding, copies: c.copies, xSloPerReplica: xRep, fixedReplicas: n,
        fixedMonthlyUsd: c.it.pricePerHourUsd === undefined ? null : n * c.it.pricePerHourUsd * HOURS_PER_MONTH,
      };
    }
  }
  return best;
}

function quickBound(p: CapacityProbe): number {
  // X_max = k·B/(E[s(B)]) from the measured means (no simulation): an upper bound on X_slo
  const pts = p.group.points;
  let bestPerSec = 0;
  for (const pt of pts) {
    if (pt.batch > p.maxBatch) break;
    bestPerSec = Math.max(bestPerSec, (p.group.instances * pt.batch * 1000 * p.speedFactor) / pt.meanMs);
  }
  return bestPerSec;
}

/** Replicas per hour of the daily profile (null without a profile or with autoscaling off). */
export function autoscaledReplicas(ctx: PlanContext, xSloPerSec: number, rateScale: number): number[] | null {
  const hourly = ctx.traffic.hourlyRatePerSec;
  if (!hourly || !ctx.workload.autoscaling.enabled) return null;
  const lag = ctx.workload.autoscaling.scaleLagS > 0;
  return hourly.map((r, h) => {
    const need = lag ? Math.max(r, hourly[(h + 1) % 24]) : r;
    return replicasFor(need * (1 + ctx.growth) * rateScale, xSloPerSec, ctx);
  });
}

/** The real-time plan (fixed or autoscaled, whichever is cheaper); rateScale < 1 for a hybrid's miss path. */
export function planRealtime(ctx: PlanContext, rateScale = 1, screen = realtimeScreen(ctx)): { plan: Plan; choice: RealtimeChoice | null } {
  const w = ctx.workload;
  const monthlyInferences = ctx.traffic.monthlyRequests * rateScale;
  const base = infeasiblePlan('realtime', monthlyInferences);
  if (screen) return { plan: { ...base, reason: screen }, choice: null };
  const choice = chooseRealtime(ctx, rateScale);
  if (!choice) {
    return {
      plan: { ...base, reason: `no configuration meets p${w.sla.percentile} ≤ ${fmtMs(w.sla.slaMs)} under any load (queueing and batching leave no room in the ${fmtMs(ctx.budgetMs)} budget)` },
      choice: null,
    };
  }
  const { group: g, instance: it, finding, probe } = choice;
  const price = it.pricePerHourUsd;
  const xSlo = choice.xSloPerReplica;
  const xMaxRep = finding.xMaxPerSec * choice.copies;
  const peakDesign = ctx.traffic.peakRatePerSec * (1 + ctx.growth) * rateScale;
  const n = choice.fixedReplicas;
  const active = n - w.redundancyReplicas;
  const byHour = autoscaledReplicas(ctx, xSlo, rateScale);
  const fixedUsd = choice.fixedMonthlyUsd;
  const autoUsd = byHour && price !== undefined ? byHour.reduce((a, b) => a + b, 0) * price * DAYS_PER_MONTH : null;
  const useAuto = byHour !== null && (price === undefined ? false : autoUsd !== null && fixedUsd !== null && autoUsd < fixedUsd);
  const monthly = useAuto ? autoUsd : fixedUsd;

  const perReplicaRate = peakDesign / Math.max(1, active);
  const perCopyRate = perReplicaRate / choice.copies;
  const at = latencyAt(probe, perCopyRate);
  const band: [number, number] = ctx.fast ? [at.p99Ms, at.p99Ms] : p99Band(probe, perCopyRate, at.p99Ms, it);
  const loadDriven = Math.ceil(peakDesign / xSlo - 1e-9) >= w.autoscaling.minReplicas;
  const binding = loadDriven
    ? `p${w.sla.percentile} ≤ ${fmtMs(w.sla.slaMs)} at the peak of ${fmtRate(peakDesign)} (${ctx.traffic.peakSource})`
    : `minimum fleet (${w.autoscaling.minReplicas} + ${w.redundancyReplicas} spare), not load`;
  const arithmetic = [
    `latency budget for the model server = ${fmtMs(w.sla.slaMs)} SLA − ${fmtMs(ctx.outsideMs)} network/processing = ${fmtMs(ctx.budgetMs)}`,
    `one ${it.name} replica (${choice.copies > 1 ? `${choice.copies} copies of ` : ''}${g.precision}, ${g.instances} instance(s) × ${g.threadsPerInstance} thread(s), max batch ${probe.maxBatch}, max delay ${probe.maxDelayMs} ms) ` +
      `serves X_slo = ${xSlo.toFixed(1)} req/s within budget (X_max ${xMaxRep.toFixed(1)} req/s, usable utilisation ${(xSlo / xMaxRep).toFixed(2)})`,
    `fixed replicas = ceil(${peakDesign.toFixed(2)} / ${xSlo.toFixed(1)}) + ${w.redundancyReplicas} spare = ${n}` +
      (price !== undefined ? `; ${n} × $${price}/h × ${HOURS_PER_MONTH} h = ${fmtUsd(roundUsd(fixedUsd))}/month` : ''),
  ];
  if (byHour) {
    arithmetic.push(`autoscaled replicas by hour = [${byHour.join(', ')}] = ${byHour.reduce((a, b) => a + b, 0)} replica-hours/day` +
      (price !== undefined ? ` × $${price}/h × ${DAYS_PER_MONTH.toFixed(4)} days = ${fmtUsd(roundUsd(autoUsd))}/month` : ''));
  }
  const plan: Plan = {
    mode: 'realtime', variant: useAuto ? 'autoscaled' : 'fixed', feasible: true,
    config: {
      precision: g.precision, batch: probe.maxBatch, maxDelayMs: probe.maxDelayMs, instances: g.instances,
      threadsPerInstance: g.threadsPerInstance, instanceType: it.name, provider: g.provider,
    },
    replicas: useAuto && byHour ? Math.max(...byHour) : n,
    replicasByHour: byHour ?? undefined,
    monthlyCostUsd: roundUsd(monthly),
    costPerMillionUsd: perMillion(monthly, monthlyInferences),
    monthlyInferences,
    predicted: { p50Ms: round2(at.p50Ms + ctx.outsideMs), p99Ms: round2(at.p99Ms + ctx.outsideMs), p99BandMs: [round2(band[0] + ctx.outsideMs), round2(band[1] + ctx.outsideMs)] },
    utilization: round3(perReplicaRate / xMaxRep),
    headroomPct: round1(100 * (1 - perReplicaRate / xSlo)),
    bindingConstraint: binding,
    capacityPerReplicaPerSec: round2(xSlo),
    usableUtilization: round3(xSlo / xMaxRep),
    arithmetic,
    alternatives: [
      { variant: 'fixed', feasible: true, monthlyCostUsd: roundUsd(fixedUsd), replicas: n },
      ...(byHour ? [{ variant: 'autoscaled' as const, feasible: true, monthlyCostUsd: roundUsd(autoUsd), replicas: Math.max(...byHour) }] : []),
    ],
  };
  return { plan, choice };
}

/** p99 band: replications with other seeds, widened by the speed-factor uncertainty of the target instance. */
function p99Band(probe: CapacityProbe, ratePerSec: number, p99Ms: number, it: InstanceType): [number, number] {
  let lo = p99Ms;
  let hi = p99Ms;
  for (const s of [1, 2]) {
    const r = latencyAt(probe, ratePerSec, 1, probe.seed + 7919 * s);
    lo = Math.min(lo, r.p99Ms);
    hi = Math.max(hi, r.p99Ms);
  }
  const unc = it.measuredHere ? 0 : it.speedUncertaintyPct / 100;
  if (unc > 0) {
    lo = Math.min(lo, latencyAt(probe, ratePerSec, 1 / (1 + unc)).p99Ms);
    hi = Math.max(hi, latencyAt(probe, ratePerSec, 1 + unc).p99Ms);
  }
  return [lo, hi];
}

export function infeasiblePlan(mode: Plan['mode'], monthlyInferences: number): Plan {
  return {
    mode, variant: mode === 'batch' ? 'scheduled' : mode === 'hybrid' ? 'batch+fixed' : 'fixed', feasible: false, config: null, replicas: 0,
    monthlyCostUsd: null, costPerMillionUsd: null, monthlyInferences, predicted: null, utilization: 0, headroomPct: 0,
    bindingConstraint: 'infeasible', arithmetic: [],
  };
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
export const round2 = (x: number) => Math.round(x * 100) / 100;
export const round3 = (x: number) => Math.round(x * 1000) / 1000;
