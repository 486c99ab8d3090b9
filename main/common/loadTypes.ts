// Results of open-loop load runs (`kneepoint load`), predictions (`kneepoint predict`) and
// validation runs (`kneepoint validate`). Pure types shared by the engine, the CLI and the UI.
// Latency here is always completion − SCHEDULED arrival (coordinated-omission safe).

export interface LatencyPercentilesMs {
  p50: number;
  p90: number;
  p99: number;
  /** null below the p99.9 sample minimum */
  p999: number | null;
}

/** Machine noise measured next to a run. */
export interface MachineJitter {
  /** oversleep of a 1 ms timed wait (Atomics.wait) on a probe thread, ms */
  timerOversleepMs: { p50: number; p99: number; max: number; samples: number };
  /** 101 evenly spaced quantiles of the oversleep (what the predictor adds per request) */
  timerOversleepQuantilesMs: number[];
  /** GC pauses on the instance threads and the engine's main thread */
  gcPauses: { count: number; totalMs: number; maxMs: number };
  /** CPU time stolen by the hypervisor during the run, % (null when /proc/stat is not readable) */
  cpuStealPct: number | null;
  /** all CPUs' busy share during the run, % (others' work included; null when unknown) */
  cpuBusyPct: number | null;
}

/** What the serving path costs per batch on top of a bare run() loop. */
import type { ServingCalibration } from './plan/types.ts';
import type { BatcherConfig } from './sim/types.ts';

export interface ServingOverhead {
  /** dispatch + wake-up + hand-back (+ any slowdown of run() when woken), per batch, ms */
  overheadMs: number;
  /** batch-1 request through the batcher thread (sequential, idle gaps), ms */
  servedMsPerRequest: number;
  /** bare back-to-back run() of batch 1 (the closed-loop sweep's loop), ms */
  bareMsPerRequest: number;
  /** run() measured inside the instance while served, ms */
  runMsInServer: number;
  /** under this run's load: mean (busy time seen by the batcher − run() inside the instance), ms */
  underLoadMs?: number;
  /** validate only: the idle probe's overhead before the saturation probe raised it, ms */
  idleProbeOverheadMs?: number;
  /** validate only: completed requests/s of the unbatched server driven past capacity */
  saturationRequestsPerSec?: number;
}

/** Figures of one repetition (one seeded schedule). */
export interface LoadRepetition {
  seed: number;
  latencyMs: LatencyPercentilesMs & { mean: number; max: number };
  queueWaitMs: { p50: number; p99: number; mean: number };
  /** admission − scheduled send time on the generator thread */
  generatorLagMs: { p50: number; p99: number; max: number };
  samplesPerSec: number;
  requestsPerSec: number;
  offeredRequestsPerSec: number;
  meanBatchSize: number;
  batchSizes: Record<number, number>;
  /** mean run() per batch inside the instance, and mean busy time per batch seen by the batcher */
  computeMsPerBatch: number;
  busyMsPerBatch: number;
  utilization: number;
  /** counted (post-warm-up) requests */
  requests: number;
  completed: number;
  rejected: number;
  timedOut: number;
  /** still queued when the drain limit passed (overload) */
  unfinished: number;
  warmupRequests: number;
  jitter: MachineJitter;
}

/** Traffic through a dynamic batcher, measured (`load`) or predicted (`predict`), in the same units. */
export interface TrafficFigures {
  model: string;
  arrival: string;
  ratePerSec: number;
  batcher: BatcherConfig;
  threads: number;
  /** load: the mean over repetitions */
  latencyMs: LatencyPercentilesMs & { mean: number };
  samplesPerSec: number;
  requestsPerSec: number;
  meanBatchSize: number;
  /** how many batches of each size were formed (load: summed over repetitions) */
  batchSizes: Record<number, number>;
  queueWaitMs: { p50: number; p99: number };
  utilization: number;
  rejected: number;
  timedOut: number;
  ciMethod: string;
  notes: string[];
}

export interface LoadResult extends TrafficFigures {
  runId: string;
  /** the remote target that served the load (`load --target`); absent: this machine */
  target?: string;
  /** every input as fed at batch 1 (value, range or file), in words */
  inputsFed?: string;
  seconds: number;
  seed: number;
  /** 95 % t-interval of p99 over independent repetitions (null with one repetition) */
  p99CiMs: [number, number] | null;
  /** split of mean latency: queue wait vs compute (busy time of the batch) */
  latencySplitMs: { queueWait: number; compute: number };
  generatorLagMs: { p50: number; p99: number; max: number };
  unfinished: number;
  /** false when generator lag p99 exceeds 1 % of the SLA (or of p50 latency without an SLA) */
  valid: boolean;
  invalidReason?: string;
  slaMs?: number;
  /** serving overhead per batch (dispatch, wake-up, hand-back) vs a bare run() loop, ms */
  overheadMs: number;
  overhead: ServingOverhead;
  jitter: MachineJitter;
  /** plain-language verdict on whether the machine's jitter dominates the tail */
  jitterVerdict: string;
  jitterDominatesTail: boolean;
  repetitions: LoadRepetition[];
}

/** `kneepoint predict` output (same units as `load`). */
export interface PredictOutput extends TrafficFigures {
  fromRunId: string;
  /** predicted p99 (= latencyMs.p99), ms */
  p99Ms: number;
  /** the simulator's own 95 % replication interval of p99 (how precisely the model was evaluated) */
  p99CiMs: [number, number];
  /** the 95 % band for a future measurement of p99 on this machine (sim/band.ts): what to plan with */
  p99BandMs: [number, number];
  /** the band's spread was measured by a validate run (false: wide uncalibrated default) */
  bandCalibrated: boolean;
  saturated: boolean;
  stabilityBoundPerSec: number;
  /** serving overhead and jitter used, and where they came from */
  calibration: { overheadMs: number; jitterP99Ms: number | null; source: string };
  replications: number;
}

export interface ValidationRow {
  config: string;
  maxBatch: number;
  maxDelayMs: number;
  /** fraction of the predicted capacity (stability bound) */
  loadFraction: number;
  ratePerSec: number;
  /** p99CiMs: the simulator's replication interval; p99BandMs: the 95 % band for a future measurement on this machine (sim/band.ts) */
  predicted: { p50Ms: number; p99Ms: number; p99CiMs: [number, number]; p99BandMs: [number, number]; utilization: number; meanBatchSize: number };
  /** p99RangeMs: lowest and highest p99 of the repetitions */
  measured: { p50Ms: number; p99Ms: number; p99CiMs: [number, number] | null; p99RangeMs?: [number, number]; utilization: number; meanBatchSize: number; valid: boolean; generatorLagP99Ms: number };
  /** (predicted − measured) / measured × 100: negative = optimistic */
  p50ErrorPct: number;
  p99ErrorPct: number;
  /** the measured p99 lies inside the predicted band */
  insideBand?: boolean;
  /** unbatched levels: the same rate through the reference open-loop generator (engine/reference), which shares no load code */
  reference?: { p50Ms: number; p99Ms: number; p99RangeMs: [number, number]; loadVsReferencePct: number };
}

export interface ValidationResult {
  runId: string;
  /** the remote target it was validated on (`validate --target`); absent: this machine */
  target?: string;
  /** every input as fed at batch 1 by the load levels (value, range or file), in words */
  inputsFed?: string;
  model: string;
  sweepRunId: string;
  threads: number;
  instances: number;
  overhead: ServingOverhead;
  jitter: MachineJitter;
  rows: ValidationRow[];
  summary: {
    medianAbsP50ErrorPct: number;
    medianAbsP99ErrorPct: number;
    /** most negative p99 error (predicted below measured), % */
    worstOptimisticP99ErrorPct: number;
    /** rows at utilization <= 0.8 within |15 %| on p99 */
    p99Within15PctShare: number;
    /** share of levels whose measured p99 lies inside the predicted band, % */
    bandCoveragePct?: number;
    /** median (band high − band low) / predicted p99, % */
    medianBandWidthPct?: number;
    levels?: number;
  };
  /** what plan/predict use afterwards: serving-path overhead and scale, stall process, band spread */
  calibration?: ServingCalibration;
  /** the stall events the probe measured during calibration */
  stallEvents?: { ratePerSec: number; durationQuantilesMs: number[]; thresholdMs: number; events: number; probeSeconds: number };
  capacity: {
    config: string;
    slaMs: number;
    percentile: number;
    /** the model's capacity: the largest rate whose predicted p99 meets the SLA */
    predictedPerSec: number;
    /** the capacity the planner plans with: the largest rate whose band's upper end meets the SLA (absent in older runs) */
    safePerSec?: number;
    /** (safe − measured) / measured, %; null when not bracketed */
    safeErrorPct?: number | null;
    /** from the measured levels (linear interpolation of p99 between levels); null when not bracketed */
    measuredPerSec: number | null;
    measuredNote: string;
    errorPct: number | null;
  };
  durationMs: number;
  notes: string[];
}
