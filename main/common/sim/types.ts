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
  /** optional additive machine-jitter distribution (ms) drawn once per request */
  jitter?: { sample(rng: () => number): number; p99Ms: number };
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
}

export interface SimulationResult {
  latencyMs: { p50: number; p90: number; p99: number; p999: number | null; mean: number };
  queueWaitMs: { p50: number; p99: number };
  samplesPerSec: number;
  requestsPerSec: number;
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
}
