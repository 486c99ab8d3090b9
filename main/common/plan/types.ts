// Output of the planner. Pure types.
import type { Precision, ProviderName } from '../types.ts';
import type { BandCalibration } from '../sim/band.ts';

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
  predicted: PredictedLatency | null;
  /**
   * real-time: today's peak / capacity at the SLA of the whole fleet at peak (replicas × X_slo), so
   * headroomPct = 100 × (1 − utilization); offline modes: busy share of the fleet; serverless (no
   * fleet): concurrencyAtPeak / concurrencyLimit, or 0 without a limit (it scales per request)
   */
  utilization: number;
  /** spare capacity at peak, percent of the plan's capacity (100 × (1 − utilization)) */
  headroomPct: number;
  /** what limits the plan (the SLA at peak rate, the redundancy minimum, the batch window …) */
  bindingConstraint: string;
  /** capacity of one replica at the SLA (real-time), requests/s */
  capacityPerReplicaPerSec?: number;
  /** X_slo / X_max of the chosen configuration (real-time) */
  usableUtilization?: number;
  /** real-time: today's peak rate offered to this plan (× the miss share for a hybrid), requests/s */
  peakRatePerSec?: number;
  /** real-time: peakRatePerSec × (1 + growth margin), the rate the fleet is sized for */
  designPeakRatePerSec?: number;
  /** serverless: functions running at once at today's peak (rate × function duration) */
  concurrencyAtPeak?: number;
  /** serverless: the provider's concurrency limit (serverless.maxConcurrency), when the workload gives one */
  concurrencyLimit?: number;
  /** real-time: plain-language sizing lines (design peak, replicas, utilisation, predicted latency), same numbers as the fields */
  summary?: string[];
  /** cost arithmetic in words, one step per line */
  arithmetic: string[];
  /** the same mode's other variants (e.g. fixed vs autoscaled vs serverless), for comparison */
  /** hybrid only: the scheduled-batch half of the plan (the rest of the fields describe the real-time half plus the total cost) */
  batchPart?: Plan;
  alternatives?: Array<{ variant: PlanVariant; feasible: boolean; monthlyCostUsd: number | null; replicas: number; reason?: string }>;
}

/**
 * Predicted end-to-end latency (network and processing included). p50Ms/p99Ms are always there;
 * the slaPercentile fields carry the workload's SLA percentile (equal to p99 when the SLA is p99),
 * which is what the text and the binding constraint compare against the SLA.
 */
export interface PredictedLatency {
  p50Ms: number;
  p99Ms: number;
  /** band of p99: replications' 95 % interval, widened by the speed-factor uncertainty */
  p99BandMs: [number, number];
  /** the workload's SLA percentile (e.g. 95) */
  slaPercentile?: number;
  /** predicted latency at the SLA percentile */
  slaPercentileMs?: number;
  /** band of the SLA percentile, same construction as p99BandMs */
  slaBandMs?: [number, number];
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

/** How well the predictor has been checked for this model on this machine (a `validate` run). */
export interface PlanChecked {
  runId: string;
  /** median |p99 error| over the validate run's levels, % */
  medianAbsP99ErrPct: number;
  /** share of levels whose measured p99 fell inside the predicted band, % (null: a validate run from before bands) */
  bandCoveragePct: number | null;
  levels: number;
  createdAt: string;
}

export interface PlanResult {
  verdict: Verdict;
  /**
   * the check behind the numbers: the latest validate run of the model on this machine, or null
   * with `checkCommand` (the command that would check it); absent in pure use (tests, what-ifs in the page)
   */
  checked?: PlanChecked | null;
  /** the validate command to run when `checked` is null, with its expected duration */
  checkCommand?: string;
  /** the remote target that check runs on (the curves were measured there); absent: this machine */
  checkTarget?: string;
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
  /**
   * the serving calibration the real-time predictions include (per-batch overhead of the real
   * serving path and the machine's jitter); null = none was available (predictions assume bare
   * run() times); absent = the caller passed none (pure use, e.g. tests and the docs example)
   */
  serving?: PlanServing | null;
  /** which sweep the plan came from */
  runId: string;
  model: string;
  workloadName: string;
  /** set when the run measured another model than the workload names: the plan used the wrong curves */
  curvesModelMismatch?: { run: string; workload: string; mapped?: boolean };
}

/**
 * What the real serving path costs beyond the bare run() time of the sweep, measured by
 * `kneepoint load` / `kneepoint validate` on the measured machine (docs/validation.md).
 */
export type { LoadFactor } from '../sim/serviceModel.ts';
import type { LoadFactor } from '../sim/serviceModel.ts';

export interface ServingCalibration {
  /** per-batch serving overhead (dispatch, wake-up, hand-back), ms on the measured machine */
  overheadMs: number;
  /** evenly spaced quantiles (q0 … q100) of the machine's additive per-request jitter, ms (superseded by `stalls`) */
  jitterQuantilesMs?: number[];
  /** the machine's stall process measured alongside the load (events per second, duration quantiles q0 … q100 in ms) */
  stalls?: { ratePerSec: number; durationQuantilesMs: number[]; holds: 'any' | 'idle' };
  /** service time through the serving path under load / closed-loop service time (contention, cold caches), pooled */
  serviceScale?: number;
  /**
   * the service-time distributions the real batcher saw under load (busy time per batch: dispatch →
   * completion, overhead included), per batch size, for the configuration validate measured; the
   * ratio to the closed-loop mean carries them to batch sizes it did not see
   */
  servingPath?: ServingPathCurves;
  /** the measured spread of a future p99 measurement (sim/band.ts) */
  band?: BandCalibration;
  /** where it came from, in words (e.g. "validate run run_x (2025-01-02 10:00:00)") */
  source: string;
}

/** Service times measured through the serving path under load (validate's calibration levels). */
export interface ServingPathCurves {
  instances: number;
  threadsPerInstance: number;
  precision: Precision;
  provider: ProviderName;
  /** per batch size with enough samples: busy-time mean, q0 … q100, sample count */
  byBatch: Record<number, { meanMs: number; quantilesMs: number[]; samples: number }>;
  /** per batch size seen at all: busy-time mean / closed-loop mean */
  ratioByBatch: Record<number, number>;
  /** how the serving path's service time changes with the server's utilisation (sim/serviceModel.ts LoadFactor) */
  loadFactor?: LoadFactor;
}

/** The calibration a plan used, as stored with it. */
export interface PlanServing extends ServingCalibration {
  /** p99 of the jitter distribution, ms (null without jitter) */
  jitterP99Ms: number | null;
}

export interface PlanOptions {
  /**
   * serving overhead and machine jitter to include in every real-time service model (capacity,
   * predicted latency, sensitivity); null = the caller looked and found none (the explanation says
   * predictions assume no serving overhead); absent = bare run() times, nothing said
   */
  serving?: ServingCalibration | null;
  /** arrival times of the workload's traceFile, ms (the engine reads the file) */
  traceArrivalsMs?: number[];
  /** skip the sensitivity curves (used internally and for fast what-if updates) */
  skipSensitivity?: boolean;
  /**
   * the user said the run's model stands in for the workload's (e.g. the same graph under another
   * name): the plan says so in its first line instead of warning that the curves are wrong
   */
  modelMapped?: boolean;
  /** simulated requests per replication of a capacity probe (default 2000; sensitivity uses 1000) */
  simRequests?: number;
  /** independent replications per probed rate, judged on their upper 95 % bound (default 4; sensitivity uses 3) */
  simReplications?: number;
  seed?: number;
}
