// API methods whose implementations live in other engine modules (load, planner, reports, import).
// Kept in one table so api.ts stays a thin validator/dispatcher.
import type { EngineContext } from './engineContext.ts';
import type { LoadSpecResolved } from '../common/schemas.ts';
import type { JobProgress } from '../common/api.ts';
import { z } from 'zod';
import { parseArgs } from './argParse.ts';
import { predictArgsSchema, planArgsSchema, exportReportArgsSchema, importFileArgsSchema } from '../common/schemas.ts';
import type { ExportReportArgs, ImportFileArgs, ImportFileResult, PlanArgs, PlanReply } from '../common/api.ts';
import type { PredictOutput } from '../common/loadTypes.ts';
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
  async plan(ctx: EngineContext, args: PlanArgs): Promise<PlanReply> {
    const a = parseArgs(planArgsSchema, args, 'plan');
    return planFromRequest(ctx, { runId: a.runId, loadRunId: a.loadRunId, mapModel: a.mapModel, whatIf: a.whatIf, workload: args.workload, workloadYaml: args.workloadYaml, sweepIfMissing: false });
  },
  async listWorkloads(_ctx: EngineContext): Promise<Array<{ id: string; name: string; path: string; yaml: string }>> {
    return listShippedWorkloads();
  },
  predict(ctx: EngineContext, args: unknown): PredictOutput {
    return predictFromRun(ctx, parseArgs(predictArgsSchema, args, 'predict'));
  },
  async exportReport(ctx: EngineContext, args: ExportReportArgs): Promise<{ fileName: string; mime: string; base64: string }> {
    const a = parseArgs(exportReportArgsSchema, args, 'exportReport');
    const f = await buildReport(ctx.store, a.id, checkReportOptions(a));
    return { fileName: f.fileName, mime: f.mime, base64: Buffer.from(f.bytes).toString('base64') };
  },
  importFile(ctx: EngineContext, args: ImportFileArgs): ImportFileResult {
    const a = parseArgs(importFileArgsSchema, args, 'importFile');
    return importBytes(ctx.store, a.fileName, Buffer.from(a.base64, 'base64'), a);
  },
};
