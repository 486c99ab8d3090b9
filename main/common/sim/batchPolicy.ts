// Triton dynamic-batcher dispatch rule, shared by the simulator and the real in-process batcher so
// both form the same batches:
//  - a batch is sent at once when the queue holds the largest preferred size (maxBatch when no
//    preferred sizes are set): that many requests, oldest first;
//  - otherwise the batcher waits until the oldest queued request has waited maxDelayMs (0 = no
//    wait), then sends the largest preferred size that can be formed, or else everything queued
//    (capped at maxBatch).
// Batches are formed only for an idle instance (FIFO: one batch forms at a time).
import { invalidInput } from '../errors.ts';
import type { BatcherConfig } from './types.ts';

/** The batcher's settings as every outer form carries them: CLI flags, API specs, workload plans, Learn presets. */
export type BatcherFields = Pick<BatcherConfig, 'maxBatch' | 'maxDelayMs' | 'instances'> & {
  preferredBatch?: number[] | null;
  maxQueue?: number | null;
  timeoutMs?: number | null;
};

/**
 * The one parser from the flat fields to a BatcherConfig (unset optionals dropped, then validated),
 * used by `load`, `predict`, `validate`, `capacity`, the planner and Learn.
 */
export function batcherFromFields(f: BatcherFields): BatcherConfig {
  const b: BatcherConfig = { maxBatch: f.maxBatch, maxDelayMs: f.maxDelayMs, instances: f.instances };
  if (f.preferredBatch?.length) b.preferredBatch = [...f.preferredBatch];
  if (f.maxQueue !== undefined && f.maxQueue !== null) b.maxQueue = f.maxQueue;
  if (f.timeoutMs !== undefined && f.timeoutMs !== null) b.timeoutMs = f.timeoutMs;
  validateBatcher(b);
  return b;
}

/** Throws an actionable invalid-input error for impossible batcher settings. */
export function validateBatcher(b: BatcherConfig): void {
  if (!(Number.isInteger(b.maxBatch) && b.maxBatch >= 1)) throw invalidInput(`max batch must be a whole number >= 1, got ${b.maxBatch}`);
  if (!(Number.isFinite(b.maxDelayMs) && b.maxDelayMs >= 0)) throw invalidInput(`max queue delay must be >= 0 ms, got ${b.maxDelayMs}`);
  if (!(Number.isInteger(b.instances) && b.instances >= 1)) throw invalidInput(`instances must be a whole number >= 1, got ${b.instances}`);
  if (b.maxQueue !== undefined && !(Number.isInteger(b.maxQueue) && b.maxQueue >= 0)) {
    throw invalidInput(`max queue size must be a whole number >= 0 (or unset for unbounded), got ${b.maxQueue}`);
  }
  if (b.timeoutMs !== undefined && !(b.timeoutMs >= 0)) throw invalidInput(`queue timeout must be >= 0 ms (or unset), got ${b.timeoutMs}`);
  for (const p of b.preferredBatch ?? []) {
    if (!(Number.isInteger(p) && p >= 1 && p <= b.maxBatch)) {
      throw invalidInput(`preferred batch size ${p} must be a whole number between 1 and max batch ${b.maxBatch}`);
    }
  }
}

/** Queue length at which a batch is sent without waiting: the largest preferred size, else maxBatch. */
export function immediateBatchSize(b: BatcherConfig): number {
  const preferred = (b.preferredBatch ?? []).filter((p) => p <= b.maxBatch);
  return preferred.length ? Math.max(...preferred) : b.maxBatch;
}

/** Batch size sent once the oldest request has waited maxDelayMs, with `queued` requests waiting. */
export function expiredBatchSize(queued: number, b: BatcherConfig): number {
  const target = immediateBatchSize(b);
  if (queued >= target) return target;
  let best = 0;
  for (const p of b.preferredBatch ?? []) if (p <= queued && p > best) best = p;
  return best > 0 ? best : Math.min(queued, b.maxBatch);
}

/**
 * What an idle instance does now: the number of requests to dispatch (oldest first), or 0 to keep
 * waiting until the oldest request has waited maxDelayMs or another request arrives.
 */
export function decideBatchSize(queued: number, oldestWaitMs: number, b: BatcherConfig): number {
  if (queued <= 0) return 0;
  if (queued >= immediateBatchSize(b)) return immediateBatchSize(b);
  return oldestWaitMs >= b.maxDelayMs ? expiredBatchSize(queued, b) : 0;
}

/** expiredBatchSize for every queue length 0..immediateBatchSize (the simulator's lookup table). */
export function expiredBatchSizeTable(b: BatcherConfig): Int32Array {
  const target = immediateBatchSize(b);
  const table = new Int32Array(target + 1);
  for (let q = 0; q <= target; q++) table[q] = expiredBatchSize(q, b);
  return table;
}
