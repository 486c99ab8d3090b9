// Output of the planner (issue 5's shape, plus a few extra fields). Pure types.
import type { Precision, ProviderName } from '../types.ts';

export type PlanMode = 'realtime' | 'deferred' | 'batch' | 'hybrid';
export type Verdict = PlanMode | 'infeasible';
/** How the plan's machines run: always on, per hour of the daily profile, per request, or per run. */
export type PlanVariant = 'fixed' | 'autoscaled' | 'serverless' | 'scale-to-zero' | 'scheduled' | 'batch+fixed' | 'batch+autoscaled';

export interface PlanConfig {
  precision: Precision;
  /** dynamic batcher's max batch (real-time) or the batch size used offline */
  batch: number;
  /** dynamic batcher's max queue delay, ms (0 for offline modes) */
  maxDelayMs: number;
  /** model instances per replica */
  instances: number;
  threadsPerInstance: number;
  /** catalog instance name, 'serverless', or 'measured-machine' when the workload lists none */
  instanceType: string;
  provider?: ProviderName;
}

export interface Plan {
  mode: PlanMode;
  variant: PlanVariant;
  feasible: boolean;
  /** why the plan is infeasible, in words */
  reason?: string;
  config: PlanConfig | null;
  /** replicas at peak (fixed fleet size, or the largest hourly count) */
  replicas: number;
  /** replicas per hour of the daily profile (autoscaled real-time) */
  replicasByHour?: number[];
  /** null when the workload gives no prices */
  monthlyCostUsd: number | null;
  costPerMillionUsd: number | null;
  /** inferences the plan runs per month (the $/1M denominator) */
  monthlyInferences: number;
  predicted: { p50Ms: number; p99Ms: number; p99BandMs: [number, number] } | null;
  /** offered load / stability bound of one replica at peak (real-time), or busy share (offline) */
  utilization: number;
  /** spare capacity at peak, percent of the plan's capacity */
  headroomPct: number;
  /** what limits the plan (the SLA at peak rate, the redundancy minimum, the batch window …) */
  bindingConstraint: string;
  /** capacity of one replica at the SLA (real-time), requests/s */
  capacityPerReplicaPerSec?: number;
  /** X_slo / X_max of the chosen configuration (real-time) */
  usableUtilization?: number;
  /** cost arithmetic in words, one step per line */
  arithmetic: string[];
  /** the same mode's other variants (e.g. fixed vs autoscaled vs serverless), for comparison */
  /** hybrid only: the scheduled-batch half of the plan (the rest of the fields describe the real-time half plus the total cost) */
  batchPart?: Plan;
  alternatives?: Array<{ variant: PlanVariant; feasible: boolean; monthlyCostUsd: number | null; replicas: number; reason?: string }>;
}

export interface Relaxation {
  lever: 'looser-sla' | 'longer-deadline' | 'lower-precision' | 'other-instance' | 'faster-hardware' | 'smaller-batch';
  /** the change, in words */
  change: string;
  monthlyCostUsd: number | null;
  fitsBudget: boolean;
}

export interface SensitivityPoint {
  monthlyCostUsd: number | null;
  verdict: Verdict;
}

export interface PlanResult {
  verdict: Verdict;
  /** one plan per mode, best variant first in `alternatives`; ranked: chosen first, then feasible by cost */
  plans: Plan[];
  /** plain-language lines a PM can read aloud */
  explanation: string[];
  sensitivity: {
    sla: Array<{ slaMs: number } & SensitivityPoint>;
    deadline: Array<{ deadlineS: number } & SensitivityPoint>;
  };
  /** true when no instance price was given: plans carry capacity and latency only */
  costUnknown: boolean;
  /** mean rate above which always-on real-time is cheaper than serverless, requests/s (null when not computable) */
  breakEvenRatePerSec: number | null;
  /** ± percent on capacity/latency because the target instance was not measured (0 when it was) */
  uncertaintyPct: number;
  /** set when the workload is infeasible (SLA or budget): what would make it feasible */
  relaxations: Relaxation[];
  /** the SLA gap when real-time cannot meet it even at zero load, ms */
  slaGapMs?: number;
  budgetExceeded: boolean;
  /** which sweep the plan came from */
  runId: string;
  model: string;
  workloadName: string;
}

export interface PlanOptions {
  /** arrival times of the workload's traceFile, ms (the engine reads the file) */
  traceArrivalsMs?: number[];
  /** skip the sensitivity curves (used internally and for fast what-if updates) */
  skipSensitivity?: boolean;
  /** simulated requests per capacity probe (default 4000; sensitivity uses 1500) */
  simRequests?: number;
  seed?: number;
}
