// Plans on measured hardware: a workload instance that names where it was measured
// (`target: gpu-box`, or `runId: run_…`) is planned on that run's curves, as measured (no speed
// factor, no ±% caveat), and the plan says which run it used. A plan uses one run's curves, so
// all instances must then name the same measurement.
import type { EngineContext } from '../engineContext.ts';
import type { Workload } from '../../common/plan/workloadSchema.ts';
import { invalidInput } from '../../common/errors.ts';

interface InstanceRef { name: string; target?: string; runId?: string; measuredHere?: boolean; speedFactor?: number }

/**
 * The latest completed sweep of `modelId` measured on target `name` (alone or in a fan-out). A
 * sweep the user ran comes before the service curves a `validate --target` measured (a few batch
 * sizes, one instance count), which are used only when the target has no other sweep.
 */
export function latestTargetRun(ctx: EngineContext, modelId: string, name: string): string | null {
  const runs = ctx.store.listRuns({ model: modelId, kind: 'sweep' })
    .filter((r) => r.status === 'completed' && r.pointCount > 0 && r.target !== undefined && r.target.split(',').includes(name));
  const serviceCurves = new Set(ctx.store.listRuns({ model: modelId, kind: 'validate' })
    .map((v) => (ctx.store.getRunRow(v.id).result as { sweepRunId?: string } | null)?.sweepRunId).filter(Boolean));
  return (runs.find((r) => !serviceCurves.has(r.id)) ?? runs[0])?.id ?? null;
}

export function planOnMeasuredInstances(ctx: EngineContext, workload: Workload, modelId: string, runId: string | undefined):
  { workload: Workload; runId: string | undefined; notes: string[] } {
  const instances = ((workload as { instances?: InstanceRef[] }).instances ?? []);
  const named = instances.filter((i) => i.target || i.runId);
  if (!named.length) return { workload, runId, notes: [] };
  const plain = instances.filter((i) => !i.target && !i.runId);
  if (plain.length) {
    throw invalidInput(`instance ${named[0].name} names where it was measured but ${plain.map((i) => i.name).join(', ')} does not: ` +
      'a plan uses one run\'s curves, and a speed factor is relative to the machine of that run. Plan the unmeasured instances in a workload of their own, or measure them too (sweep --target) and plan each target separately.');
  }
  const sources = named.map((i) => {
    if (i.runId) {
      const row = ctx.store.getRunRow(i.runId);
      return { inst: i, runId: row.id, where: row.target ? `target ${row.target}` : 'this machine' };
    }
    const found = latestTargetRun(ctx, modelId, i.target!);
    if (!found) {
      throw invalidInput(`instance ${i.name}: no completed sweep of ${modelId} on target ${i.target}: run \`kneepoint sweep --target ${i.target} --model ${modelId} --batch 1,2,4,8,16,32 --instances 1,2\` first`);
    }
    return { inst: i, runId: found, where: `target ${i.target}` };
  });
  const distinct = [...new Set(sources.map((s) => s.runId))];
  if (distinct.length > 1) {
    throw invalidInput(`the instances were measured in different runs (${sources.map((s) => `${s.inst.name}: ${s.runId}`).join(', ')}): ` +
      'a plan uses one run\'s curves; plan each instance type in its own workload and compare the plans');
  }
  if (runId && runId !== distinct[0]) throw invalidInput(`the plan was asked for run ${runId}, but the workload's instances were measured in ${distinct[0]}: leave out the run, or the instances' target/runId`);
  const measured = new Set(named.map((i) => i.name));
  const next = {
    ...workload,
    instances: instances.map((i) => (measured.has(i.name) ? { ...i, measuredHere: true, speedFactor: 1 } : i)),
  } as Workload;
  const notes = sources.map((s) => `Instance ${s.inst.name} was measured on ${s.where} (run ${s.runId}): its curves are used as measured, with no speed factor.` +
    (s.inst.speedFactor !== undefined && s.inst.speedFactor !== 1 ? ` Its speedFactor ${s.inst.speedFactor} is ignored.` : ''));
  return { workload: next, runId: distinct[0], notes };
}
