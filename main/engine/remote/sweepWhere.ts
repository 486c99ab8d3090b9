// The one entry for a sweep wherever it runs: here (the ordinary engine), on a target, split
// across targets, or the same grid on each target (--per-target). A resumed run goes back to
// where it was measured.
import type { SweepSpecResolved } from '../../common/schemas.ts';
import type { SweepRunResult } from '../../common/types.ts';
import type { EngineContext } from '../engineContext.ts';
import { runSweep, type SweepCallbacks } from '../measure/sweep.ts';
import { runSweepOnTargets, runSweepPerTarget } from './remoteSweep.ts';
import { invalidInput } from '../../common/errors.ts';

export function isTargetSweep(ctx: EngineContext, spec: SweepSpecResolved): boolean {
  if (spec.target?.length) return true;
  return spec.resumeRunId ? ctx.store.getRunRow(spec.resumeRunId).target !== null : false;
}

export async function sweepWhere(ctx: EngineContext, spec: SweepSpecResolved, cb: SweepCallbacks = {}): Promise<SweepRunResult | SweepRunResult[]> {
  if (spec.perTarget) {
    if (!spec.target?.length) throw invalidInput('--per-target needs --target A,B: the targets to measure the grid on');
    return runSweepPerTarget(ctx, spec, cb);
  }
  return isTargetSweep(ctx, spec) ? runSweepOnTargets(ctx, spec, cb) : runSweep(ctx, spec, cb);
}

/** For a host that runs one job per run (the API): per-target sweeps are started one per target. */
export async function sweepOneRun(ctx: EngineContext, spec: SweepSpecResolved, cb: SweepCallbacks = {}): Promise<SweepRunResult> {
  if (spec.perTarget) throw invalidInput('perTarget: start one sweep per target (each its own run), or leave it out to split the grid across the targets');
  return isTargetSweep(ctx, spec) ? runSweepOnTargets(ctx, spec, cb) : runSweep(ctx, spec, cb);
}
