// `load --target` and `validate --target`: the job runs on the target's agent with the ordinary
// engine (the same startLoad / startValidate calls the UI makes), the model reaches it through the
// sha256 cache (or by catalog id), progress streams back, and the finished result is stored here
// as a run of its own with `target` set and the remote's hardware fingerprint. A validate run
// brings its service-curve sweep along (stored here too, points and all), so `plan` and `predict`
// find the curves and the calibration of that machine. Neither kind resumes: a cut connection
// leaves the local run failed with what happened, and the command is run again.
import type { LoadSpecResolved, ValidateSpecResolved } from '../../common/schemas.ts';
import type { InputPin, ModelInfo, PointResult, SweepRunResult } from '../../common/types.ts';
import type { JobFinished, JobProgress, JobRef } from '../../common/api.ts';
import type { LoadResult, ValidationResult } from '../../common/loadTypes.ts';
import { KneepointError, invalidInput } from '../../common/errors.ts';
import type { EngineContext } from '../engineContext.ts';
import { mergePins } from '../measure/inputPins.ts';
import { runLoad, type LoadCallbacks } from '../load/runLoad.ts';
import { runValidate, type ValidateCallbacks } from '../load/validate.ts';
import { openAgent, type AgentSession } from './agentSession.ts';
import { remoteModelRef } from './remoteModel.ts';
import { getTarget, setRunTarget } from './targetStore.ts';

type Kind = 'load' | 'validate';

/** What a target cannot be sent yet: files named by a local path. */
function checkSendable(kind: Kind, spec: { inputs: InputPin[]; arrival?: string }): void {
  const filePin = spec.inputs.find((p) => p.file);
  if (filePin) {
    throw invalidInput(`--input ${filePin.name}=file:${filePin.file}: input files are not copied to targets; ` +
      `pin the input by value, shape or range, or run this ${kind} here`);
  }
  if (spec.arrival && /^\s*trace:/i.test(spec.arrival)) {
    throw invalidInput(`--arrival ${spec.arrival.trim()}: trace files are not copied to targets; use poisson, constant, gamma:CV or onoff:… there, or run this load here`);
  }
}

/** Every occurrence of a remote run id in a stored result becomes the local one (calibration sources, sweep ids). */
function renameRuns<T>(value: T, ids: Map<string, string>): T {
  let text = JSON.stringify(value);
  for (const [from, to] of ids) text = text.split(from).join(to);
  return JSON.parse(text) as T;
}

/** A remote sweep (a validate run's service curves) copied into the local store, on the same target and hardware. */
function copySweep(ctx: EngineContext, s: AgentSession, remote: SweepRunResult, model: ModelInfo, localModel: string, ids: Map<string, string>): string {
  const name = (remote as SweepRunResult & { name?: string }).name;
  const runId = ctx.store.createRun({
    kind: 'sweep', name: name === undefined ? undefined : renameRuns(name, ids), model: { id: model.id, name: model.name, path: model.path, sha256: model.sha256 },
    hardware: remote.hardware ?? s.info.hardware, versions: { ...s.info.versions, measuredOn: 'target', remoteRunId: remote.runId },
    spec: { ...renameRuns((remote.spec ?? {}) as object, ids), model: localModel, target: [s.target.name] },
  });
  setRunTarget(ctx.store, runId, s.target.name);
  for (const p of remote.points) {
    const { id: _remoteId, ...point } = p;
    ctx.store.addPoint(runId, point as PointResult);
  }
  ctx.store.finishRun(runId, 'completed', { result: { noisy: remote.noisy ?? false, anchorDriftPct: remote.anchorDriftPct ?? null } });
  return runId;
}

interface Outcome { kind: Kind; localRunId: string; remoteRunId: string; remote: SweepRunResult; session: AgentSession; model: ModelInfo }

/**
 * Start `kind` on the spec's target and wait for it. The local run exists once the agent accepted
 * the job (a refusal there creates nothing here); the finished remote run is returned for the
 * caller to store, with the session still open (closed afterwards).
 */
async function runOnTarget<R>(ctx: EngineContext, kind: Kind, spec: LoadSpecResolved | ValidateSpecResolved,
  cb: { signal?: AbortSignal; onRunCreated?: (runId: string) => void; onProgress?: (p: Omit<JobProgress, 'jobId'>) => void; onLog?: (line: string) => void },
  finish: (o: Outcome) => Promise<R>): Promise<R> {
  const target = getTarget(ctx.store, spec.target!);
  checkSendable(kind, spec as { inputs: InputPin[]; arrival?: string });
  const model = await ctx.resolveModel(spec.model);
  if (cb.signal?.aborted) throw new KneepointError('cancelled', `${kind} run cancelled`);
  const session = await openAgent(target, ctx.versions.kneepoint);
  const api = session.api;
  let jobId: string | null = null;
  let localRunId = '';
  const finishedByJob = new Map<string, JobFinished>();
  let notify: () => void = () => {};
  let lastPhase = '';
  const offs = [
    // the agent runs only this session's job: progress before the reply (the job's id) is this job's too
    api.on('job.progress', (e) => {
      if (jobId && e.jobId !== jobId) return;
      if (e.phase !== lastPhase) { lastPhase = e.phase; cb.onLog?.(`${target.name}: ${e.phase}`); }
      if (localRunId) { const { jobId: _j, ...p } = e; cb.onProgress?.({ ...p, runId: localRunId }); }
    }),
    api.on('job.finished', (e) => { finishedByJob.set(e.jobId, e); notify(); }),
  ];
  const onAbort = () => { if (jobId) void api.cancelJob({ jobId }).catch(() => {}); };
  try {
    const ref = await remoteModelRef(session, model);
    const inputs = ref.model === model.id ? spec.inputs : mergePins(model.defaultPins, spec.inputs);
    const { target: _t, ...rest } = spec;
    const remoteSpec = { ...rest, model: ref.model, inputs };
    let job: JobRef;
    try {
      job = kind === 'load' ? await api.startLoad(remoteSpec as LoadSpecResolved) : await api.startValidate(remoteSpec as ValidateSpecResolved);
    } catch (e) {
      if ((e as KneepointError).kind) throw new KneepointError((e as KneepointError).kind, `target ${target.name}: ${(e as Error).message}`);
      throw e;
    }
    jobId = job.jobId;
    cb.signal?.addEventListener('abort', onAbort);
    if (cb.signal?.aborted) onAbort();
    // the run here: the remote's stored spec (its defaults filled in), with this machine's model name and the target
    const started = await api.getRun({ runId: job.runId });
    localRunId = ctx.store.createRun({
      kind, name: spec.name, model: { id: model.id, name: model.name, path: model.path, sha256: model.sha256 },
      hardware: started.hardware ?? session.info.hardware, versions: { ...session.info.versions, measuredOn: 'target', remoteRunId: job.runId },
      spec: { ...(started.spec as object ?? {}), model: spec.model, inputs: spec.inputs, target: target.name },
    });
    setRunTarget(ctx.store, localRunId, target.name);
    cb.onRunCreated?.(localRunId);

    const end = await new Promise<JobFinished | { status: 'lost'; error: string }>((resolve) => {
      notify = () => { const f = finishedByJob.get(job.jobId); if (f) resolve(f); };
      notify();
      void api.closed.then((why) => resolve({ status: 'lost', error: why }));
    });
    if (end.status === 'lost') {
      const error = `target ${target.name}: connection lost (${end.error}). A ${kind} run does not resume: run it again.`;
      ctx.store.finishRun(localRunId, 'failed', { error });
      throw new KneepointError('engine', error);
    }
    if (end.status === 'cancelled') {
      ctx.store.finishRun(localRunId, 'cancelled');
      throw new KneepointError('cancelled', `${kind} run cancelled`);
    }
    if (end.status === 'failed') {
      const error = `target ${target.name}: ${end.error ?? `the ${kind} run failed`}`;
      ctx.store.finishRun(localRunId, 'failed', { error });
      throw new KneepointError('engine', error);
    }
    const remote = await api.getRun({ runId: job.runId });
    try {
      return await finish({ kind, localRunId, remoteRunId: job.runId, remote, session, model });
    } catch (e) {
      ctx.store.finishRun(localRunId, 'failed', { error: `storing the result from target ${target.name}: ${(e as Error).message}` });
      throw e;
    }
  } catch (e) {
    if (localRunId && ctx.store.getRunRow(localRunId).status === 'running') ctx.store.finishRun(localRunId, 'failed', { error: (e as Error).message });
    throw e;
  } finally {
    cb.signal?.removeEventListener('abort', onAbort);
    for (const off of offs) off();
    await session.close();
  }
}

/** `load --target NAME`: the open-loop load served on the target, its result stored here. */
export async function runLoadOnTarget(ctx: EngineContext, spec: LoadSpecResolved, cb: LoadCallbacks = {}): Promise<LoadResult> {
  return runOnTarget(ctx, 'load', spec, cb, async (o) => {
    const result = renameRuns((o.remote as SweepRunResult & { result?: LoadResult }).result, new Map([[o.remoteRunId, o.localRunId]]));
    if (!result) throw new Error(`the remote run ${o.remoteRunId} stored no result`);
    const stored: LoadResult = { ...result, runId: o.localRunId, target: o.session.target.name };
    ctx.store.finishRun(o.localRunId, 'completed', { result: stored });
    return stored;
  });
}

/** `validate --target NAME`: curves, calibration and load levels measured on the target; the service curves come along. */
export async function runValidateOnTarget(ctx: EngineContext, spec: ValidateSpecResolved, cb: ValidateCallbacks = {}): Promise<ValidationResult> {
  return runOnTarget(ctx, 'validate', spec, cb, async (o) => {
    const result = (o.remote as SweepRunResult & { result?: ValidationResult }).result;
    if (!result) throw new Error(`the remote run ${o.remoteRunId} stored no result`);
    const sweep = await o.session.api.getRun({ runId: result.sweepRunId });
    const localSweep = copySweep(ctx, o.session, sweep, o.model, spec.model, new Map([[o.remoteRunId, o.localRunId]]));
    const renamed = renameRuns(result, new Map([[o.remoteRunId, o.localRunId], [result.sweepRunId, localSweep]]));
    const stored: ValidationResult = { ...renamed, runId: o.localRunId, sweepRunId: localSweep, target: o.session.target.name };
    ctx.store.finishRun(o.localRunId, 'completed', { result: stored });
    cb.onLog?.(`service curves stored here as sweep ${localSweep} (target ${o.session.target.name})`);
    return stored;
  });
}

/** load here, or on the spec's target. */
export function loadWhere(ctx: EngineContext, spec: LoadSpecResolved, cb: LoadCallbacks = {}): Promise<LoadResult> {
  return spec.target ? runLoadOnTarget(ctx, spec, cb) : runLoad(ctx, spec, cb);
}

/** validate here, or on the spec's target. */
export function validateWhere(ctx: EngineContext, spec: ValidateSpecResolved, cb: ValidateCallbacks = {}): Promise<ValidationResult> {
  return spec.target ? runValidateOnTarget(ctx, spec, cb) : runValidate(ctx, spec, cb);
}
