// Schemas of everything that crosses a boundary (CLI flags, IPC/WebSocket arguments, YAML files).
// The engine validates every inbound argument with these; the CLI and the UI use the same ones.
import { z } from 'zod';
import { MIN_SAMPLES_P99 } from './stats/thresholds.ts';
import { PRECISIONS, PROVIDERS } from './types.ts';

export const precisionSchema = z.enum(PRECISIONS);
export const providerSchema = z.enum(PROVIDERS);

/** How one model input is fed. Anything not pinned is synthesized from the model's metadata. */
export const inputPinSchema = z.object({
  /** input name in the model */
  name: z.string().min(1),
  /** fixed value broadcast to the whole tensor (e.g. Silero `sr` = 16000) */
  value: z.number().finite().optional(),
  /** concrete shape; the batch dim may be given as -1 / 'N' and is filled with the point's batch size */
  shape: z.array(z.union([z.number().int(), z.string()])).optional(),
  /** [min, max] for integer ids or float range (inclusive for ints) */
  range: z.tuple([z.number(), z.number()]).optional(),
  /** path to a file of real samples (.json: nested arrays or {data, shape}; .bin: raw little-endian of the input dtype) */
  file: z.string().optional(),
}).strict();

export const graphOptimizationLevelSchema = z.enum(['disabled', 'basic', 'extended', 'all']);

/** ORT session options that can be fixed or swept. Absent = ORT default. */
export const sessionOptionsSchema = z.object({
  graphOptimizationLevel: graphOptimizationLevelSchema.optional(),
  executionMode: z.enum(['sequential', 'parallel']).optional(),
  interOpThreads: z.number().int().min(1).max(256).optional(),
  spinning: z.boolean().optional(),
  memoryArena: z.boolean().optional(),
  profile: z.boolean().optional(),
}).strict();

const positiveInts = (max: number) => z.array(z.number().int().min(1).max(max)).min(1);

/** Measurement method knobs (MEASUREMENT.md); defaults are the documented method. */
export const methodSchema = z.object({
  warmupMinRuns: z.number().int().min(1).default(10),
  warmupMaxRuns: z.number().int().min(1).default(2000),
  warmupTolerancePct: z.number().positive().default(5),
  windowMinMs: z.number().positive().default(1000),
  windowMinRequests: z.number().int().min(1).default(50),
  stableWindows: z.number().int().min(2).default(3),
  stabilityTolerancePct: z.number().positive().default(10),
  /** windows before a point that is not stable stops and is stored as unstable */
  maxWindows: z.number().int().min(1).default(6),
  /** a stable point stops once it has this many requests ... */
  minSamplesForP99: z.number().int().min(1).default(MIN_SAMPLES_P99),
  /** ... and the 95 % interval of its p99 is within ± this percentage of the p99 */
  p99CiTolerancePct: z.number().positive().default(5),
  /** plateau early stop along the batch axis (MEASUREMENT.md rule 7) */
  plateauSteps: z.number().int().min(1).default(4),
  plateauGainPct: z.number().min(0).default(5),
  /** stop the batch axis once p99 passes this (ms), if given */
  slaMs: z.number().positive().optional(),
  /** re-measure the first point at the end; drift above this marks the sweep noisy */
  anchorTolerancePct: z.number().positive().default(15),
  anchor: z.boolean().default(true),
  seed: z.number().int().default(1),
  /** distinct input tensors to rotate over */
  inputRotation: z.number().int().min(1).max(64).default(4),
}).strict();
export type MethodSpec = z.infer<typeof methodSchema>;

export const sweepSpecSchema = z.object({
  /** catalog id or a path to an .onnx file */
  model: z.string().min(1),
  batch: positiveInts(4096).default([1]),
  instances: positiveInts(64).default([1]),
  threads: positiveInts(256).default([1]),
  precision: z.array(precisionSchema).min(1).default(['fp32']),
  provider: z.array(providerSchema).min(1).default(['cpu']),
  sessionOptions: sessionOptionsSchema.default({}),
  /** session-option axes: each listed variant is a separate point */
  sessionOptionVariants: z.array(sessionOptionsSchema).optional(),
  inputs: z.array(inputPinSchema).default([]),
  accuracyBudget: z.object({
    minCosine: z.number().min(-1).max(1).default(0.99),
    maxAbsErr: z.number().positive().optional(),
    minTop1Agreement: z.number().min(0).max(1).default(0.95),
  }).strict().default({ minCosine: 0.99, minTop1Agreement: 0.95 }),
  method: methodSchema.default(methodSchema.parse({})),
  name: z.string().optional(),
  /** resume an interrupted run: points already stored are kept and skipped */
  resumeRunId: z.string().optional(),
  /** run it on these remote targets (`kneepoint targets`): one name, or several to split the grid across them */
  target: z.array(z.string().min(1)).min(1).optional(),
  /** with several targets: the whole grid on each, one run per target (to compare machines) */
  perTarget: z.boolean().optional(),
}).strict();
export type SweepSpec = z.input<typeof sweepSpecSchema>;
/** startSweep's other form: the rest of an interrupted or cancelled sweep, with the spec it was stored with. */
export const resumeSweepArgsSchema = z.object({ resumeRunId: z.string().min(1) }).strict();
export type ResumeSweepArgs = z.input<typeof resumeSweepArgsSchema>;
export type SweepSpecResolved = z.output<typeof sweepSpecSchema>;

export const arrivalSchema = z.string().regex(/^(constant|poisson|gamma:[0-9.]+|onoff:.+|trace:.+)$/,
  'arrival must be constant, poisson, gamma:CV, onoff:ON_MS/OFF_MS[/FACTOR] or trace:FILE');

/**
 * The offered traffic and the dynamic batcher it meets, as `load` (real traffic) and `predict`
 * (simulated) take them: one definition, so both read the same flags the same way.
 */
export const arrivalBatcherSchema = z.object({
  rate: z.number().positive(),
  arrival: arrivalSchema.default('poisson'),
  maxBatch: z.number().int().min(1).max(4096).default(1),
  maxDelayMs: z.number().min(0).default(0),
  preferredBatch: z.array(z.number().int().min(1)).optional(),
  maxQueue: z.number().int().min(1).optional(),
  timeoutMs: z.number().positive().optional(),
});

export const loadSpecSchema = z.object({
  model: z.string().min(1),
  ...arrivalBatcherSchema.shape,
  seconds: z.number().positive().max(3600).default(10),
  instances: z.number().int().min(1).max(64).default(1),
  threads: z.number().int().min(1).max(256).default(1),
  precision: precisionSchema.default('fp32'),
  provider: providerSchema.default('cpu'),
  repeat: z.number().int().min(1).max(50).default(1),
  seed: z.number().int().default(1),
  slaMs: z.number().positive().optional(),
  inputs: z.array(inputPinSchema).default([]),
  name: z.string().optional(),
  /** run it on this remote target (`kneepoint targets`): the agent there serves the load, the run is stored here */
  target: z.string().min(1).optional(),
}).strict();
export type LoadSpec = z.input<typeof loadSpecSchema>;
export type LoadSpecResolved = z.output<typeof loadSpecSchema>;

/** Turn a zod error into one line a person can act on. */
export function describeZodError(err: z.ZodError, what: string): string {
  return err.issues.map((i) => `${what}: ${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}

/** `kneepoint predict` / api.predict: latency under load from a stored sweep's service curves. */
export const predictArgsSchema = z.object({
  /** a sweep run (or a validate run: its sweep is used) */
  runId: z.string().min(1),
  ...arrivalBatcherSchema.shape,
  instances: z.number().int().min(1).max(64).default(1),
  /** intra-op threads per instance; default: the only value measured with these instances */
  threads: z.number().int().min(1).max(256).optional(),
  precision: precisionSchema.optional(),
  provider: providerSchema.optional(),
  /** simulated requests per replication */
  requests: z.number().int().min(100).max(10_000_000).default(20000),
  replications: z.number().int().min(1).max(100).default(5),
  seed: z.number().int().default(1),
  /** serving overhead per batch, ms; default: the latest load/validate run of this model on this machine */
  overheadMs: z.number().min(0).optional(),
  /** add the measured machine jitter per request (default true when one is stored) */
  jitter: z.boolean().default(true),
}).strict();
export type PredictArgs = z.input<typeof predictArgsSchema>;
export type PredictArgsResolved = z.output<typeof predictArgsSchema>;

/** `kneepoint validate`: predicted vs measured open-loop latency on this machine. */
export const validateSpecSchema = z.object({
  model: z.string().min(1),
  quick: z.boolean().default(false),
  instances: z.number().int().min(1).max(64).default(1),
  threads: z.number().int().min(1).max(256).default(1),
  /** batch sizes measured for the service curve (closed loop) */
  batches: z.array(z.number().int().min(1).max(4096)).min(1).optional(),
  /** the batched configuration: max batch and max queue delay */
  maxBatch: z.number().int().min(2).max(4096).default(8),
  maxDelayMs: z.number().min(0).default(2),
  /** fractions of the predicted capacity (stability bound) to load at */
  loads: z.array(z.number().positive().max(1.5)).min(1).optional(),
  seconds: z.number().positive().max(600).optional(),
  repeat: z.number().int().min(1).max(20).optional(),
  /** SLA (p99) for the capacity comparison; default: derived from the predicted p99 at 70 % load */
  slaMs: z.number().positive().optional(),
  seed: z.number().int().default(1),
  inputs: z.array(inputPinSchema).default([]),
  name: z.string().optional(),
  /** validate on this remote target (`kneepoint targets`): curves, calibration and load measured there, stored here */
  target: z.string().min(1).optional(),
}).strict();
export type ValidateSpec = z.input<typeof validateSpecSchema>;
export type ValidateSpecResolved = z.output<typeof validateSpecSchema>;

// ---- Arguments of the API methods. KneepointApi (api.ts) takes its argument types from these, and
// the engine parses with them, so a field added here exists in the contract and in every host.

export const modelArgsSchema = z.object({ model: z.string().min(1) });
export const addModelArgsSchema = z.union([
  z.object({ fileName: z.string().min(1).max(500), base64: z.string(), name: z.string().max(200).optional() }),
  z.object({ path: z.string().min(1), copy: z.boolean().optional(), name: z.string().optional() }),
]);
export const jobIdArgsSchema = z.object({ jobId: z.string() });
export const listRunsArgsSchema = z.object({ model: z.string().optional(), kind: z.string().optional() });
export const runIdArgsSchema = z.object({ runId: z.string().min(1) });
export const updateRunArgsSchema = z.object({ runId: z.string(), name: z.string().max(200).optional(), tags: z.array(z.string().max(50)).max(20).optional() });
export const planArgsSchema = z.object({
  runId: z.string().min(1).optional(),
  /** a load/validate run whose serving overhead and jitter to include (default: the latest of the model here) */
  loadRunId: z.string().min(1).optional(),
  /** the run's model id, when that other model's curves are meant to stand in for the workload's (else such a plan is refused) */
  mapModel: z.string().min(1).optional(),
  /** a what-if of the plan shown (a slider moved): no sensitivity curves, nothing stored, planId '' */
  whatIf: z.boolean().optional(),
  /** the workload as an object (validated by the planner's workload schema) */
  workload: z.unknown(),
  /** the workload as YAML text (wins over `workload`; errors carry line and column) */
  workloadYaml: z.string().optional(),
}).loose();
export const listPlansArgsSchema = z.object({ runId: z.string().min(1).optional() });
export const planIdArgsSchema = z.object({ planId: z.string().min(1) });
export const reportFormatSchema = z.enum(['html', 'pdf', 'csv', 'json'], { error: (i) => `must be one of html, pdf, csv, json (got "${String(i.input ?? '')}")` });
export const exportReportArgsSchema = z.object({
  id: z.string().min(1),
  format: reportFormatSchema,
  paper: z.string().optional(),
  csvStyle: z.string().optional(),
});
export const importFileArgsSchema = z.object({
  fileName: z.string().min(1).max(500),
  base64: z.string().regex(/^[A-Za-z0-9+/=\s]*$/, 'must be base64'),
  /** perf_analyzer's -b; default 1 */
  batch: z.number().int().min(1).optional(),
  /** model id to file the run under; default perf_analyzer:<file name> */
  model: z.string().min(1).optional(),
  precision: precisionSchema.optional(),
  provider: providerSchema.optional(),
  /** the machine it ran on, in words, e.g. "g5.xlarge (A10G)" */
  hardware: z.string().max(200).optional(),
  /** a name for the imported run */
  name: z.string().max(200).optional(),
});
