// Stores an imported run (and plan) in one transaction: either everything is written or nothing.
// Idempotent: a run whose id is already stored with the same content is reported as a duplicate;
// a different run under the same id is stored under the id plus a content hash.
import { createHash } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { configKey } from '../store/store.ts';
import type { PointResult } from '../../common/types.ts';
import type { ImportBundle } from './importedRun.ts';

export interface ImportOutcome {
  runId: string;
  duplicate: boolean;
  planId?: string;
  points: number;
}

/** Hash of what makes two runs the same measurement: model, machine and every point (ids aside). */
export function runContentHash(r: { model: { id: string; sha256: string }; hardware: { fingerprint?: string } | null; points: PointResult[] }): string {
  const points = r.points.map(({ id: _id, ...p }) => p);
  return createHash('sha256').update(configKey({ model: [r.model.id, r.model.sha256], hw: r.hardware?.fingerprint ?? null, points })).digest('hex');
}

const runExists = (store: Store, id: string) => store.db.prepare('SELECT 1 FROM run WHERE id = ?').get(id) !== undefined;

export function writeImport(store: Store, bundle: ImportBundle): ImportOutcome {
  const { run, plan, source } = bundle;
  const hash = runContentHash(run);
  let runId = run.id;
  let duplicate = false;
  for (const candidate of [run.id, `${run.id}_${hash.slice(0, 8)}`]) {
    runId = candidate;
    if (!runExists(store, candidate)) { duplicate = false; break; }
    if (runContentHash(store.getRunResult(candidate)) === hash) { duplicate = true; break; }
    duplicate = false;
    if (candidate !== run.id) throw new Error(`run ${candidate} exists with different content (hash collision?): import refused`);
  }
  const importedAt = new Date().toISOString();
  let planId: string | undefined;
  store.db.transaction(() => {
    if (!duplicate) {
      store.createRun({ id: runId, kind: run.kind, name: run.name, model: run.model, hardware: run.hardware, spec: run.spec, versions: run.versions });
      for (const p of run.points) {
        const { id: _id, ...point } = p;
        store.addPoint(runId, point);
      }
      store.finishRun(runId, run.status, { result: { ...(run.result ?? {}), imported: { ...source, importedAt, originalRunId: run.id } } });
      // keep the run's own timeline; no local process owns an imported run
      store.db.prepare('UPDATE run SET created_at = COALESCE(?, created_at), finished_at = COALESCE(?, finished_at), pid = NULL, host = NULL, tags_json = ? WHERE id = ?')
        .run(run.createdAt ?? null, run.finishedAt ?? null, JSON.stringify([...new Set([...run.tags, 'imported'])]), runId);
    }
    if (plan) {
      const result = { ...(plan.result as object), runId };
      store.db.prepare('INSERT INTO plan(id, run_id, workload_json, result_json, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING')
        .run(plan.id, runId, JSON.stringify(plan.workload), JSON.stringify(result), plan.createdAt ?? importedAt);
      planId = plan.id;
    }
  })();
  return { runId, duplicate, ...(planId ? { planId } : {}), points: run.points.length };
}
