import type { StallProcess } from './stalls.ts';

// Contract of the discrete-event simulator (the latency predictor). Pure TypeScript, runs in the
// engine, the CLI and the renderer (what-if sliders, the live queue animation).

/** Arrival process description, the same grammar as `kneepoint load --arrival`. */
export type ArrivalSpec =
  | { kind: 'constant'; ratePerSec: number }
  | { kind: 'poisson'; ratePerSec: number }
  /** gamma inter-arrivals with coefficient of variation cv (cv=1 is Poisson, >1 bursty) */
  | { kind: 'gamma'; ratePerSec: number; cv: number }
  /** regime switching: bursts at rate×highFactor for onMs, then rate×lowFactor for offMs; mean rate preserved */
  | { kind: 'onoff'; ratePerSec: number; onMs: number; offMs: number; highFactor: number }
  /** replayed arrival times (ms from start), optionally rescaled to ratePerSec */
  | { kind: 'trace'; arrivalsMs: number[]; ratePerSec?: number };

/** An arrival process without its rate (capacity search sweeps the rate). */
export type ArrivalShape = ArrivalSpec extends infer T ? (T extends unknown ? Omit<T, 'ratePerSec'> : never) : never;

/** Triton-style dynamic batcher settings. */
export interface BatcherConfig {
  maxBatch: number;
  /** max queue delay in ms (Triton max_queue_delay_microseconds / 1000) */
  maxDelayMs: number;
  preferredBatch?: number[];
  /** reject arrivals when this many requests are queued */
  maxQueue?: number;
  /** a request that waited longer than this in the queue is dropped as timed out */
  timeoutMs?: number;
  instances: number;
}

/**
 * Service time model: measured service time (ms) of one run() of batch m on one instance while
 * k instances run concurrently. Built from stored sweep points (histograms per batch size),
 * interpolating unmeasured batch sizes.
 */
export interface ServiceModel {
  /** draw one service time in ms for a batch of m requests (rng returns uniform [0,1)) */
  sample(m: number, rng: () => number): number;
  /** mean service time in ms for batch m */
  meanMs(m: number): number;
  /** per-request serving overhead (dispatch, wake-up, hand-back) in ms, added per batch */
  overheadMs: number;
  /** optional additive machine-jitter distribution (ms) drawn once per request (superseded by `stalls` where one is measured) */
  jitter?: { sample(rng: () => number): number; p99Ms: number };
  /** the machine's time-based stall process: interruptions that hold an instance (stalls.ts) */
  stalls?: StallProcess;
  /**
   * the same model at a server utilisation (busy fraction, 0–1): the serving path's service time
   * depends on how busy the server is (an instance that is often idle runs slower: cold caches,
   * CPU frequency, the VM descheduling an idle vCPU). simulate() resolves it (simulate.ts).
   */
  atUtilization?(utilization: number): ServiceModel;
}

export interface SimulationInput {
  arrival: ArrivalSpec;
  batcher: BatcherConfig;
  service: ServiceModel;
  /** simulated requests (after warm-up) */
  requests: number;
  /** requests discarded at the start so the queue reaches steady state */
  warmupRequests?: number;
  seed: number;
  /** extra latency percentiles to report in `extraPercentilesMs` (fractions, e.g. 0.95) */
  extraPercentiles?: number[];
}

export interface SimulationResult {
  latencyMs: { p50: number; p90: number; p99: number; p999: number | null; mean: number };
  /** time from arrival to dispatch of the request's batch */
  queueWaitMs: { p50: number; p99: number; mean?: number };
  /** completed requests per second (one sample per request) */
  samplesPerSec: number;
  /** completed requests per second (rejected and timed-out requests excluded) */
  requestsPerSec: number;
  /** arrivals per second of the measured part of the schedule */
  offeredRequestsPerSec?: number;
  /** mean compute time per batch (service draw + overheadMs) */
  computeMsPerBatch?: number;
  /** offered rate >= the stability bound k·B/E[s(B)]: the queue grows without bound, figures depend on run length */
  saturated?: boolean;
  /** latency at `SimulationInput.extraPercentiles`, same order */
  extraPercentilesMs?: number[];
  meanBatchSize: number;
  batchSizes: Record<number, number>;
  utilization: number;
  rejected: number;
  timedOut: number;
  requests: number;
}

export interface PredictionResult extends SimulationResult {
  /** CI for p99 from independent replications (different seeds) */
  p99CiMs: [number, number];
  replications: number;
  /** how the CI was computed (95 % Student-t over replication values) */
  ciMethod?: string;
  /** per extra percentile: the mean over replications and its 95 % t-interval */
  extraPercentileCisMs?: Array<{ p: number; valueMs: number; ciMs: [number, number] }>;
}

export interface CapacityOptions {
  service: ServiceModel;
  batcher: BatcherConfig;
  /** arrival process without rate (a full ArrivalSpec is accepted; its rate is ignored) */
  arrival: ArrivalShape | ArrivalSpec;
  /** latency budget for the chosen percentile, ms (already net of network and pre/post-processing) */
  slaMs: number;
  /** SLA percentile as a fraction, e.g. 0.99 */
  percentile: number;
  seed: number;
  /** simulated requests per replication (default 20000) */
  requests?: number;
  /** replications per tried rate (default 5) */
  replications?: number;
  /** stop when the bracket is narrower than this fraction of the rate (default 0.01) */
  relativeTolerance?: number;
}

export interface CapacityResult {
  /** largest rate whose upper CI bound of the SLA percentile meets slaMs (0 when even near-zero load misses) */
  maxRatePerSec: number;
  predictedAtMax: PredictionResult;
  iterations: number;
  /** k·B/(E[s(B)] + overhead): the rate the search never exceeds */
  stabilityBoundPerSec: number;
}
