// Little's law cross-check of a closed-loop point. MEASUREMENT.md rule 5.

/** Gaps above this are flagged: the counted throughput and latencies do not describe the same run. */
export const LITTLE_GAP_FLAG_PCT = 10;

export interface LittleInputs {
  /** model instances (workers) running back-to-back: the true concurrency of a closed loop */
  instances: number;
  /** completed run() calls per second (= samples per second / batch) */
  requestsPerSec: number;
  /** mean per-request latency in ms */
  meanLatencyMs: number;
}

/** Concurrency implied by Little's law, L = λ·W (requests/s × mean latency in s). */
export function littleImpliedConcurrency({ requestsPerSec, meanLatencyMs }: LittleInputs): number {
  return (requestsPerSec * meanLatencyMs) / 1000;
}

/**
 * |λ·W − instances| / instances · 100. In a closed loop every instance is always busy, so λ·W should
 * equal the instance count; λ·W below it means time between calls that latency does not count
 * (harness overhead, input preparation), above it means latency or throughput is over-counted.
 */
export function littleGapPct(inputs: LittleInputs): number {
  if (!(inputs.instances > 0)) throw new RangeError(`instances must be > 0, got ${inputs.instances}`);
  return (Math.abs(littleImpliedConcurrency(inputs) - inputs.instances) / inputs.instances) * 100;
}
