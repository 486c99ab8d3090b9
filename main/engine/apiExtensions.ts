// API methods whose implementations live in other engine modules (load, planner, reports, import).
// Kept in one table so api.ts stays a thin validator/dispatcher.
import type { EngineContext } from './context.ts';
import type { LoadSpecResolved } from '../common/schemas.ts';
import type { JobProgress } from '../common/api.ts';
import { KneepointError } from '../common/errors.ts';
import { planFromRequest, listShippedWorkloads } from './plan/planRun.ts';

const notYet = (what: string) => new KneepointError('engine', `${what} is not available in this build yet`);

export const engineExtensions = {
  async runLoadJob(_ctx: EngineContext, _spec: LoadSpecResolved, _cb: { signal: AbortSignal; onRunCreated: (id: string) => void; onProgress: (p: Omit<JobProgress, 'jobId'>) => void }): Promise<{ status: string; error?: string }> {
    throw notYet('open-loop load');
  },
  async plan(ctx: EngineContext, args: { runId?: string; workload: unknown; workloadYaml?: string }): Promise<unknown> {
    return planFromRequest(ctx, { runId: args.runId, workload: args.workload, workloadYaml: args.workloadYaml, sweepIfMissing: false });
  },
  async listWorkloads(_ctx: EngineContext): Promise<Array<{ id: string; name: string; path: string; yaml: string }>> {
    return listShippedWorkloads();
  },
  async predict(_ctx: EngineContext, _args: unknown): Promise<unknown> {
    throw notYet('prediction');
  },
  async exportReport(_ctx: EngineContext, _args: { id: string; format: 'html' | 'json' | 'csv' | 'pdf' }): Promise<{ fileName: string; mime: string; base64: string }> {
    throw notYet('report export');
  },
  async importFile(_ctx: EngineContext, _args: { fileName: string; base64: string }): Promise<{ runId: string; duplicate: boolean }> {
    throw notYet('import');
  },
};
