// Real-time (synchronous) serving: pick the configuration and instance type that serve the peak
// within the SLA at the lowest cost, then size a fixed fleet and an autoscaled one.
//   fixed:      n = ceil(peak·(1+growth) / X_slo) + redundancy;  cost = n · price · 730 h
//   autoscaled: n(h) = ceil(rate(h)·(1+growth) / X_slo) + redundancy per hour of the daily
//               profile, rate(h) = max(this hour, next hour) when scale-ups lag; cost = Σ n(h)·price·days
import { p99Band } from '../sim/band.ts';
import { percentFigure, fmtBytes, fmtMs, fmtOverheadMs, fmtRate, fmtShare, fmtUsd } from './planFigures.ts';
import { capacityAtBudget, latencyAt } from './capacity.ts';
import type { CapacityFinding, CapacityProbe, LatencyAtRate } from './capacity.ts';
import { copiesOn, fits, servingOverheadMs } from './planContext.ts';
import { perMillion, round1, round2, round3, roundShare, roundUsd } from './rounding.ts';
import type { PlanContext } from './planContext.ts';
import { servicePercentileMs } from './curves.ts';
import type { CurveGroup } from './curves.ts';
import { DAYS_PER_MONTH, HOURS_PER_MONTH } from './traffic.ts';
import type { Plan, ServingCalibration } from './types.ts';
import { jitterFromQuantiles } from '../sim/serviceModel.ts';
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

/**
 * Fastest single-request service time at the SLA percentile, plus the serving overhead per batch
 * when calibrated (zero-load screen of rule 1). Machine jitter is left to the simulation: adding
 * its percentile here would double-count the tail.
 */
export function zeroLoad(ctx: PlanContext): ZeroLoad | null {
  let best: ZeroLoad | null = null;
  const overheadMs = servingOverheadMs(ctx);
  for (const it of ctx.instances) {
    for (const g of ctx.groups) {
      if (!fits(g, it)) continue;
      const ms = (servicePercentileMs(g.points[0], ctx.workload.sla.percentile) + overheadMs) / it.speedFactor;
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

function candidateProbes(ctx: PlanContext, g: CurveGroup, it: InstanceType): CapacityProbe[] {
  const pct = ctx.workload.sla.percentile;
  const out: CapacityProbe[] = [];
  const overheadMs = servingOverheadMs(ctx);
  for (const pt of g.points) {
    const B = pt.batch;
    const fullBatchMs = (servicePercentileMs(pt, pct) + overheadMs) / it.speedFactor;
    const slack = ctx.budgetMs - fullBatchMs;
    if (slack <= 0 && B > 1) continue; // a full batch alone misses the budget
    // max queue delay: none, or an eighth, a quarter or half of the slack a full batch leaves (a
    // noisy batch-1 tail can rule out D = 0 while a short wait that forms larger batches fits)
    const delays = B === 1 ? [0] : [...new Set([0, 1 / 8, 1 / 4, 1 / 2].map((f) => Math.round(slack * f * 100) / 100))];
    for (const D of delays) {
      out.push({
        group: g, speedFactor: it.speedFactor, maxBatch: B, maxDelayMs: D, budgetMs: ctx.budgetMs,
        percentile: pct, cv: ctx.traffic.cv, requests: ctx.simRequests, replications: ctx.simReplications, seed: ctx.seed,
        ...(ctx.serving ? { serving: ctx.serving } : {}),
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
    // at an equal cost only a higher X_slo could win, and X_slo never exceeds X_max
    if (c.lowerBound === bestScore && c.xMax <= bestX) continue;
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
  // X_max = k·B/(E[s(B)] + overhead) from the measured means (no simulation): an upper bound on X_slo
  const pts = p.group.points;
  const overheadMs = p.serving?.overheadMs ?? 0;
  let bestPerSec = 0;
  for (const pt of pts) {
    if (pt.batch > p.maxBatch) break;
    bestPerSec = Math.max(bestPerSec, (p.group.instances * pt.batch * 1000 * p.speedFactor) / (pt.meanMs + overheadMs));
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
  const peak = designPeak(ctx, rateScale);
  const n = choice.fixedReplicas;
  const spares = w.redundancyReplicas;
  const active = n - spares;
  const byHour = autoscaledReplicas(ctx, xSlo, rateScale);
  const fixedUsd = choice.fixedMonthlyUsd;
  const autoUsd = byHour && price !== undefined ? byHour.reduce((a, b) => a + b, 0) * price * DAYS_PER_MONTH : null;
  const useAuto = byHour !== null && (price === undefined ? false : autoUsd !== null && fixedUsd !== null && autoUsd < fixedUsd);
  const monthly = useAuto ? autoUsd : fixedUsd;
  const replicasAtPeak = useAuto && byHour ? Math.max(...byHour) : n;

  // utilisation = today's peak / capacity at the SLA of the whole fleet at peak; headroom = 1 − utilisation
  const utilization = peak.todayPerSec / (replicasAtPeak * xSlo);
  const headroomPct = round1(100 * (1 - utilization));
  // predicted latency at the sizing point: the design peak on the active replicas (spares idle)
  const perReplicaRate = peak.designPerSec / Math.max(1, active);
  const perCopyRate = perReplicaRate / choice.copies;
  const at = latencyAt(probe, perCopyRate);
  const bands = ctx.fast ? { p99: at.p99CiMs, sla: at.slaPercentileCiMs } : latencyBands(probe, perCopyRate, at, it);
  const pct = w.sla.percentile;
  const slaWords = `p${pct} ≤ ${fmtMs(w.sla.slaMs)}`;
  const need = peak.designPerSec / xSlo; // replicas' worth of load at the design peak
  const minR = w.autoscaling.minReplicas;
  const spareWords = spares > 0 ? ` + ${spares} spare` : '';
  const binding = Math.ceil(need - 1e-9) < minR
    ? `the minimum fleet (${minR}${spareWords}), not load: the design peak of ${fmtRate(peak.designPerSec)} needs ${shareWords(need)} at ${slaWords}`
    : need < 0.5
      ? `the smallest fleet (1 replica${spareWords}), not load: the design peak of ${fmtRate(peak.designPerSec)} (${peak.words}) uses ${shareWords(need)} at ${slaWords}`
      : `${slaWords} at the design peak of ${fmtRate(peak.designPerSec)} (${peak.words})`;
  const needed = Math.ceil(need - 1e-9);
  const arithmetic = [
    `latency budget for the model server = ${fmtMs(w.sla.slaMs)} SLA − ${fmtMs(ctx.outsideMs)} network/processing = ${fmtMs(ctx.budgetMs)} at p${pct}`,
    ...(ctx.serving ? [servingArithmetic(ctx.serving, it)] : []),
    `design peak = ${peak.arithmetic} = ${peak.designPerSec.toFixed(2)}/s`,
    `one ${it.name} replica (${choice.copies > 1 ? `${choice.copies} copies of ` : ''}${g.precision}, ${g.instances} instance(s) × ${g.threadsPerInstance} thread(s), max batch ${probe.maxBatch}, max delay ${probe.maxDelayMs} ms) ` +
      `serves X_slo = ${xSlo.toFixed(1)} req/s with the upper 95% bound of its simulated p${pct} within budget (${probe.replications} × ${probe.requests} simulated requests per rate; ` +
      `X_max ${xMaxRep.toFixed(1)} req/s, usable utilisation ${(xSlo / xMaxRep).toFixed(2)})`,
    `fixed replicas = max(${minR} minimum, ceil(${peak.designPerSec.toFixed(2)} / ${xSlo.toFixed(1)})) + ${spares} spare = ${n}` +
      (price !== undefined ? `; ${n} × $${price}/h × ${HOURS_PER_MONTH} h = ${fmtUsd(roundUsd(fixedUsd))}/month` : ''),
  ];
  if (byHour) {
    arithmetic.push(`autoscaled replicas by hour = [${byHour.join(', ')}] = ${byHour.reduce((a, b) => a + b, 0)} replica-hours/day` +
      (price !== undefined ? ` × $${price}/h × ${DAYS_PER_MONTH.toFixed(4)} days = ${fmtUsd(roundUsd(autoUsd))}/month` : ''));
  }
  // one decimal, but a tiny load never reads 0% and its headroom never 100% (0.0033 → 0.3%, 99.7%)
  const usedPct = `${percentFigure(100 * utilization)}%`;
  const headroomWords = `${headroomPct >= 100 && utilization > 0 ? '>99.9' : headroomPct}%`;
  arithmetic.push(`utilisation at today's peak = ${peak.todayPerSec.toFixed(2)} / (${replicasAtPeak} × ${xSlo.toFixed(1)}) = ${usedPct}; headroom = 100% − ${usedPct} = ${headroomWords}`);
  const predicted = {
    p50Ms: round2(at.p50Ms + ctx.outsideMs),
    p99Ms: round2(at.p99Ms + ctx.outsideMs),
    p99BandMs: [round2(bands.p99[0] + ctx.outsideMs), round2(bands.p99[1] + ctx.outsideMs)] as [number, number],
    slaPercentile: pct,
    slaPercentileMs: round2(at.slaPercentileMs + ctx.outsideMs),
    slaBandMs: [round2(bands.sla[0] + ctx.outsideMs), round2(bands.sla[1] + ctx.outsideMs)] as [number, number],
  };
  const summary = [
    `Sizing: one ${it.name} replica serves up to ${fmtRate(xSlo)} while its p${pct} stays within the ${fmtMs(ctx.budgetMs)} left for the model ` +
      `(the ${fmtMs(w.sla.slaMs)} SLA less ${fmtMs(ctx.outsideMs)} of network and processing), ${Math.round((100 * xSlo) / xMaxRep)}% of its raw capacity; ` +
      `the design peak of ${fmtRate(peak.designPerSec)} needs ${plural(needed, 'replica')}${needed < minR ? `, raised to the minimum of ${minR}` : ''}${spareWords} = ${plural(n, 'replica')}` +
      `${useAuto ? ` at the busiest hour (autoscaled per hour of the daily profile, ${byHour!.reduce((a, b) => a + b, 0)} replica-hours a day)` : ''}. ` +
      `It is sized on the peak, not the ${fmtRate(ctx.traffic.meanRatePerSec * rateScale)} mean.`,
    `At today's peak of ${fmtRate(peak.todayPerSec)} the ${plural(replicasAtPeak, 'replica')} run at ${usedPct} of their capacity at the SLA: headroom ${headroomWords}` +
      ` (${[ctx.growth > 0 ? `the ${Math.round(ctx.growth * 100)}% growth margin` : '', spares > 0 ? plural(spares, 'spare replica') : '', 'rounding up to whole replicas'].filter(Boolean).join(', ')}).`,
    `Predicted latency at the design peak${spares > 0 ? ` with the ${spares > 1 ? 'spares' : 'spare'} idle` : ''} (${fmtRate(peak.designPerSec)} on ${plural(Math.max(1, active), 'replica')}): ` +
      `p50 ${fmtMs(predicted.p50Ms)}, p${pct} ${fmtMs(predicted.slaPercentileMs)} (band ${fmtMs(predicted.slaBandMs[0])}–${fmtMs(predicted.slaBandMs[1])}) against ${slaWords}.`,
  ];
  const plan: Plan = {
    mode: 'realtime', variant: useAuto ? 'autoscaled' : 'fixed', feasible: true,
    config: {
      precision: g.precision, batch: probe.maxBatch, maxDelayMs: probe.maxDelayMs, instances: g.instances,
      threadsPerInstance: g.threadsPerInstance, instanceType: it.name, provider: g.provider,
    },
    replicas: replicasAtPeak,
    replicasByHour: byHour ?? undefined,
    monthlyCostUsd: roundUsd(monthly),
    costPerMillionUsd: perMillion(monthly, monthlyInferences),
    monthlyInferences,
    predicted,
    utilization: roundShare(utilization),
    headroomPct,
    bindingConstraint: binding,
    capacityPerReplicaPerSec: round2(xSlo),
    usableUtilization: round3(xSlo / xMaxRep),
    peakRatePerSec: round2(peak.todayPerSec),
    designPeakRatePerSec: round2(peak.designPerSec),
    summary,
    arithmetic,
    alternatives: [
      { variant: 'fixed', feasible: true, monthlyCostUsd: roundUsd(fixedUsd), replicas: n },
      ...(byHour ? [{ variant: 'autoscaled' as const, feasible: true, monthlyCostUsd: roundUsd(autoUsd), replicas: Math.max(...byHour) }] : []),
    ],
  };
  return { plan, choice };
}

/** One arithmetic line: what the simulated service time of a batch includes besides run(). */
function servingArithmetic(s: ServingCalibration, it: InstanceType): string {
  const oh = it.speedFactor === 1 ? `${fmtOverheadMs(s.overheadMs)}` : `${fmtOverheadMs(s.overheadMs)} / speed ${it.speedFactor} = ${fmtOverheadMs(s.overheadMs / it.speedFactor)}`;
  const jitter = s.jitterQuantilesMs && s.jitterQuantilesMs.length >= 2 ? `; each request also draws the machine's jitter (p99 ${fmtOverheadMs(jitterFromQuantiles(s.jitterQuantilesMs).p99Ms)})` : '';
  return `service time of a batch = measured run() time + serving overhead ${oh} per batch${jitter}, from ${s.source}`;
}

export interface DesignPeak {
  /** today's peak offered to this path (× the cache-miss share for a hybrid), requests/s */
  todayPerSec: number;
  /** todayPerSec × (1 + growth margin): what the fleet is sized for */
  designPerSec: number;
  /** "peak 1,951/s from the daily profile × 1.2 growth margin" */
  words: string;
  /** "1951.20 (daily profile) × 1.2 growth" */
  arithmetic: string;
}

/** The peak a real-time fleet is sized for, and where it comes from, in words. */
export function designPeak(ctx: PlanContext, rateScale = 1): DesignPeak {
  const t = ctx.traffic;
  const g = 1 + ctx.growth;
  const today = t.peakRatePerSec * rateScale;
  const miss = rateScale < 1 ? ` × ${+(rateScale * 100).toFixed(1)}% cache misses` : '';
  const growth = ctx.growth > 0 ? ` × ${+g.toFixed(3)} growth margin` : '';
  return {
    todayPerSec: today,
    designPerSec: today * g,
    words: `peak ${fmtRate(t.peakRatePerSec)} ${PEAK_SOURCE_WORDS[t.peakSource]}${miss}${growth}`,
    arithmetic: `peak ${t.peakRatePerSec.toFixed(2)}/s (${t.peakSource})${miss}${growth}`,
  };
}

const PEAK_SOURCE_WORDS: Record<PlanContext['traffic']['peakSource'], string> = {
  'daily profile': 'from the daily profile',
  'peak-to-mean ratio': 'from the peak-to-mean ratio',
  'trace (busiest minute)': "from the trace's busiest minute",
  'flat (no profile given)': '(flat: no daily profile given)',
  none: '(no traffic given)',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "0.8% of one replica's capacity" or "2.40 replicas' capacity". */
function shareWords(replicas: number): string {
  return replicas < 1 ? `${fmtShare(replicas)} of one replica's capacity` : `${replicas.toFixed(2)} replicas' capacity`;
}

/**
 * Bands of p99 and of the SLA percentile at a rate: the 95 % t-interval over the replications,
 * widened by the speed-factor uncertainty of an instance that was not measured (service times
 * ± speedUncertaintyPct, each again with its interval).
 */
function latencyBands(probe: CapacityProbe, ratePerSec: number, at: LatencyAtRate, it: InstanceType): { p99: [number, number]; sla: [number, number] } {
  const p99: [number, number] = [...at.p99CiMs];
  const sla: [number, number] = [...at.slaPercentileCiMs];
  const unc = it.measuredHere ? 0 : it.speedUncertaintyPct / 100;
  if (unc > 0) {
    const faster = latencyAt(probe, ratePerSec, 1 / (1 + unc));
    const slower = latencyAt(probe, ratePerSec, 1 + unc);
    p99[0] = Math.min(p99[0], faster.p99CiMs[0]);
    p99[1] = Math.max(p99[1], slower.p99CiMs[1]);
    sla[0] = Math.min(sla[0], faster.slaPercentileCiMs[0]);
    sla[1] = Math.max(sla[1], slower.slaPercentileCiMs[1]);
  }
  // the band for a future measurement on this machine (sim/band.ts): the calibration's measured
  // spread when a validate run gave one, the wide default when the engine found none; pure use
  // without any serving information (serving undefined) keeps the replication interval only
  if (probe.serving !== undefined) {
    const calibration = probe.serving?.band ?? null;
    const future = (v: number, ci: [number, number]) => p99Band(v, { ciMs: ci, utilization: at.utilization, calibration }).bandMs;
    const fp = future(at.p99Ms, at.p99CiMs);
    const fs = future(at.slaPercentileMs, at.slaPercentileCiMs);
    p99[0] = Math.min(p99[0], fp[0]); p99[1] = Math.max(p99[1], fp[1]);
    sla[0] = Math.min(sla[0], fs[0]); sla[1] = Math.max(sla[1], fs[1]);
  }
  return { p99, sla };
}

export function infeasiblePlan(mode: Plan['mode'], monthlyInferences: number): Plan {
  return {
    mode, variant: mode === 'batch' ? 'scheduled' : mode === 'hybrid' ? 'batch+fixed' : 'fixed', feasible: false, config: null, replicas: 0,
    monthlyCostUsd: null, costPerMillionUsd: null, monthlyInferences, predicted: null, utilization: 0, headroomPct: 0,
    bindingConstraint: 'infeasible', arithmetic: [],
  };
}

