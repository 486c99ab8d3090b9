// A sweep's row in the store: created for a new sweep, or reopened for --resume (its stored spec
// validated with the same schema as a new sweep's); each finished point committed as it comes.
import { sweepSpecSchema, describeZodError, type SweepSpecResolved } from '../../common/schemas.ts';
import type { ModelInfo, PointResult } from '../../common/types.ts';
import { invalidInput } from '../../common/errors.ts';
import type { EngineContext } from '../engineContext.ts';
import type { RunRow } from '../store/store.ts';
import { mergePins } from './inputPins.ts';
import { preflight } from './preflight.ts';

export interface SweepRecord {
  runId: string;
  spec: SweepSpecResolved;
  model: ModelInfo;
  /** config keys of the points already stored (resume skips them) */
  finished: Set<string>;
  resumed: boolean;
}

/** A new sweep: the model resolved and preflighted, then its run row created. */
export async function createSweepRecord(ctx: EngineContext, spec: SweepSpecResolved): Promise<SweepRecord> {
  const model = await ctx.resolveModel(spec.model);
  await preflight(model, mergePins(model.defaultPins, spec.inputs), Math.min(...spec.batch));
  const runId = ctx.store.createRun({
    kind: 'sweep', name: spec.name, model: { id: model.id, name: model.name, path: model.path, sha256: model.sha256 },
    hardware: ctx.hardware, spec, versions: ctx.versions,
  });
  return { runId, spec, model, finished: new Set(), resumed: false };
}

/** The spec a sweep run was stored with, validated with the schema of a new sweep (a spec of an incompatible version is refused). */
export function storedSweepSpec(row: RunRow): SweepSpecResolved {
  if (row.kind !== 'sweep') throw invalidInput(`run ${row.id} is a ${row.kind} run, not a sweep: only sweeps can be resumed`);
  const parsed = sweepSpecSchema.safeParse(row.spec);
  if (!parsed.success) {
    throw invalidInput(`run ${row.id} was stored with a sweep spec this version cannot read (${describeZodError(parsed.error, 'stored spec')}): ` +
      `start a new sweep of ${row.model.id} instead of resuming it`);
  }
  return { ...parsed.data, resumeRunId: undefined };
}

/** An interrupted or cancelled sweep, reopened: the stored spec must parse as a sweep spec of this version. */
export async function reopenSweepRecord(ctx: EngineContext, runId: string): Promise<SweepRecord> {
  const row = ctx.store.getRunRow(runId);
  if (row.status === 'running') throw invalidInput(`run ${row.id} is still running in another process: wait for it, or cancel it there first`);
  if (row.status === 'completed') throw invalidInput(`run ${row.id} is already completed: nothing to resume`);
  const spec = storedSweepSpec(row);
  const resolved = await ctx.resolveModel(row.model.path);
  const model = { ...resolved, id: row.model.id, name: row.model.name };
  const finished = ctx.store.finishedConfigKeys(row.id);
  ctx.store.reopenRun(row.id);
  return { runId: row.id, spec, model, finished, resumed: true };
}

export function commitPoint(ctx: EngineContext, runId: string, point: PointResult): PointResult {
  point.id = ctx.store.addPoint(runId, point);
  return point;
}
