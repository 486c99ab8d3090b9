// The one API contract. Every host (in-process engine, web host client, Electron preload bridge,
// in-memory fake) implements `KneepointApi`; each proves it with `satisfies KneepointApi`.
// Arguments are plain JSON; the engine validates every inbound argument with the schemas in
// ./schemas.ts (the same ones the CLI and the YAML loader use).

import type {
  ModelInfo, PointResult, RunSummary, SweepRunResult, SystemInfo,
} from './types.ts';
import type { SweepSpec, LoadSpec } from './schemas.ts';

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
  inspectModel(args: { model: string }): Promise<ModelInfo>;
  addModel(args: { path: string; copy?: boolean; name?: string }): Promise<ModelInfo>;

  /** returns at once; progress and points arrive as events */
  startSweep(args: SweepSpec): Promise<JobRef>;
  startLoad(args: LoadSpec): Promise<JobRef>;
  cancelJob(args: { jobId: string }): Promise<{ cancelled: boolean }>;

  listRuns(args?: { model?: string; kind?: string }): Promise<RunSummary[]>;
  getRun(args: { runId: string }): Promise<SweepRunResult>;
  updateRun(args: { runId: string; name?: string; tags?: string[] }): Promise<RunSummary>;
  deleteRun(args: { runId: string }): Promise<{ deleted: boolean }>;

  /** planner: see main/common/plan */
  plan(args: { runId?: string; workload: unknown; workloadYaml?: string }): Promise<unknown>;
  listWorkloads(): Promise<Array<{ id: string; name: string; path: string; yaml: string }>>;
  predict(args: unknown): Promise<unknown>;

  exportReport(args: { id: string; format: 'html' | 'json' | 'csv' | 'pdf' }): Promise<{ fileName: string; mime: string; base64: string }>;
  importFile(args: { fileName: string; base64: string }): Promise<{ runId: string; duplicate: boolean }>;

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** Method names that can be relayed over IPC / WebSocket (everything but `on`). */
export type ApiMethodName = Exclude<keyof KneepointApi, 'on'>;
export const API_METHODS: readonly ApiMethodName[] = [
  'getInfo', 'listModels', 'inspectModel', 'addModel', 'startSweep', 'startLoad', 'cancelJob',
  'listRuns', 'getRun', 'updateRun', 'deleteRun', 'plan', 'listWorkloads', 'predict',
  'exportReport', 'importFile',
] as const;
export const API_EVENTS: readonly ApiEventName[] = ['job.progress', 'job.point', 'job.finished'] as const;
