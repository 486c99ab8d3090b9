// The JSON interchange documents: a complete run (`kneepoint.run`) or a plan with the run it came
// from (`kneepoint.plan`). What `report --format json` writes and what `import` reads back.
import type { Store } from '../store/store.ts';
import type { SweepRunResult } from '../../common/types.ts';
import type { PlanResult } from '../../common/plan/types.ts';

/** Bump when a reader of version N could misread a version N+1 file; importers reject newer versions. */
export const REPORT_SCHEMA_VERSION = 1;

/** A run with everything needed to recreate it elsewhere (histograms included). */
export type RunDocumentBody = SweepRunResult & {
  kind?: string;
  name?: string;
  tags?: string[];
  versions?: unknown;
  error?: string;
  result?: unknown;
};

export interface RunDocument extends RunDocumentBody {
  schemaVersion: number;
  kind: string;
  /** the run's own kind (sweep, load, validate, import); `kind` names the document */
  runKind: string;
  exportedAt: string;
}

export interface StoredPlan {
  id: string;
  runId: string | null;
  workload: unknown;
  result: PlanResult;
  createdAt: string;
}

export interface PlanDocument {
  schemaVersion: number;
  kind: 'kneepoint.plan';
  exportedAt: string;
  planId: string;
  createdAt: string;
  workload: unknown;
  result: PlanResult;
  /** the run the plan was computed from, as a run document (null when the plan has no stored run) */
  run: RunDocument | null;
}

/** The run with its name, tags, library versions and kind (getRunResult leaves some of them out). */
export function loadRunBody(store: Store, runId: string): RunDocumentBody {
  const run = store.getRunResult(runId) as RunDocumentBody;
  const row = store.getRunRow(runId);
  return { ...run, kind: row.kind, name: row.name ?? undefined, tags: row.tags, versions: row.versions };
}

export function runDocument(store: Store, runId: string): RunDocument {
  const body = loadRunBody(store, runId);
  const { kind, ...rest } = body;
  return { schemaVersion: REPORT_SCHEMA_VERSION, kind: 'kneepoint.run', runKind: kind ?? 'sweep', exportedAt: new Date().toISOString(), ...rest };
}

export function loadPlan(store: Store, planId: string): StoredPlan {
  const p = store.getPlan(planId);
  return { ...p, result: p.result as PlanResult };
}

export function planDocument(store: Store, planId: string): PlanDocument {
  const p = loadPlan(store, planId);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION, kind: 'kneepoint.plan', exportedAt: new Date().toISOString(),
    planId: p.id, createdAt: p.createdAt, workload: p.workload, result: p.result,
    run: p.runId ? runDocument(store, p.runId) : null,
  };
}

/** JSON text with non-finite numbers as null (JSON has no NaN/Infinity). */
export function toJsonText(doc: unknown): string {
  return JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
