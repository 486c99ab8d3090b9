// Messages between the engine and an inference worker (one worker = one model instance with its
// own InferenceSession). The hot loop is steered through a shared Int32Array so that stopping does
// not depend on the worker's event loop.
import type { InputPin, TensorInfo } from '../../common/types.ts';

export const CTL_IDLE = 0;
export const CTL_RUN = 1;
export const CTL_STOP = 2;

export interface InitMsg {
  type: 'init';
  modelPath: string;
  /** onnxruntime-node SessionOptions (plain JSON) */
  sessionOptions: Record<string, unknown>;
  control: SharedArrayBuffer;
  seed: number;
}
export interface PrepareMsg {
  type: 'prepare';
  batch: number;
  pins: InputPin[];
  batchDims?: Record<string, number | null>;
  rotation: number;
  /** when set, do not allocate the feeds nor run once (the caller only wants the plan and its size) */
  planOnly?: boolean;
  /** refuse (phase 'memory') before allocating when the feeds would need more than this many bytes */
  feedLimit?: FeedLimit;
}
/** The most bytes of input tensors one worker may allocate, and why (said in the refusal). */
export interface FeedLimit { bytes: number; why: string }
export interface LoopMsg { type: 'loop'; flushMs: number }
export interface RunOnceMsg { type: 'runOnce'; feedIndex: number; outputs?: boolean }
export interface ProfileMsg { type: 'endProfiling' }
export interface CloseMsg { type: 'close' }
export type ToWorker = InitMsg | PrepareMsg | LoopMsg | RunOnceMsg | ProfileMsg | CloseMsg;

export interface WorkerError { message: string; phase: 'session' | 'prepare' | 'memory' | 'first-inference' | 'run'; inputs?: string }

export type FromWorker =
  | { type: 'ready'; sessionCreateMs: number; inputs: TensorInfo[]; outputs: TensorInfo[] }
  | { type: 'prepared'; firstInferenceMs: number | null; inputBytes: number; plan: string }
  /** completion end times (epoch ms, performance.timeOrigin-based) and latencies (ms) */
  | { type: 'chunk'; endsMs: Float64Array; latenciesMs: Float64Array }
  | { type: 'stopped'; runs: number }
  | { type: 'ranOnce'; latencyMs: number; outputs?: Record<string, { type: string; dims: number[]; data: ArrayLike<number> }> }
  | { type: 'profile'; file: string }
  | { type: 'error'; error: WorkerError };
