// API methods whose implementations live in other engine modules (load, planner, reports, import).
// Kept in one table so api.ts stays a thin validator/dispatcher.
import type { EngineContext } from './context.ts';
import type { LoadSpecResolved } from '../common/schemas.ts';
import type { JobProgress } from '../common/api.ts';
import { z } from 'zod';
import { parseArgs } from './argParse.ts';
import { precisionSchema, providerSchema, predictArgsSchema } from '../common/schemas.ts';
import { buildReport, checkReportOptions } from './report/exportReport.ts';
import { importBytes } from './import/importFile.ts';
import { planFromRequest, listShippedWorkloads } from './plan/planRun.ts';
import { runLoad } from './load/runLoad.ts';
import { predictFromRun } from './load/predictRun.ts';

export const engineExtensions = {
  async runLoadJob(ctx: EngineContext, spec: LoadSpecResolved, cb: { signal: AbortSignal; onRunCreated: (id: string) => void; onProgress: (p: Omit<JobProgress, 'jobId'>) => void }): Promise<{ status: string; error?: string }> {
    try {
      await runLoad(ctx, spec, cb);
      return { status: 'completed' };
    } catch (e) {
      if ((e as { kind?: string }).kind === 'cancelled' || cb.signal.aborted) return { status: 'cancelled' };
      throw e;
    }
  },
  async plan(ctx: EngineContext, args: { runId?: string; loadRunId?: string; mapModel?: string; workload: unknown; workloadYaml?: string }): Promise<unknown> {
    const a = parseArgs(z.object({ runId: z.string().min(1).optional(), loadRunId: z.string().min(1).optional(), mapModel: z.string().min(1).optional() }).loose(), args, 'plan');
    return planFromRequest(ctx, { runId: a.runId, loadRunId: a.loadRunId, mapModel: a.mapModel, workload: args.workload, workloadYaml: args.workloadYaml, sweepIfMissing: false });
  },
  async listWorkloads(_ctx: EngineContext): Promise<Array<{ id: string; name: string; path: string; yaml: string }>> {
    return listShippedWorkloads();
  },
  async predict(ctx: EngineContext, args: unknown): Promise<unknown> {
    return predictFromRun(ctx, parseArgs(predictArgsSchema, args, 'predict'));
  },
  async exportReport(ctx: EngineContext, args: { id: string; format: 'html' | 'json' | 'csv' | 'pdf'; paper?: string; csvStyle?: string }): Promise<{ fileName: string; mime: string; base64: string }> {
    const a = parseArgs(z.object({ id: z.string().min(1), format: z.string(), paper: z.string().optional(), csvStyle: z.string().optional() }), args, 'exportReport');
    const f = await buildReport(ctx.store, a.id, checkReportOptions(a));
    return { fileName: f.fileName, mime: f.mime, base64: Buffer.from(f.bytes).toString('base64') };
  },
  async importFile(ctx: EngineContext, args: { fileName: string; base64: string; batch?: number; model?: string; precision?: string; provider?: string; hardware?: string }): Promise<{ runId: string; duplicate: boolean }> {
    const a = parseArgs(z.object({
      fileName: z.string().min(1).max(500), base64: z.string().regex(/^[A-Za-z0-9+/=\s]*$/, 'must be base64'),
      batch: z.number().int().min(1).optional(), model: z.string().min(1).optional(), precision: precisionSchema.optional(),
      provider: providerSchema.optional(), hardware: z.string().max(200).optional(),
    }), args, 'importFile');
    return importBytes(ctx.store, a.fileName, Buffer.from(a.base64, 'base64'), a);
  },
};
