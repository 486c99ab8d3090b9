// Engine side of planning: read the workload file, find (or measure) the service curves of its
// model on this machine, find the serving calibration (overhead + jitter of the real serving path,
// from a load/validate run), read a trace file if any, run the pure planner, store the plan.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { readWorkloadFile } from './readWorkloadFile.ts';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseWorkloadYaml, planWorkload, workloadSchema, type PlanResult, type ServingCalibration, type Workload } from '../../common/plan/index.ts';
import { parseTraceText } from '../../common/sim/index.ts';
import { invalidInput } from '../../common/errors.ts';
import type { SweepRunResult } from '../../common/types.ts';
import { sweepSpecSchema, describeZodError } from '../../common/schemas.ts';
import type { EngineContext } from '../engineContext.ts';
import { builtinModelIds } from '../models/catalog.ts';
import { runSweep, type SweepCallbacks } from '../measure/sweep.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { calibrationFromRun, latestCalibration } from '../load/serviceCurves.ts';
import type { ValidateCallbacks } from '../load/validate.ts';
import { validateWhere } from '../remote/remoteJob.ts';
import { validateSpecSchema } from '../../common/schemas.ts';
import type { PlanChecked } from '../../common/plan/types.ts';
import type { ValidationResult } from '../../common/loadTypes.ts';
import { planOnMeasuredInstances } from '../remote/targetCurves.ts';

/** A quick validate on a ~1 ms model takes about this long here (sweep + calibration + 8 levels). */
export const QUICK_VALIDATE_SECONDS = 90;

/**
 * The latest completed validate run of the model on this machine (or, for curves measured on a
 * target, on that target's hardware: `fingerprint`), as the plan states it.
 */
export function checkedFor(ctx: EngineContext, modelId: string, fingerprint: string | undefined = ctx.hardware.fingerprint): PlanChecked | null {
  const runs = ctx.store.listRuns({ model: modelId, kind: 'validate' })
    .filter((r) => r.status === 'completed' && (!r.hardwareFingerprint || r.hardwareFingerprint === fingerprint))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  for (const r of runs) {
    const v = ctx.store.getRunRow(r.id).result as Partial<ValidationResult> | null;
    if (!v?.summary || !v.rows) continue;
    return {
      runId: r.id, medianAbsP99ErrPct: v.summary.medianAbsP99ErrorPct, bandCoveragePct: v.summary.bandCoveragePct ?? null,
      levels: v.summary.levels ?? v.rows.length, createdAt: r.createdAt,
    };
  }
  return null;
}

export const WORKLOADS_DIR = join(PROJECT_ROOT, 'workloads');

export interface PlanRequest {
  /** a stored sweep (or import) run; absent = the latest completed sweep of the workload's model here */
  runId?: string;
  /**
   * a stored `load` or `validate` run whose serving overhead and jitter the predictions include;
   * absent = the latest such run of the workload's model on this machine, if any
   */
  loadRunId?: string;
  /** a YAML file path, YAML text, or an already-parsed workload object */
  workloadFile?: string;
  workloadYaml?: string;
  workload?: unknown;
  /**
   * the model id of the chosen run when it is another model than the workload's and its curves are
   * meant to stand in for it (same graph under another name); without it such a plan is refused
   */
  mapModel?: string;
  /** a what-if of the plan shown (a slider moved): no sensitivity curves, nothing stored (planId '') */
  whatIf?: boolean;
  /** run a quick validation first when the model has none on this machine (its calibration is then used) */
  validateIfMissing?: boolean;
  validateProgress?: ValidateCallbacks['onProgress'];
  /** measure a quick default sweep when no run exists (else an error says how to get one) */
  sweepIfMissing?: boolean;
  sweep?: SweepCallbacks;
}

export interface StoredPlan extends PlanResult {
  planId: string;
  runId: string;
  /** what the engine did to get curves, in words (e.g. "ran a quick default sweep first") */
  notes: string[];
}

/** `alsoKnown`: model ids that are not in the catalog but have curves here (an imported run's model). */
export function readWorkload(req: PlanRequest, alsoKnown: readonly string[] = []): { workload: Workload; baseDir: string; yaml?: string } {
  const known = [...builtinModelIds(), ...alsoKnown];
  if (req.workloadFile) {
    const path = resolve(req.workloadFile);
    const yaml = readWorkloadFile(path);
    return { workload: parseWorkloadYaml(yaml, path, { knownModelIds: known }), baseDir: dirname(path), yaml };
  }
  if (req.workloadYaml !== undefined) {
    return { workload: parseWorkloadYaml(req.workloadYaml, 'workload.yaml', { knownModelIds: known }), baseDir: process.cwd(), yaml: req.workloadYaml };
  }
  const r = workloadSchema.safeParse(req.workload);
  if (!r.success) throw invalidInput(describeZodError(r.error, 'workload'));
  return { workload: r.data, baseDir: process.cwd() };
}

/** The default quick sweep used when a workload's model has no curves yet. */
export function defaultPlanSweepSpec(modelId: string, inputs: Workload['model']['inputs']) {
  return sweepSpecSchema.parse({
    model: modelId, batch: [1, 2, 4, 8, 16, 32], instances: [1, 2], threads: [1], inputs,
    method: { windowMinMs: 300, maxWindows: 4, minSamplesForP99: 200, windowMinRequests: 30, anchor: false },
    name: `quick sweep for planning ${modelId}`,
  });
}

export async function findCurves(ctx: EngineContext, workload: Workload, runId?: string): Promise<SweepRunResult | null> {
  if (runId) return ctx.store.getRunResult(runId);
  const model = await ctx.resolveModel(workload.model.id);
  const candidates = ctx.store.listRuns({ model: model.id }).filter((r) => (r.kind === 'sweep' || r.kind === 'import') && r.status === 'completed'
    && (r.kind === 'import' || (r.hardwareFingerprint === ctx.hardware.fingerprint && !r.target)));
  for (const c of candidates) {
    const run = ctx.store.getRunResult(c.id);
    if (run.points.some((p) => p.status !== 'failed')) return run;
  }
  return null;
}

export async function planFromRequest(ctx: EngineContext, req: PlanRequest): Promise<StoredPlan> {
  // planning against a chosen run: its model (e.g. a perf_analyzer import's "resnet50") is a valid model.id
  const read = readWorkload(req, req.runId ? [ctx.store.getRunRow(req.runId).model.id] : []);
  const baseDir = read.baseDir;
  const notes: string[] = [];
  // instances that name where they were measured (a target, a run) are planned on that run's curves
  const measured = planOnMeasuredInstances(ctx, read.workload, read.workload.model.id, req.runId);
  const workload = measured.workload;
  const runId = measured.runId;
  notes.push(...measured.notes);
  let run = await findCurves(ctx, workload, runId);
  if (!run) {
    if (!req.sweepIfMissing) {
      throw invalidInput(`no completed sweep of ${workload.model.id} on this machine: run \`kneepoint sweep --model ${workload.model.id} --batch 1,2,4,8,16,32 --instances 1,2\` first, or plan with --sweep`);
    }
    const spec = defaultPlanSweepSpec(workload.model.id, workload.model.inputs);
    notes.push(`No measured curves of ${workload.model.id} on this machine: ran a quick default sweep first (batch 1–32, 1–2 instances, short windows).`);
    run = await runSweep(ctx, spec, req.sweep ?? {});
    if (run.status !== 'completed') throw new Error(`the quick sweep for planning ended ${run.status}`);
  } else if (!runId) {
    notes.push(`Using the latest completed sweep of ${workload.model.id} on this machine: ${run.runId}.`);
  }
  const mapped = await checkRunModel(ctx, workload, run, req.mapModel);
  // curves measured on one target are checked and calibrated on that target's hardware, not here
  const onTarget = run.target && !run.target.includes(',') ? run.target : undefined;
  const where = run.target ? { fingerprint: run.hardware?.fingerprint, label: `target ${run.target}` } : { fingerprint: ctx.hardware.fingerprint, label: 'this machine' };
  const targetFlag = onTarget ? ` --target ${onTarget}` : '';
  if (req.validateIfMissing && !checkedFor(ctx, run.model.id, where.fingerprint)) {
    notes.push(`No validate run of ${run.model.id} on ${where.label}: ran \`kneepoint validate --model ${run.model.id} --quick${targetFlag}\` first; its calibration is used.`);
    await validateWhere(ctx, validateSpecSchema.parse({ model: run.model.id, quick: true, ...(onTarget ? { target: onTarget } : {}) }), { onProgress: req.validateProgress });
  }
  const serving = await servingFor(ctx, workload, run, req.loadRunId, notes, where.fingerprint);
  let traceArrivalsMs: number[] | undefined;
  const traceFile = workload.traffic?.traceFile;
  if (traceFile) {
    const path = isAbsolute(traceFile) ? traceFile : join(baseDir, traceFile);
    if (!existsSync(path)) throw invalidInput(`traffic.traceFile: no file at ${path}`);
    traceArrivalsMs = parseTraceText(readFileSync(path, 'utf8'));
  }
  const result: PlanResult = planWorkload(run, workload, { traceArrivalsMs, serving, modelMapped: mapped, skipSensitivity: req.whatIf });
  const checked = checkedFor(ctx, run.model.id, where.fingerprint);
  result.checked = checked;
  if (checked) {
    result.explanation.splice(1, 0, `Checked by validate run ${checked.runId} on ${where.label}: median p99 error ${checked.medianAbsP99ErrPct.toFixed(1)}%` +
      (checked.bandCoveragePct !== null ? `, measured p99 inside the predicted band at ${checked.bandCoveragePct.toFixed(0)}% of ${checked.levels} levels.` : ` over ${checked.levels} levels (no band coverage: an older validate run).`));
  } else {
    result.checkCommand = `kneepoint validate --model ${run.model.id} --quick${targetFlag}`;
    if (onTarget) result.checkTarget = onTarget;
    result.explanation.splice(1, 0, `Not checked on ${where.label}: no validate run of ${run.model.id} ${run.target ? 'there' : 'here'}, so the predicted latencies carry the wide uncalibrated band — run \`${result.checkCommand}\` (about ${QUICK_VALIDATE_SECONDS} s) or plan with --validate.`);
  }
  const planId = req.whatIf ? '' : ctx.store.addPlan({ runId: run.runId, workload, result });
  return { ...result, planId, runId: run.runId, notes };
}

/**
 * A plan on another model's curves is refused unless the user maps the model explicitly (`mapModel`
 * = the run's model id): true when the plan goes ahead on a mapped model, false when the models match.
 */
export async function checkRunModel(ctx: EngineContext, workload: Workload, run: SweepRunResult, mapModel: string | undefined): Promise<boolean> {
  const want = await modelIdOf(ctx, workload);
  const have = run.model?.id;
  if (!have || have === want || have === workload.model.id) {
    if (mapModel !== undefined && mapModel !== have) throw invalidInput(`map model: run ${run.runId} measured ${have ?? 'an unknown model'}, not ${mapModel}`);
    return false;
  }
  if (mapModel === have) return true;
  if (mapModel !== undefined) throw invalidInput(`map model: run ${run.runId} measured ${have}, not ${mapModel}: map with the run's model id (${have}) or pick a run of ${want}`);
  throw invalidInput(`run ${run.runId} measured ${have}, but the workload runs ${want}: a plan on ${have}'s curves would be ${have}'s figures under ${want}'s name. ` +
    `Pick a run of ${want} (kneepoint runs --model ${want}) or sweep it (kneepoint sweep --model ${want}); if ${have}'s curves really stand for ${want} (the same graph under another name), map it explicitly (kneepoint plan --map-model ${have}).`);
}

/**
 * The serving calibration to plan with: the named load/validate run's (an error when it is another
 * kind of run or stored none), else the latest one of the workload's model on this machine
 * (preferring the sweep's threads per instance), else null (the plan says it assumes none).
 */
export async function servingFor(ctx: EngineContext, workload: Workload, run: SweepRunResult, loadRunId: string | undefined, notes: string[],
  fingerprint: string | undefined = ctx.hardware.fingerprint): Promise<ServingCalibration | null> {
  const modelId = await modelIdOf(ctx, workload);
  if (loadRunId) {
    const found = calibrationFromRun(ctx.store, loadRunId);
    if (found.modelId !== modelId) {
      notes.push(`The serving calibration comes from a run of ${found.modelId}, not ${modelId}: the per-batch overhead is mostly the serving path's, but re-measure with \`kneepoint validate --model ${modelId}\` to be sure.`);
    }
    if (found.hardwareFingerprint && found.hardwareFingerprint !== fingerprint) {
      notes.push(`The serving calibration of ${loadRunId} was measured on another machine than the curves' (${run.target ? `target ${run.target}` : 'this one'}).`);
    }
    return found.calibration;
  }
  const threads = [...new Set(run.points.filter((p) => p.status !== 'failed').map((p) => p.config.threadsPerInstance))];
  return latestCalibration(ctx.store, { modelId, hardwareFingerprint: fingerprint, ...(threads.length === 1 ? { threads: threads[0] } : {}) });
}

/** The stored id of the workload's model (a catalog id or an added model), or the id as written. */
async function modelIdOf(ctx: EngineContext, workload: Workload): Promise<string> {
  try {
    return (await ctx.resolveModel(workload.model.id)).id;
  } catch {
    return workload.model.id;
  }
}

/** The shipped example workloads (workloads/*.yaml). */
export function listShippedWorkloads(): Array<{ id: string; name: string; path: string; yaml: string }> {
  if (!existsSync(WORKLOADS_DIR)) return [];
  return readdirSync(WORKLOADS_DIR).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort().map((f) => {
    const path = join(WORKLOADS_DIR, f);
    const yaml = readFileSync(path, 'utf8');
    const name = /^name:\s*(.+)$/m.exec(yaml)?.[1]?.trim() ?? basename(f, '.yaml');
    return { id: basename(f).replace(/\.ya?ml$/, ''), name, path, yaml };
  });
}
