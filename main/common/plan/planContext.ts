// What every per-mode cost module plans from: the usable curves, the instance catalog, the traffic
// summary and the latency budget left for the model server; and which instances a replica fits on.
import type { SweepRunResult } from '../types.ts';
import { coresUsed, isGpuProvider, selectCurves } from './curves.ts';
import type { CurveGroup, CurveSelection } from './curves.ts';
import { summarizeTraffic } from './traffic.ts';
import type { TrafficSummary } from './traffic.ts';
import type { ServingCalibration } from './types.ts';
import type { InstanceType, Workload } from './workloadSchema.ts';

export interface PlanContext {
  run: SweepRunResult;
  workload: Workload;
  selection: CurveSelection;
  groups: CurveGroup[];
  instances: InstanceType[];
  /** cores of the machine the curves were measured on */
  measuredCores: number | undefined;
  /** true when at least one instance has a price */
  priced: boolean;
  traffic: TrafficSummary;
  /** time to upload one request at the callers' bandwidth, ms (0 when not given) */
  uploadMs: number;
  /** network + pre/post-processing + upload, ms: spent outside the model server */
  outsideMs: number;
  /** what the model server may spend at the SLA percentile, ms */
  budgetMs: number;
  /** growth margin as a fraction */
  growth: number;
  simRequests: number;
  /** independent replications per probed rate (capacity is judged on their upper bound) */
  simReplications: number;
  seed: number;
  /** skip extra simulations that only refine reporting (p99 bands): sensitivity curves */
  fast: boolean;
  /** serving overhead and jitter included in every real-time service model (see PlanOptions.serving) */
  serving: ServingCalibration | null | undefined;
}

/** Stand-in when the workload lists no instance types: the measured machine, price unknown. */
export const MEASURED_MACHINE: InstanceType = {
  name: 'measured-machine', speedFactor: 1, measuredHere: true, speedUncertaintyPct: 0, billingGranularityS: 1, bootS: 60,
};

export function buildContext(run: SweepRunResult, workload: Workload, o: { traceArrivalsMs?: number[]; simRequests: number; simReplications: number; seed: number; ignoreAccuracy?: boolean; fast?: boolean; serving?: ServingCalibration | null }): PlanContext {
  const selection = selectCurves(run, workload, { ignoreAccuracy: o.ignoreAccuracy });
  const instances = workload.instances.length ? workload.instances : [MEASURED_MACHINE];
  const uploadMs = workload.payload.clientUploadMbps ? (workload.payload.requestBytes * 8) / (workload.payload.clientUploadMbps * 1e6) * 1000 : 0;
  const ov = workload.overheads;
  const outsideMs = ov.networkMs + ov.preProcessMs + ov.postProcessMs + uploadMs;
  return {
    run, workload, selection, groups: selection.groups, instances, measuredCores: run.hardware?.cpu?.cores,
    priced: instances.some((i) => i.pricePerHourUsd !== undefined),
    traffic: summarizeTraffic(workload, o.traceArrivalsMs),
    uploadMs, outsideMs, budgetMs: workload.sla.slaMs - outsideMs,
    growth: workload.growthMarginPct / 100,
    simRequests: o.simRequests, simReplications: o.simReplications, seed: o.seed, fast: o.fast ?? false,
    serving: o.serving,
  };
}

/** Serving overhead per batch on the measured machine, ms (0 without a calibration). */
export function servingOverheadMs(ctx: PlanContext): number {
  return ctx.serving?.overheadMs ?? 0;
}

/** Can a replica of this group run on this instance type? */
export function fits(g: CurveGroup, it: InstanceType): boolean {
  if (isGpuProvider(g.provider) && !it.gpu) return false;
  if (it.cores !== undefined && coresUsed(g) > it.cores) return false;
  return true;
}

/**
 * Copies of the measured machine one instance holds: its cores / the measured machine's cores
 * (1 when either is unknown). Each copy runs the measured configuration (k instances × t threads,
 * whose contention was measured); speedFactor scales each copy's service time. Copies multiply a
 * replica's capacity, not its latency.
 */
export function copiesOn(it: InstanceType, measuredCores: number | undefined): number {
  if (it.cores === undefined || !measuredCores || measuredCores < 1) return 1;
  return Math.max(1, Math.floor(it.cores / measuredCores));
}
