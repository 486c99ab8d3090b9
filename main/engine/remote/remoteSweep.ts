// A sweep measured on remote targets and stored here. Each target's agent runs its share of the
// grid with the ordinary engine; every point it finishes is written into the local store the
// moment it arrives, with the remote's hardware fingerprint on the run and `target` set. A cut
// connection or a killed agent leaves the finished points; `sweep --resume RUN` reconnects to the
// same targets, copies over any point the remote stored but never delivered, and lets each
// remote resume its own run.
import type { SweepSpecResolved } from '../../common/schemas.ts';
import type { HardwareInfo, ModelInfo, PointResult, SweepRunResult } from '../../common/types.ts';
import type { JobFinished, JobProgress } from '../../common/api.ts';
import { KneepointError, invalidInput } from '../../common/errors.ts';
import type { EngineContext } from '../engineContext.ts';
import { configKey } from '../store/store.ts';
import type { SweepCallbacks } from '../measure/sweep.ts';
import { mergePins } from '../measure/inputPins.ts';
import { openAgent, type AgentSession } from './agentSession.ts';
import { remoteModelRef } from './remoteModel.ts';
import { hardwareClassDifferences } from './hardwareClass.ts';
import { splitGrid } from './gridSplit.ts';
import {
  addRunParts, listRunParts, resolveTargets, setPartRemoteRun, setRunTarget, type RunPart,
} from './targetStore.ts';
import type { Target } from './ssh.ts';

/** The spec an agent receives: no target fields (it runs there), no local resume id. */
function remoteSpec(spec: SweepSpecResolved, model: string, inputs: SweepSpecResolved['inputs']): SweepSpecResolved {
  const { target: _t, perTarget: _p, resumeRunId: _r, ...rest } = spec;
  return { ...rest, model, inputs };
}

function checkSendable(spec: SweepSpecResolved): void {
  const filePin = spec.inputs.find((p) => p.file);
  if (filePin) {
    throw invalidInput(`--input ${filePin.name}=file:${filePin.file}: input files are not copied to targets; ` +
      'pin the input by value, shape or range, or run this sweep here');
  }
}

async function openAll(targets: Target[], localVersion: string): Promise<AgentSession[]> {
  const settled = await Promise.allSettled(targets.map((t) => openAgent(t, localVersion)));
  const failed = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) {
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<AgentSession>).value);
}

function checkSameClass(sessions: AgentSession[]): void {
  const [first, ...rest] = sessions;
  for (const s of rest) {
    const diff = hardwareClassDifferences(first.info.hardware, s.info.hardware);
    if (diff.length) {
      throw invalidInput(`targets ${first.target.name} and ${s.target.name} are different hardware (${diff.join('; ')}): ` +
        'a grid is split only across machines of one class, so the merged curves describe one machine. Use --per-target to measure each and compare them.');
    }
  }
}

interface PartState { part: RunPart; session: AgentSession; jobId: string | null; remoteRunId: string | null; progress: Omit<JobProgress, 'jobId'> | null }

/** The local run the remote points land in. */
function createLocalRun(ctx: EngineContext, spec: SweepSpecResolved, model: ModelInfo, hardware: HardwareInfo, versions: unknown, targetLabel: string): string {
  const runId = ctx.store.createRun({
    kind: 'sweep', name: spec.name, model: { id: model.id, name: model.name, path: model.path, sha256: model.sha256 },
    hardware, spec: { ...spec, resumeRunId: undefined }, versions,
  });
  setRunTarget(ctx.store, runId, targetLabel);
  return runId;
}

/** Store a point from the remote (its remote row id dropped); true when it was new here. */
function storePoint(ctx: EngineContext, runId: string, have: Set<string>, p: PointResult): PointResult | null {
  const key = configKey(p.config);
  if (have.has(key)) return null;
  const { id: _remoteId, ...point } = p;
  const stored = { ...point } as PointResult;
  stored.id = ctx.store.addPoint(runId, stored);
  have.add(key);
  return stored;
}

/**
 * Run (or resume) one local run on its targets. `targets` are the names for a fresh run; a resumed
 * run takes them from its stored parts.
 */
export async function runSweepOnTargets(ctx: EngineContext, spec: SweepSpecResolved, cb: SweepCallbacks = {}): Promise<SweepRunResult> {
  const store = ctx.store;
  const local = ctx.versions.kneepoint;
  let runId: string;
  let model: ModelInfo;
  let parts: RunPart[];
  let sessions: AgentSession[];
  const resuming = Boolean(spec.resumeRunId);

  if (resuming) {
    const row = store.getRunRow(spec.resumeRunId!);
    if (row.status === 'running') throw invalidInput(`run ${row.id} is still running in another process: wait for it, or cancel it there first`);
    if (row.status === 'completed') throw invalidInput(`run ${row.id} is already completed: nothing to resume`);
    parts = listRunParts(store, row.id);
    if (!parts.length) throw invalidInput(`run ${row.id} was not measured on a target`);
    model = await ctx.resolveModel(row.model.path);
    model = { ...model, id: row.model.id, name: row.model.name };
    sessions = await openAll(resolveTargets(store, parts.map((p) => p.target)), local);
    runId = row.id;
  } else {
    checkSendable(spec);
    const names = spec.target ?? [];
    const targets = resolveTargets(store, names);
    model = await ctx.resolveModel(spec.model);
    const shares = splitGrid(spec, targets.length);
    sessions = await openAll(targets, local);
    runId = '';
    parts = shares.map((s, i) => ({ part: i, target: targets[i].name, spec: s, remoteRunId: null }));
  }

  const have = resuming ? store.finishedConfigKeys(runId) : new Set<string>();
  const states: PartState[] = [];
  const t0 = Date.now();
  try {
    if (sessions.length > 1) checkSameClass(sessions);
    // the model, once per target (cached by sha256 there)
    for (let i = 0; i < parts.length; i++) {
      const s = sessions[i];
      const ref = await remoteModelRef(s, model);
      const inputs = ref.model === model.id ? parts[i].spec.inputs : mergePins(model.defaultPins, parts[i].spec.inputs);
      parts[i] = { ...parts[i], spec: resuming ? { ...parts[i].spec, model: ref.model } : remoteSpec(parts[i].spec, ref.model, inputs) };
      states.push({ part: parts[i], session: s, jobId: null, remoteRunId: parts[i].remoteRunId, progress: null });
    }
  } catch (e) {
    await Promise.all(sessions.map((s) => s.close()));
    throw e;
  }

  const points: Array<{ state: PartState; point: PointResult }> = [];
  let anchorResult: { noisy: boolean; anchorDriftPct: number | null } = { noisy: false, anchorDriftPct: null };
  const finishedParts = new Map<PartState, JobFinished | { status: 'lost'; error: string }>();
  let notifyFinished: () => void = () => {};
  const onChange = () => notifyFinished();
  const offs: Array<() => void> = [];
  for (const st of states) {
    offs.push(st.session.api.on('job.point', (e) => {
      if (st.jobId && e.jobId !== st.jobId) return;
      points.push({ state: st, point: e.point });
      if (runId) flushPoints();
    }));
    offs.push(st.session.api.on('job.progress', (e) => {
      if (st.jobId && e.jobId !== st.jobId) return;
      st.progress = e;
      if (runId) reportProgress(e.phase, st);
    }));
    offs.push(st.session.api.on('job.finished', (e) => {
      if (st.jobId !== e.jobId) return;
      finishedParts.set(st, e);
      onChange();
    }));
    void st.session.api.closed.then((why) => {
      if (!finishedParts.has(st)) { finishedParts.set(st, { status: 'lost', error: why }); onChange(); }
    });
  }
  const flushPoints = () => {
    while (points.length) {
      const { point } = points.shift()!;
      const stored = storePoint(ctx, runId, have, point);
      if (stored) cb.onPoint?.(stored);
    }
  };
  const reportProgress = (phase: string, st: PartState) => {
    const ps = states.map((s) => s.progress);
    const done = ps.reduce((a, p) => a + (p?.done ?? 0), 0);
    const total = ps.reduce((a, p) => a + (p?.total ?? 0), 0);
    const remaining = ps.every((p) => p?.remainingMs !== null && p !== null) ? Math.max(...ps.map((p) => p!.remainingMs!)) : null;
    cb.onProgress?.({ runId, done, total, phase: states.length > 1 ? `${st.session.target.name}: ${phase}` : phase, elapsedMs: Date.now() - t0, remainingMs: remaining });
  };

  const cancelAll = () => {
    for (const st of states) if (st.jobId && !finishedParts.has(st)) void st.session.api.cancelJob({ jobId: st.jobId }).catch(() => {});
  };

  try {
    // start (or resume) every share; a refusal by any agent stops them all before a local run exists
    for (const st of states) {
      const remoteResume = st.remoteRunId ? await st.session.api.getRun({ runId: st.remoteRunId }).catch((e) => {
        if ((e as KneepointError).kind === 'not-found') return null; // the remote's store was wiped: start its share afresh
        throw e;
      }) : null;
      if (remoteResume) {
        for (const p of remoteResume.points) points.push({ state: st, point: p });
        if (remoteResume.status === 'completed') {
          finishedParts.set(st, { jobId: '', runId: st.remoteRunId!, status: 'completed' });
          continue;
        }
      }
      const ref = await startWithRetry(st, remoteResume ? { ...st.part.spec, resumeRunId: st.remoteRunId! } : st.part.spec);
      st.jobId = ref.jobId;
      st.remoteRunId = ref.runId;
    }
    if (!runId) {
      const first = sessions[0].info;
      runId = createLocalRun(ctx, spec, model, first.hardware, { ...first.versions, measuredOn: 'target' }, parts.map((p) => p.target).join(','));
      addRunParts(store, runId, parts.map((p) => ({ target: p.target, spec: p.spec })));
    } else {
      store.reopenRun(runId);
    }
    for (const st of states) if (st.remoteRunId) setPartRemoteRun(store, runId, st.part.part, st.remoteRunId);
    cb.onRunCreated?.(runId);
    flushPoints();

    const onAbort = () => cancelAll();
    cb.signal?.addEventListener('abort', onAbort);
    if (cb.signal?.aborted) cancelAll();
    await new Promise<void>((resolve) => {
      notifyFinished = () => { if (finishedParts.size === states.length) resolve(); };
      notifyFinished();
    });
    cb.signal?.removeEventListener('abort', onAbort);
    flushPoints();

    // anything the remote stored that did not arrive (a point in flight when a job ended)
    for (const st of states) {
      if (!st.remoteRunId || st.session.api.isClosed) continue;
      const r = await st.session.api.getRun({ runId: st.remoteRunId }).catch(() => null);
      if (r) for (const p of r.points) { const s = storePoint(ctx, runId, have, p); if (s) cb.onPoint?.(s); }
      if (st.part.part === 0 && r?.noisy !== undefined) anchorResult = { noisy: r.noisy, anchorDriftPct: r.anchorDriftPct ?? null };
    }
    const outcomes = states.map((st) => ({ st, f: finishedParts.get(st)! }));
    const lost = outcomes.filter((o) => o.f.status === 'lost' || o.f.status === 'failed');
    let status: 'completed' | 'cancelled' | 'failed' = 'completed';
    let error: string | undefined;
    if (lost.length) {
      status = 'failed';
      error = lost.map((o) => `target ${o.st.session.target.name}: ${o.f.status === 'lost' ? `connection lost (${o.f.error})` : o.f.error ?? 'failed'}`).join('; ') +
        `. ${have.size} finished point(s) are kept here: continue with \`kneepoint sweep --resume ${runId}\``;
    } else if (cb.signal?.aborted || outcomes.some((o) => o.f.status === 'cancelled')) {
      status = 'cancelled';
    }
    store.finishRun(runId, status, { ...(error ? { error } : {}), ...(status === 'completed' ? { result: anchorResult } : {}) });
    cb.onProgress?.({ runId, done: have.size, total: have.size, phase: status, elapsedMs: Date.now() - t0, remainingMs: 0 });
    const result = store.getRunResult(runId);
    if (error) (result as SweepRunResult & { error?: string }).error = error;
    return result;
  } catch (e) {
    cancelAll();
    if (runId) store.finishRun(runId, 'failed', { error: (e as Error).message });
    throw e;
  } finally {
    for (const off of offs) off();
    await Promise.all(sessions.map((s) => s.close()));
  }
}
/** The remote may still be closing the previous session's run (a cut connection): retry briefly. */
async function startWithRetry(st: PartState, spec: SweepSpecResolved) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await st.session.api.startSweep(spec);
    } catch (e) {
      if (attempt < 15 && /still running in another process/.test((e as Error).message)) {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if ((e as KneepointError).kind) throw new KneepointError((e as KneepointError).kind, `target ${st.session.target.name}: ${(e as Error).message}`);
      throw e;
    }
  }
}

/** --per-target: the same grid on each target, one run per target (to compare machines). */
export async function runSweepPerTarget(ctx: EngineContext, spec: SweepSpecResolved, cb: SweepCallbacks = {}): Promise<SweepRunResult[]> {
  const names = spec.target ?? [];
  return Promise.all(names.map((name) => runSweepOnTargets(ctx, { ...spec, target: [name], perTarget: false, name: spec.name ? `${spec.name} (${name})` : undefined }, cb)));
}
