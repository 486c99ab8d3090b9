// The in-process inference server's wiring. The batcher thread and the instance threads talk through
// one SharedArrayBuffer (futex-style Atomics.wait/notify), the way a real server's scheduler hands
// work to model instances with condition variables: no event loop, no message copy on the hot path.
// Messages (postMessage) are used only to set up, start and collect a run.
import type { InputPin } from '../../common/types.ts';
import type { BatcherConfig } from '../../common/sim/types.ts';

/** Int32 slots: [0] completion counter (the batcher sleeps on it), [1] cancel flag, then STRIDE per instance. */
export const EVENT_COUNTER = 0;
export const CANCEL_FLAG = 1;
export const HEADER_INTS = 4;
export const STRIDE = 4;
/** per-instance Int32 offsets */
export const SLOT_STATE = 0;
export const SLOT_BATCH = 1;
export const SLOT_FEED = 2;

/** instance slot states */
export const IDLE = 0;
export const JOB = 1;
export const DONE = 2;
export const STOP = 3;

/** Float64 slots per instance: [0] run() time of the last job (ms, measured inside the instance). */
export const F64_STRIDE = 2;

export function slotBase(instance: number): number {
  return HEADER_INTS + instance * STRIDE;
}

export function sharedLayout(instances: number): { ints: SharedArrayBuffer; floats: SharedArrayBuffer } {
  return {
    ints: new SharedArrayBuffer(4 * (HEADER_INTS + instances * STRIDE)),
    floats: new SharedArrayBuffer(8 * F64_STRIDE * instances),
  };
}

// ---- instance worker ----
export interface InstanceInit {
  type: 'init';
  index: number;
  modelPath: string;
  sessionOptions: Record<string, unknown>;
  pins: InputPin[];
  batchDims?: Record<string, number | null>;
  /** batch sizes to prepare feeds for (1..maxBatch) */
  batches: number[];
  rotation: number;
  seed: number;
  ints: SharedArrayBuffer;
  floats: SharedArrayBuffer;
}
export type ToInstance =
  | InstanceInit
  /** run each prepared batch size `runs` times (first inference at every shape happens here) */
  | { type: 'warm'; runs: number }
  /** serve jobs from the shared slot until its state becomes STOP */
  | { type: 'serve' }
  /** back-to-back run() of one batch size, the same loop as the closed-loop sweep (bare baseline) */
  | { type: 'bare'; batch: number; runs: number }
  | { type: 'close' };
export type FromInstance =
  /** inputsFed: every input as fed at batch 1 (value, range or file), in words, stored with the run */
  | { type: 'ready'; sessionCreateMs: number; inputsFed: string }
  | { type: 'warmed'; meanMsByBatch: Record<number, number> }
  | { type: 'served'; jobs: number; gc: GcSummary }
  | { type: 'bareDone'; runMs: Float64Array }
  | { type: 'error'; message: string; phase: 'session' | 'prepare' | 'run' };

// ---- batcher (generator + dynamic batcher) worker ----
export interface ScheduleRun {
  type: 'run';
  /** scheduled arrival times, ms from the run's start (non-decreasing) */
  scheduleMs: Float64Array;
  batcher: BatcherConfig;
  /** after the last arrival, give up on queued requests after this long (counted as unfinished) */
  drainLimitMs: number;
  /** busy-wait instead of sleeping when the next event is closer than this (ms) */
  spinMs: number;
}
export interface OverheadProbe {
  type: 'probe';
  batch: number;
  requests: number;
  /** idle gap between probe requests so the instance really goes to sleep, ms */
  gapMs: number;
}
export type ToBatcher =
  | { type: 'init'; ints: SharedArrayBuffer; floats: SharedArrayBuffer; instances: number }
  | ScheduleRun
  | OverheadProbe;

/** Raw per-request and per-batch records of one scheduled run (all times in ms from the run's start). */
export interface RawScheduleResult {
  type: 'ran';
  /** when the generator handed each request to the batcher; lag = admittedMs − scheduled */
  admittedMs: Float64Array;
  /** dispatch of the request's batch (NaN when never dispatched) */
  dispatchMs: Float64Array;
  /** when the batcher saw the request's batch complete (NaN when not completed) */
  doneMs: Float64Array;
  /** FATE per request (sim/batcherCore.ts): pending, completed, rejected (queue full), timed out in the queue, dispatched */
  status: Uint8Array;
  /** per batch: size, first request index, instance, run() ms inside the instance, busy ms seen by the batcher */
  batchSize: Int32Array;
  batchFirst: Int32Array;
  batchInstance: Int32Array;
  batchRunMs: Float64Array;
  batchBusyMs: Float64Array;
  cancelled: boolean;
  wallMs: number;
}
export interface RawProbeResult {
  type: 'probed';
  /** dispatch → completion seen by the batcher, per request */
  servedMs: Float64Array;
  /** run() inside the instance, per request */
  runMs: Float64Array;
}
export type FromBatcher = RawScheduleResult | RawProbeResult | { type: 'error'; message: string };

export interface GcSummary {
  count: number;
  totalMs: number;
  maxMs: number;
}
