// Everything a deployment file needs, taken from a stored plan, its run and the model's inspection,
// each value with where it came from (run, point, plan field, rule). The four formats render these
// values; none computes a figure of its own, so every file says the same thing.
import type { EngineContext } from '../engineContext.ts';
import type { ModelInfo, PointResult, SweepRunResult, TensorInfo } from '../../common/types.ts';
import type { Plan, PlanMode, PlanResult } from '../../common/plan/types.ts';
import { invalidInput } from '../../common/errors.ts';
import { configLabel } from '../../common/best/configLabel.ts';
import { hardwareLabel } from '../../common/hardwareLabel.ts';

/** One emitted value and why it has that value. */
export interface Sourced<T = number> {
  value: T;
  /** where it comes from, in words: "plan config.batch", "rule: …" */
  why: string;
}

export interface RealtimeSizing {
  maxBatch: Sourced;
  maxQueueDelayUs: Sourced;
  /** model instances per replica (Triton instance_group count) */
  instances: Sourced;
  threadsPerInstance: Sourced;
  minReplicas: Sourced;
  maxReplicas: Sourced;
  /** capacity of one replica at the SLA, requests/s (plan capacityPerReplicaPerSec) */
  capacityPerReplicaPerSec: Sourced;
  /** requests in flight on one replica at that capacity (Little's law at the measured knee) */
  concurrencyPerReplica: Sourced;
  /** longest queue worth keeping: what one replica serves within the model's share of the SLA */
  maxQueueSize: Sourced;
  /** a request older than the model's share of the SLA has missed it: reject instead of serving late */
  queueTimeoutUs: Sourced;
  /** HPA CPU target: the replica's CPU share busy at capacityPerReplicaPerSec */
  cpuTargetUtilizationPct: Sourced;
}

export interface DeferredSizing {
  instances: Sourced;
  threadsPerInstance: Sourced;
  batch: Sourced;
  minReplicas: Sourced;
  maxReplicas: Sourced;
  /** queue length per replica KEDA scales on: what one replica drains in half the deadline */
  queueLengthPerReplica: Sourced;
  deadlineS: Sourced;
}

export interface BatchSizing {
  batch: Sourced;
  instances: Sourced;
  threadsPerInstance: Sourced;
  parallelism: Sourced;
  schedule: Sourced<string>;
  activeDeadlineS: Sourced;
  itemsPerRun: Sourced;
}

export interface DeploySizing {
  planId: string;
  planCreatedAt: string;
  workloadName: string;
  verdict: string;
  mode: PlanMode;
  variant: string;
  runId: string;
  model: { id: string; name: string; sha256: string; fileName: string; inputs: TensorInfo[]; outputs: TensorInfo[]; dynamicBatch: boolean; batchDims: Record<string, number | null> };
  precision: string;
  provider: string;
  instanceType: string;
  /** the measured point behind the chosen configuration, when the run has it */
  point: { id: number | null; label: string; samplesPerSec: number; p99Ms: number; p50Ms: number; peakRssBytes: number } | null;
  hardware: string;
  sla: { percentile: number; ms: number; modelBudgetMs: number };
  resources: { cpu: Sourced<string>; memory: Sourced<string> };
  realtime: RealtimeSizing | null;
  deferred: DeferredSizing | null;
  batch: BatchSizing | null;
  /** header lines every file starts with */
  provenance: string[];
  notes: string[];
}

interface WorkloadLike {
  name?: string;
  model?: { id?: string };
  sla?: { percentile?: number; slaMs?: number };
  overheads?: { networkMs?: number; preProcessMs?: number; postProcessMs?: number };
  freshness?: { deadlineS?: number };
  schedule?: { periodH: number; windowH: number; setupMin?: number; itemsPerRun: number };
  instances?: Array<{ name: string; cores?: number; memoryGiB?: number }>;
  autoscaling?: { enabled?: boolean; minReplicas?: number };
}

const fmt = (v: number, d = 2) => (Number.isInteger(v) ? String(v) : v.toFixed(d));

/** A point of the run that measured the plan's configuration (batch, instances, threads, precision). */
function findPoint(run: SweepRunResult, c: NonNullable<Plan['config']>): PointResult | null {
  const same = run.points.filter((p) => p.status !== 'failed' && p.config.instances === c.instances && p.config.threadsPerInstance === c.threadsPerInstance && p.config.precision === c.precision);
  return same.find((p) => p.config.batch === c.batch) ?? null;
}

/** The cron expression of a batch that runs every periodH hours (started at 00:00). */
export function cronForPeriod(periodH: number): { cron: string; why: string } {
  if (periodH === 24) return { cron: '0 0 * * *', why: 'schedule.periodH = 24 h: daily at 00:00 (move the hour to your quiet window)' };
  if (periodH === 168) return { cron: '0 0 * * 0', why: 'schedule.periodH = 168 h: weekly, Sunday 00:00' };
  if (periodH < 24 && Number.isInteger(periodH) && 24 % periodH === 0) return { cron: `0 */${periodH} * * *`, why: `schedule.periodH = ${periodH} h: every ${periodH} hours` };
  if (periodH % 24 === 0 && 30 % (periodH / 24) === 0) return { cron: `0 0 */${periodH / 24} * *`, why: `schedule.periodH = ${periodH} h: every ${periodH / 24} days (cron restarts the count each month)` };
  throw invalidInput(`schedule.periodH = ${periodH} h has no cron equivalent (use 1, 2, 3, 4, 6, 8, 12, 24, 48, 72, 120, 144, 168, 240, 360 or 720)`);
}

export async function deploySizing(ctx: EngineContext, planId: string, modeWanted?: PlanMode): Promise<DeploySizing> {
  const stored = ctx.store.getPlan(planId);
  const result = stored.result as PlanResult;
  const workload = stored.workload as WorkloadLike;
  if (!result || !Array.isArray(result.plans)) throw invalidInput(`plan ${planId} has no stored result: plan again with \`kneepoint plan\``);
  let plan: Plan | undefined;
  if (modeWanted) {
    plan = result.plans.find((p) => p.mode === modeWanted);
    if (!plan?.feasible) throw invalidInput(`plan ${planId} has no feasible ${modeWanted} plan${plan?.reason ? ` (${plan.reason})` : ''}; its verdict is ${result.verdict}`);
  } else {
    if (result.verdict === 'infeasible') throw invalidInput(`plan ${planId} is infeasible (${result.explanation?.[0] ?? 'no mode meets the workload'}): there is nothing to deploy; see its relaxations`);
    plan = result.plans.find((p) => p.mode === result.verdict && p.feasible) ?? result.plans.find((p) => p.feasible);
  }
  if (!plan || !plan.config) throw invalidInput(`plan ${planId} has no feasible configuration to deploy`);
  const c = plan.config;
  const runId = stored.runId ?? result.runId;
  const run = ctx.store.getRunResult(runId);
  let info: ModelInfo | null = null;
  try { info = await ctx.resolveModel(run.model.id); } catch { info = null; }
  const notes: string[] = [];
  if (!info) notes.push(`model ${run.model.id} is not on this machine: inputs and outputs are left to the server's auto-completion`);
  const point = findPoint(run, c);
  if (!point) notes.push(`run ${runId} has no point at exactly ${configLabel({ ...c, provider: c.provider ?? 'cpu' })}: per-point figures are omitted`);
  const pointRef = point ? `run ${runId} point #${point.id ?? '?'} (${configLabel(point.config)})` : `run ${runId}`;

  // the machine one replica runs on
  const it = workload.instances?.find((i) => i.name === c.instanceType);
  const cores = it?.cores ?? (c.instanceType === 'measured-machine' || c.instanceType === 'serverless' ? run.hardware?.cpu?.cores : undefined) ?? c.instances * c.threadsPerInstance;
  const memGiB = it?.memoryGiB ?? (run.hardware?.memoryBytes ? run.hardware.memoryBytes / 2 ** 30 : 2);
  const memMi = Math.max(256, Math.floor(memGiB * 1024 * 0.85));
  const resources = {
    cpu: { value: String(cores), why: `${it ? `instance type ${it.name}: ${it.cores ?? '?'} cores` : `the measured machine: ${cores} cores`} (one replica per machine)` },
    memory: { value: `${memMi}Mi`, why: `85 % of ${fmt(memGiB)} GiB on ${it ? it.name : 'the measured machine'} (the rest is the node's own reserve)${point ? `; the measured point peaked at ${Math.ceil(point.peakRssBytes / 2 ** 20)} MiB` : ''}` },
  };

  const slaMs = workload.sla?.slaMs ?? 0;
  const o = workload.overheads ?? {};
  const outside = (o.networkMs ?? 0) + (o.preProcessMs ?? 0) + (o.postProcessMs ?? 0);
  const modelBudgetMs = Math.max(slaMs - outside, slaMs > 0 ? slaMs * 0.1 : 0);
  const sla = { percentile: workload.sla?.percentile ?? 99, ms: slaMs, modelBudgetMs };
  const from = (field: string) => `plan ${planId} ${plan!.mode}/${plan!.variant} ${field}`;

  let realtime: RealtimeSizing | null = null;
  const rtPlan = plan.mode === 'realtime' || plan.mode === 'hybrid' ? plan : null;
  if (rtPlan && rtPlan.variant !== 'serverless') {
    const x = rtPlan.capacityPerReplicaPerSec ?? (point ? point.samplesPerSec : 0);
    const byHour = rtPlan.replicasByHour?.length ? rtPlan.replicasByHour : [rtPlan.replicas];
    const autoscaled = rtPlan.variant === 'autoscaled' || rtPlan.variant === 'batch+autoscaled';
    const minR = autoscaled ? Math.max(1, Math.min(...byHour)) : rtPlan.replicas;
    const wMs = (point?.latencyMs.p50 ?? 0) + c.maxDelayMs;
    const conc = Math.max(1, Math.round((x * wMs) / 1000));
    const share = Math.min(1, (c.instances * c.threadsPerInstance) / Math.max(1, cores));
    const cpuPct = Math.min(95, Math.max(10, Math.round(100 * share * (rtPlan.usableUtilization ?? 0.8))));
    realtime = {
      maxBatch: { value: c.batch, why: from('config.batch (the dynamic batcher\'s max batch)') },
      maxQueueDelayUs: { value: Math.round(c.maxDelayMs * 1000), why: from(`config.maxDelayMs = ${c.maxDelayMs} ms`) },
      instances: { value: c.instances, why: from('config.instances (model instances per replica)') },
      threadsPerInstance: { value: c.threadsPerInstance, why: from('config.threadsPerInstance (intra-op threads)') },
      minReplicas: { value: minR, why: autoscaled ? from(`replicasByHour minimum (${byHour.join(',')})`) : from('replicas (fixed fleet, spare included)') },
      maxReplicas: { value: rtPlan.replicas, why: from('replicas at peak') },
      capacityPerReplicaPerSec: { value: Math.round(x * 100) / 100, why: rtPlan.capacityPerReplicaPerSec !== undefined ? from('capacityPerReplicaPerSec (X_slo)') : `${pointRef} samples/s (the plan gave no X_slo)` },
      concurrencyPerReplica: { value: conc, why: `rule: Little's law at the knee, X_slo ${fmt(x, 1)}/s × (p50 ${fmt(point?.latencyMs.p50 ?? 0, 3)} ms of ${pointRef} + max delay ${c.maxDelayMs} ms) = ${fmt((x * wMs) / 1000, 2)} requests in flight` },
      maxQueueSize: { value: Math.max(c.batch, Math.ceil((x * modelBudgetMs) / 1000)), why: `rule: X_slo ${fmt(x, 1)}/s × the model's ${fmt(modelBudgetMs, 1)} ms share of the ${slaMs} ms SLA (requests queued beyond that miss it anyway)` },
      queueTimeoutUs: { value: Math.round(modelBudgetMs * 1000), why: `rule: the model's share of the SLA, ${slaMs} ms − ${fmt(outside, 1)} ms network and processing (workload overheads)` },
      cpuTargetUtilizationPct: { value: cpuPct, why: `rule: 100 × cores used (${c.instances} × ${c.threadsPerInstance} of ${cores}) × usable utilization ${fmt(rtPlan.usableUtilization ?? 0.8)} (X_slo / X_max) = the CPU busy at capacity` },
    };
  }

  let deferred: DeferredSizing | null = null;
  if (plan.mode === 'deferred') {
    const deadlineS = workload.freshness?.deadlineS ?? 60;
    const x = point?.samplesPerSec ?? 0;
    deferred = {
      instances: { value: c.instances, why: from('config.instances') },
      threadsPerInstance: { value: c.threadsPerInstance, why: from('config.threadsPerInstance') },
      batch: { value: c.batch, why: from('config.batch (items taken from the queue per call)') },
      minReplicas: { value: plan.variant === 'serverless' || plan.variant === 'scale-to-zero' ? 0 : Math.max(1, plan.replicas), why: plan.variant === 'serverless' || plan.variant === 'scale-to-zero' ? from('variant: nothing runs while the queue is empty') : from('replicas') },
      maxReplicas: { value: Math.max(1, plan.replicas), why: from('replicas at peak (at least 1)') },
      queueLengthPerReplica: { value: Math.max(c.batch, Math.floor((x * deadlineS) / 2)), why: `rule: what one replica drains in half the ${deadlineS} s deadline at ${fmt(x, 1)} samples/s (${pointRef})` },
      deadlineS: { value: deadlineS, why: 'workload freshness.deadlineS' },
    };
  }

  let batch: BatchSizing | null = null;
  const bPlan = plan.mode === 'batch' ? plan : plan.mode === 'hybrid' ? plan.batchPart ?? null : null;
  if (bPlan && bPlan.config && workload.schedule) {
    const s = workload.schedule;
    const cron = cronForPeriod(s.periodH);
    const bfrom = (field: string) => `plan ${planId} ${bPlan.mode}/${bPlan.variant} ${field}`;
    batch = {
      batch: { value: bPlan.config.batch, why: bfrom('config.batch') },
      instances: { value: bPlan.config.instances, why: bfrom('config.instances') },
      threadsPerInstance: { value: bPlan.config.threadsPerInstance, why: bfrom('config.threadsPerInstance') },
      parallelism: { value: Math.max(1, bPlan.replicas), why: bfrom('replicas (machines working on one run)') },
      schedule: { value: cron.cron, why: cron.why },
      activeDeadlineS: { value: Math.round(s.windowH * 3600), why: `workload schedule.windowH = ${s.windowH} h (a run must finish inside its window)` },
      itemsPerRun: { value: s.itemsPerRun, why: 'workload schedule.itemsPerRun' },
    };
  }

  const inputs = info?.inputs ?? [];
  const outputs = info?.outputs ?? [];
  const provenance = [
    `Generated by Kneepoint from plan ${planId} (workload "${workload.name ?? result.workloadName}", verdict ${result.verdict}; exported: ${plan.mode}/${plan.variant}), planned ${stored.createdAt}.`,
    `Measured: run ${runId} of ${run.model.id} (sha256 ${run.model.sha256.slice(0, 16)}…) on ${run.hardware ? hardwareLabel(run.hardware) : 'an unrecorded machine'}.`,
    point ? `Chosen point: #${point.id ?? '?'} ${configLabel(point.config)}: ${fmt(point.samplesPerSec, 1)} samples/s, p50 ${fmt(point.latencyMs.p50, 3)} ms, p99 ${fmt(point.latencyMs.p99, 3)} ms (bare run() time).` : `Chosen configuration: ${configLabel({ ...c, provider: c.provider ?? 'cpu' })}.`,
    `Target: ${c.instanceType}${plan.replicas ? `, ${plan.replicas} replica(s) at peak` : ''}; SLA p${sla.percentile} ≤ ${slaMs} ms end to end (${fmt(modelBudgetMs, 1)} ms for the model).`,
    'Each value below names the plan field, run point or rule it comes from.',
  ];
  return {
    planId, planCreatedAt: stored.createdAt, workloadName: workload.name ?? result.workloadName, verdict: result.verdict, mode: plan.mode, variant: plan.variant, runId,
    model: {
      id: run.model.id, name: run.model.name, sha256: run.model.sha256, fileName: 'model.onnx', inputs, outputs,
      dynamicBatch: info?.dynamicBatch ?? true, batchDims: info?.batchDims ?? {},
    },
    precision: c.precision, provider: c.provider ?? 'cpu', instanceType: c.instanceType,
    point: point ? { id: point.id ?? null, label: configLabel(point.config), samplesPerSec: point.samplesPerSec, p99Ms: point.latencyMs.p99, p50Ms: point.latencyMs.p50, peakRssBytes: point.peakRssBytes } : null,
    hardware: run.hardware ? hardwareLabel(run.hardware) : 'unknown',
    sla, resources, realtime, deferred, batch, provenance, notes,
  };
}

/** A Kubernetes object name from a model id (DNS-1123 label: lowercase, digits, '-', ≤ 63). */
export function k8sName(id: string, suffix = ''): string {
  const base = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  return `${base.slice(0, 63 - suffix.length)}${suffix}`.replace(/-+$/g, '');
}
