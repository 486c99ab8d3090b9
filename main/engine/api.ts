// The in-process implementation of the API contract. Every inbound argument is validated with the
// shared schemas; long jobs return a job id at once and stream events.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { AddModelArgs, ApiEventName, ApiEvents, JobInfo, JobProgress, JobRef, KneepointApi } from '../common/api.ts';
import {
  sweepSpecSchema, resumeSweepArgsSchema, loadSpecSchema, modelArgsSchema, addModelArgsSchema, jobIdArgsSchema, listRunsArgsSchema, runIdArgsSchema,
  updateRunArgsSchema, listPlansArgsSchema, planIdArgsSchema, validateSpecSchema,
} from '../common/schemas.ts';
import { parseArgs } from './argParse.ts';
import { predictArgsSchema, planArgsSchema, exportReportArgsSchema, importFileArgsSchema } from '../common/schemas.ts';
import { buildReport, checkReportOptions } from './report/exportReport.ts';
import { importBytes } from './import/importFile.ts';
import { planFromRequest, listShippedWorkloads } from './plan/planRun.ts';
import { loadWhere, validateWhere } from './remote/remoteJob.ts';
import { predictFromRun } from './load/predictRun.ts';
import { invalidInput, notFound } from '../common/errors.ts';
import type { ModelInfo } from '../common/types.ts';
import { z } from 'zod';
import { createContext, systemInfo, addUserModel, type EngineOptions } from './engine.ts';
import { builtinModels } from './models/catalog.ts';
import { storedSweepSpec } from './measure/sweepRecord.ts';
import { sweepOneRun } from './remote/sweepWhere.ts';
import { listTargets } from './remote/targetStore.ts';
import type { TargetSummary } from '../common/api.ts';
import { listVariants } from './models/modelVariants.ts';
import { bestForRun } from './best/bestForRun.ts';
import { exportDeployment } from './deploy/exportDeployment.ts';
import { rooflineForRun } from './roofline/rooflineRun.ts';
import type { BestArgs } from '../common/best/bestArgs.ts';
import { addUploadedModel } from './models/uploadedModel.ts';
import type { EngineContext } from './engineContext.ts';

export type Engine = KneepointApi & { close(): Promise<void>; readonly context: EngineContext };

export async function createEngine(opts: EngineOptions = {}): Promise<Engine> {
  const ctx = await createContext(opts);
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const jobs = new Map<string, { controller: AbortController; runId: string; kind: JobInfo['kind']; done: Promise<unknown>; progress: JobProgress | null }>();
  const emit = <E extends ApiEventName>(e: E, payload: ApiEvents[E]) => events.emit(e, payload);
  // the latest progress of each job, so a page that reloads mid-sweep can show it at once (listJobs)
  events.on('job.progress', (p: JobProgress) => { const j = jobs.get(p.jobId); if (j) j.progress = p; });

  /** A job that finishes by returning, or is cancelled by throwing a 'cancelled' error or by the signal. */
  async function untilDone(signal: AbortSignal, work: () => Promise<unknown>): Promise<{ status: string }> {
    try {
      await work();
      return { status: 'completed' };
    } catch (e) {
      if ((e as { kind?: string }).kind === 'cancelled' || signal.aborted) return { status: 'cancelled' };
      throw e;
    }
  }

  /** Start a job: resolves once the run row exists (so the caller gets a run id), runs on in the background. */
  function startJob(kind: JobInfo['kind'], run: (signal: AbortSignal, onRunCreated: (runId: string) => void, jobId: string) => Promise<{ status: string; error?: string }>): Promise<JobRef> {
    const jobId = `job_${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    return new Promise<JobRef>((resolveRef, rejectRef) => {
      let runId = '';
      const done = run(controller.signal, (id) => {
        runId = id;
        jobs.set(jobId, { controller, runId: id, kind, done, progress: null });
        resolveRef({ jobId, runId: id });
      }, jobId).then((r) => {
        if (!runId) return;
        emit('job.finished', { jobId, runId, status: r.status as 'completed', ...(r.error ? { error: r.error } : {}) });
      }, (e) => {
        if (!runId) { rejectRef(e); return; }
        emit('job.finished', { jobId, runId, status: 'failed', error: (e as Error).message });
      }).finally(() => jobs.delete(jobId));
    });
  }

  const api = {
    context: ctx,
    async getInfo() { return systemInfo(ctx); },
    async listModels(): Promise<ModelInfo[]> {
      return [...await builtinModels(), ...ctx.store.listUserModels()];
    },
    async inspectModel(args) {
      const a = parseArgs(modelArgsSchema, args, 'inspectModel');
      const m = await ctx.resolveModel(a.model);
      return { ...m, variants: await listVariants(ctx, m) };
    },
    async addModel(args: AddModelArgs) {
      const a = parseArgs(addModelArgsSchema, args, 'addModel');
      return 'base64' in a ? addUploadedModel(ctx, a) : addUserModel(ctx, a.path, a);
    },
    async startSweep(args) {
      const spec = args && typeof args === 'object' && !('model' in args) && 'resumeRunId' in args
        ? { ...storedSweepSpec(ctx.store.getRunRow(parseArgs(resumeSweepArgsSchema, args, 'sweep').resumeRunId)), resumeRunId: args.resumeRunId }
        : parseArgs(sweepSpecSchema, args, 'sweep');
      return startJob('sweep', async (signal, onRunCreated, jobId) => {
        let runId = '';
        const r = await sweepOneRun(ctx, spec, {
          signal,
          onRunCreated: (id) => { runId = id; onRunCreated(id); },
          onPoint: (point) => emit('job.point', { jobId, runId, point }),
          onProgress: (p) => emit('job.progress', { jobId, ...p }),
        });
        return { status: r.status === 'completed' ? 'completed' : r.status === 'cancelled' ? 'cancelled' : 'failed', error: (r as { error?: string }).error };
      });
    },
    async startLoad(args: unknown) {
      const spec = parseArgs(loadSpecSchema, args, 'load');
      return startJob('load', (signal, onRunCreated, jobId) => untilDone(signal,
        () => loadWhere(ctx, spec, { signal, onRunCreated, onProgress: (p) => emit('job.progress', { jobId, ...p }) })));
    },
    async startValidate(args: unknown) {
      const spec = parseArgs(validateSpecSchema, args, 'validate');
      return startJob('validate', (signal, onRunCreated, jobId) => untilDone(signal,
        () => validateWhere(ctx, spec, { signal, onRunCreated, onProgress: (p) => emit('job.progress', { jobId, ...p }) })));
    },
    async cancelJob(args) {
      const a = parseArgs(jobIdArgsSchema, args, 'cancelJob');
      const j = jobs.get(a.jobId);
      if (!j) return { cancelled: false };
      j.controller.abort();
      return { cancelled: true };
    },
    async listJobs(): Promise<JobInfo[]> {
      return [...jobs].map(([jobId, j]) => ({ jobId, runId: j.runId, kind: j.kind, progress: j.progress }));
    },
    async listRuns(args) {
      const a = parseArgs(listRunsArgsSchema, args, 'listRuns');
      return ctx.store.listRuns(a);
    },
    async getRun(args) {
      const a = parseArgs(runIdArgsSchema, args, 'getRun');
      return ctx.store.getRunResult(a.runId);
    },
    async updateRun(args) {
      const a = parseArgs(updateRunArgsSchema, args, 'updateRun');
      ctx.store.updateRunMeta(a.runId, a);
      const s = ctx.store.listRuns().find((r) => r.id === a.runId);
      if (!s) throw notFound(`run ${a.runId} not found`);
      return s;
    },
    async deleteRun(args) {
      const a = parseArgs(runIdArgsSchema, args, 'deleteRun');
      for (const j of jobs.values()) if (j.runId === a.runId) throw invalidInput(`run ${a.runId} is still running: cancel it first`);
      return { deleted: ctx.store.deleteRun(a.runId) };
    },
    async plan(args) {
      const a = parseArgs(planArgsSchema, args, 'plan');
      return planFromRequest(ctx, { runId: a.runId, loadRunId: a.loadRunId, mapModel: a.mapModel, whatIf: a.whatIf, workload: a.workload, workloadYaml: a.workloadYaml, sweepIfMissing: false });
    },
    async listPlans(args) {
      const a = parseArgs(listPlansArgsSchema, args, 'listPlans');
      return ctx.store.listPlans(a.runId);
    },
    async getPlan(args) {
      const a = parseArgs(planIdArgsSchema, args, 'getPlan');
      return ctx.store.getPlan(a.planId);
    },
    async listWorkloads() { return listShippedWorkloads(); },
    async predict(args) { return predictFromRun(ctx, parseArgs(predictArgsSchema, args, 'predict')); },
    bestConfig: async (args: BestArgs) => bestForRun(ctx, args),
    exportDeployment: (args: unknown) => exportDeployment(ctx, args),
    roofline: (args: unknown) => rooflineForRun(ctx, args),
    async exportReport(args) {
      const a = parseArgs(exportReportArgsSchema, args, 'exportReport');
      const f = await buildReport(ctx.store, a.id, { ...checkReportOptions(a), roofline: (runId) => rooflineForRun(ctx, { runId, measure: false }).catch(() => null) });
      return { fileName: f.fileName, mime: f.mime, base64: Buffer.from(f.bytes).toString('base64') };
    },
    async listTargets() {
      return listTargets(ctx.store).map((t) => ({
        name: t.name, url: t.url, remoteDir: t.remoteDir, ...(t.identityFile ? { identityFile: t.identityFile } : {}),
        lastTest: t.lastTest as TargetSummary['lastTest'],
      }));
    },
    async importFile(args) {
      const a = parseArgs(importFileArgsSchema, args, 'importFile');
      return importBytes(ctx.store, a.fileName, Buffer.from(a.base64, 'base64'), a);
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      events.on(event, listener);
      return () => { events.off(event, listener); };
    },
    async close() {
      for (const j of jobs.values()) j.controller.abort();
      await Promise.allSettled([...jobs.values()].map((j) => j.done));
      ctx.store.close();
    },
  } satisfies Engine;
  return api;
}
