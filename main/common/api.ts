// The one API contract. Every host (in-process engine, web host client, Electron preload bridge,
// in-memory fake) implements `KneepointApi`; each proves it with `satisfies KneepointApi`.
// Arguments are plain JSON; the engine validates every inbound argument with the schemas in
// ./schemas.ts (the same ones the CLI and the YAML loader use).

import type {
  ModelInfo, PointResult, RunSummary, SweepRunResult, SystemInfo,
} from './types.ts';
import type { z } from 'zod';
import type {
  SweepSpec, ResumeSweepArgs, LoadSpec, ValidateSpec, PredictArgs, addModelArgsSchema, exportReportArgsSchema, importFileArgsSchema, jobIdArgsSchema,
  listPlansArgsSchema, listRunsArgsSchema, modelArgsSchema, planArgsSchema, planIdArgsSchema, runIdArgsSchema, updateRunArgsSchema,
} from './schemas.ts';
import type { PlanResult } from './plan/types.ts';
import type { PredictOutput } from './loadTypes.ts';
import type { BestArgs } from './best/bestArgs.ts';
import type { BestResult } from './best/bestConfig.ts';
import type { DeployArgs, DeployResult } from './deployTypes.ts';
import type { RooflineResult } from './roofline.ts';

export interface JobRef {
  jobId: string;
  runId: string;
}

export interface JobProgress {
  jobId: string;
  runId: string;
  /** points (or seconds for load runs) done / total */
  done: number;
  total: number;
  /** current phase in words, e.g. "batch 4 × 2 instances: warm-up" */
  phase: string;
  elapsedMs: number;
  /** estimated time left; null until it can be estimated */
  remainingMs: number | null;
}

export interface JobFinished {
  jobId: string;
  runId: string;
  status: 'completed' | 'cancelled' | 'failed';
  error?: string;
}

/** A remote target as listed (only its URL and key path are stored: never credentials). */
export interface TargetSummary {
  name: string;
  url: string;
  remoteDir: string;
  identityFile?: string;
  /** the last `targets test`: null when never tested */
  lastTest: { ok: boolean; at: string; kneepointVersion?: string | null; error?: string } | null;
}

/** A running job, as `listJobs` reports it (for a page that re-attaches after a reload). */
export interface JobInfo {
  jobId: string;
  runId: string;
  kind: 'sweep' | 'load' | 'validate';
  /** the latest progress event; null before the first one */
  progress: JobProgress | null;
}

/** A stored plan in a list (`listPlans`). */
export interface PlanSummary {
  id: string;
  runId: string | null;
  createdAt: string;
  verdict?: string;
  workloadName?: string;
}

/** A stored plan in full (`getPlan`): the workload as planned and the planner's result. */
export interface StoredPlanRecord {
  id: string;
  runId: string | null;
  workload: unknown;
  /** the planner's PlanResult (see main/common/plan) */
  result: unknown;
  createdAt: string;
}

/**
 * addModel's two forms: a path on the engine's machine (CLI, Electron's native dialog), or the
 * file's bytes (a browser never reveals a path), written into the data dir and registered like
 * `{ path, copy: true }`. Uploads are limited to MAX_MODEL_UPLOAD_BYTES (main/common/modelUpload.ts).
 */
export type AddModelArgs = z.input<typeof addModelArgsSchema>;

/**
 * importFile: a Kneepoint JSON export (run or plan) or a Triton perf_analyzer CSV, as bytes. The
 * optional fields are what a perf_analyzer CSV does not record (ignored for JSON).
 */
export type ImportFileArgs = z.input<typeof importFileArgsSchema>;

/** plan's arguments (planArgsSchema) and what it returns: the planner's result, stored under planId. */
export type PlanArgs = z.input<typeof planArgsSchema>;
export interface PlanReply extends PlanResult {
  planId: string;
  runId: string;
  /** what the engine did to get curves, in words (e.g. "used the latest completed sweep") */
  notes: string[];
}
export type ExportReportArgs = z.input<typeof exportReportArgsSchema>;

/** What importFile did: a new run (or, when the same content is already stored, that run). */
export interface ImportFileResult {
  runId: string;
  /** true when this content was imported before: nothing was written */
  duplicate: boolean;
  /** the plan stored with it (a Kneepoint plan export) */
  planId?: string;
  points?: number;
  format?: 'kneepoint-json' | 'perf_analyzer-csv';
}

/** Events streamed from the engine. Subscriptions return an unsubscribe function. */
export interface ApiEvents {
  'job.progress': JobProgress;
  'job.point': { jobId: string; runId: string; point: PointResult };
  'job.finished': JobFinished;
}
export type ApiEventName = keyof ApiEvents;

/** Errors crossing the contract are values a person can act on. */
export interface ApiErrorShape {
  /** 'invalid-input' maps to CLI exit code 2, everything else to 1 */
  kind: 'invalid-input' | 'not-found' | 'engine' | 'cancelled';
  message: string;
}

export interface KneepointApi {
  getInfo(): Promise<SystemInfo>;

  listModels(): Promise<ModelInfo[]>;
  inspectModel(args: z.input<typeof modelArgsSchema>): Promise<ModelInfo>;
  addModel(args: AddModelArgs): Promise<ModelInfo>;

  /** returns at once; progress and points arrive as events */
  startSweep(args: SweepSpec | ResumeSweepArgs): Promise<JobRef>;
  startLoad(args: LoadSpec): Promise<JobRef>;
  /** `kneepoint validate` as a job: prediction vs real load on this machine; its calibration is then used by plan/predict */
  startValidate(args: ValidateSpec): Promise<JobRef>;
  cancelJob(args: z.input<typeof jobIdArgsSchema>): Promise<{ cancelled: boolean }>;
  /** jobs running now (a page reloaded during a sweep re-attaches to it) */
  listJobs(): Promise<JobInfo[]>;

  listRuns(args?: z.input<typeof listRunsArgsSchema>): Promise<RunSummary[]>;
  getRun(args: z.input<typeof runIdArgsSchema>): Promise<SweepRunResult>;
  updateRun(args: z.input<typeof updateRunArgsSchema>): Promise<RunSummary>;
  deleteRun(args: z.input<typeof runIdArgsSchema>): Promise<{ deleted: boolean }>;

  /** planner: see main/common/plan; the arguments are described in planArgsSchema */
  plan(args: PlanArgs): Promise<PlanReply>;
  listPlans(args?: z.input<typeof listPlansArgsSchema>): Promise<PlanSummary[]>;
  getPlan(args: z.input<typeof planIdArgsSchema>): Promise<StoredPlanRecord>;
  listWorkloads(): Promise<Array<{ id: string; name: string; path: string; yaml: string }>>;
  predict(args: PredictArgs): Promise<PredictOutput>;
  /** a run's configurations that meet an SLA ("p99:20"), ranked by an objective; see main/common/best */
  bestConfig(args: BestArgs): Promise<BestResult & { runId: string; model: string }>;
  /** serving configs (Triton, KServe, Kubernetes, Ray Serve) from a stored plan, validated, each value with its provenance */
  exportDeployment(args: DeployArgs): Promise<DeployResult>;
  /** each point's achieved GFLOP/s against this machine's measured roofs (measure: measure them when not stored yet, about 5 s) */
  roofline(args: { runId: string; measure?: boolean; remeasure?: boolean }): Promise<RooflineResult>;

  exportReport(args: ExportReportArgs): Promise<{ fileName: string; mime: string; base64: string }>;
  importFile(args: ImportFileArgs): Promise<ImportFileResult>;

  /** remote machines to measure on (`kneepoint targets`), with what their last test found */
  listTargets(): Promise<TargetSummary[]>;

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** Method names that can be relayed over IPC / WebSocket (everything but `on`). */
export type ApiMethodName = Exclude<keyof KneepointApi, 'on'>;
export const API_METHODS = [
  'getInfo', 'listModels', 'inspectModel', 'addModel', 'startSweep', 'startLoad', 'startValidate', 'cancelJob',
  'listRuns', 'getRun', 'updateRun', 'deleteRun', 'plan', 'listWorkloads', 'predict',
  'exportReport', 'importFile', 'listJobs', 'listPlans', 'getPlan', 'bestConfig', 'exportDeployment', 'roofline',
  'listTargets',
] as const satisfies readonly ApiMethodName[];
/** The compiler proves API_METHODS lists every method: a method missing from it makes this `never`. */
type UnlistedMethods = Exclude<ApiMethodName, (typeof API_METHODS)[number]>;
export const EVERY_METHOD_LISTED: [UnlistedMethods] extends [never] ? true : { unlisted: UnlistedMethods } = true;
/** One value per API method (the channel allowlist of a transport); complete because API_METHODS is. */
export function perApiMethod<V>(make: (method: ApiMethodName) => V): Record<ApiMethodName, V> {
  return Object.fromEntries(API_METHODS.map((m) => [m, make(m)])) as Record<ApiMethodName, V>;
}
export const API_EVENTS: readonly ApiEventName[] = ['job.progress', 'job.point', 'job.finished'] as const;
