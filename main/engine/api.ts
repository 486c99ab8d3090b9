// The in-process implementation of the API contract. Every inbound argument is validated with the
// shared schemas; long jobs return a job id at once and stream events.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { AddModelArgs, ApiEventName, ApiEvents, JobInfo, JobProgress, JobRef, KneepointApi } from '../common/api.ts';
import { sweepSpecSchema, loadSpecSchema } from '../common/schemas.ts';
import { parseArgs } from './argParse.ts';
import { invalidInput, notFound } from '../common/errors.ts';
import type { ModelInfo } from '../common/types.ts';
import { z } from 'zod';
import { createContext, systemInfo, addUserModel, type EngineOptions } from './engine.ts';
import { builtinModels } from './models/catalog.ts';
import { runSweep } from './measure/sweep.ts';
import { listVariants } from './models/modelVariants.ts';
import { engineExtensions } from './apiExtensions.ts';
import { addUploadedModel } from './models/uploadedModel.ts';
import type { EngineContext } from './context.ts';

export type Engine = KneepointApi & { close(): Promise<void>; readonly context: EngineContext };

export async function createEngine(opts: EngineOptions = {}): Promise<Engine> {
  const ctx = await createContext(opts);
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const jobs = new Map<string, { controller: AbortController; runId: string; kind: JobInfo['kind']; done: Promise<unknown>; progress: JobProgress | null }>();
  const emit = <E extends ApiEventName>(e: E, payload: ApiEvents[E]) => events.emit(e, payload);
  // the latest progress of each job, so a page that reloads mid-sweep can show it at once (listJobs)
  events.on('job.progress', (p: JobProgress) => { const j = jobs.get(p.jobId); if (j) j.progress = p; });

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
    async inspectModel(args: { model: string }) {
      const a = parseArgs(z.object({ model: z.string().min(1) }), args, 'inspectModel');
      const m = await ctx.resolveModel(a.model);
      return { ...m, variants: await listVariants(ctx, m) };
    },
    async addModel(args: AddModelArgs) {
      if (args && typeof args === 'object' && 'base64' in args) {
        const u = parseArgs(z.object({ fileName: z.string().min(1).max(500), base64: z.string(), name: z.string().max(200).optional() }), args, 'addModel');
        return addUploadedModel(ctx, u);
      }
      const a = parseArgs(z.object({ path: z.string().min(1), copy: z.boolean().optional(), name: z.string().optional() }), args, 'addModel');
      return addUserModel(ctx, a.path, a);
    },
    async startSweep(args: unknown) {
      const spec = parseArgs(sweepSpecSchema, args, 'sweep');
      return startJob('sweep', async (signal, onRunCreated, jobId) => {
        let runId = '';
        const r = await runSweep(ctx, spec, {
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
      return startJob('load', (signal, onRunCreated, jobId) => engineExtensions.runLoadJob(ctx, spec, {
        signal, onRunCreated,
        onProgress: (p) => emit('job.progress', { jobId, ...p }),
      }));
    },
    async cancelJob(args: { jobId: string }) {
      const a = parseArgs(z.object({ jobId: z.string() }), args, 'cancelJob');
      const j = jobs.get(a.jobId);
      if (!j) return { cancelled: false };
      j.controller.abort();
      return { cancelled: true };
    },
    async listJobs(): Promise<JobInfo[]> {
      return [...jobs].map(([jobId, j]) => ({ jobId, runId: j.runId, kind: j.kind, progress: j.progress }));
    },
    async listRuns(args?: { model?: string; kind?: string }) {
      const a = parseArgs(z.object({ model: z.string().optional(), kind: z.string().optional() }), args, 'listRuns');
      return ctx.store.listRuns(a);
    },
    async getRun(args: { runId: string }) {
      const a = parseArgs(z.object({ runId: z.string().min(1) }), args, 'getRun');
      return ctx.store.getRunResult(a.runId);
    },
    async updateRun(args: { runId: string; name?: string; tags?: string[] }) {
      const a = parseArgs(z.object({ runId: z.string(), name: z.string().max(200).optional(), tags: z.array(z.string().max(50)).max(20).optional() }), args, 'updateRun');
      ctx.store.updateRunMeta(a.runId, a);
      const s = ctx.store.listRuns().find((r) => r.id === a.runId);
      if (!s) throw notFound(`run ${a.runId} not found`);
      return s;
    },
    async deleteRun(args: { runId: string }) {
      const a = parseArgs(z.object({ runId: z.string() }), args, 'deleteRun');
      for (const j of jobs.values()) if (j.runId === a.runId) throw invalidInput(`run ${a.runId} is still running: cancel it first`);
      return { deleted: ctx.store.deleteRun(a.runId) };
    },
    plan: (args: { runId?: string; workload: unknown; workloadYaml?: string }) => engineExtensions.plan(ctx, args),
    async listPlans(args?: { runId?: string }) {
      const a = parseArgs(z.object({ runId: z.string().min(1).optional() }), args, 'listPlans');
      return ctx.store.listPlans(a.runId);
    },
    async getPlan(args: { planId: string }) {
      const a = parseArgs(z.object({ planId: z.string().min(1) }), args, 'getPlan');
      return ctx.store.getPlan(a.planId);
    },
    listWorkloads: () => engineExtensions.listWorkloads(ctx),
    predict: (args: unknown) => engineExtensions.predict(ctx, args),
    exportReport: (args: { id: string; format: 'html' | 'json' | 'csv' | 'pdf' }) => engineExtensions.exportReport(ctx, args),
    importFile: (args: { fileName: string; base64: string }) => engineExtensions.importFile(ctx, args),
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
