// What a report is about: a run (RUN_ID) or a plan with the run it was computed from (PLAN_ID).
import type { RooflineResult } from '../../common/roofline.ts';
import type { Store } from '../store/store.ts';
import { notFound } from '../../common/errors.ts';
import { loadPlan, loadRunBody, type RunDocumentBody, type StoredPlan } from './runDocument.ts';

export interface ReportSubject {
  run: RunDocumentBody;
  plan: StoredPlan | null;
  /** the run's roofline, when the caller could compute it (it needs the model's FLOPs) */
  roofline?: RooflineResult | null;
}

const exists = (store: Store, table: 'run' | 'plan', id: string) =>
  store.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;

/** Resolve RUN_ID or PLAN_ID (either may be given; the prefix is not required). */
export function loadReportSubject(store: Store, id: string): ReportSubject {
  if (exists(store, 'run', id)) return { run: loadRunBody(store, id), plan: null };
  if (exists(store, 'plan', id)) {
    const plan = loadPlan(store, id);
    if (!plan.runId || !exists(store, 'run', plan.runId)) {
      throw notFound(`plan ${id} refers to run ${plan.runId ?? '(none)'}, which is not in this database: import that run first`);
    }
    return { run: loadRunBody(store, plan.runId), plan };
  }
  throw notFound(`no run or plan "${id}" in ${store.path}: list them with \`kneepoint runs\` (and \`kneepoint plans\`)`);
}
