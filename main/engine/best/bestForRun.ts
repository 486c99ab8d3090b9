// bestConfigs over a stored run (the `bestConfig` API method and `kneepoint best`).
import type { EngineContext } from '../engineContext.ts';
import { parseArgs } from '../argParse.ts';
import { invalidInput } from '../../common/errors.ts';
import { bestArgsSchema, resolveSla } from '../../common/best/bestArgs.ts';
import { bestConfigs, type BestObjective, type BestResult } from '../../common/best/bestConfig.ts';

export function bestForRun(ctx: EngineContext, args: unknown): BestResult & { runId: string; model: string } {
  const a = parseArgs(bestArgsSchema, args, 'best');
  const sla = resolveSla(a.sla);
  const run = ctx.store.getRunResult(a.runId);
  if (!run.points.length) {
    const kind = (run as { kind?: string }).kind ?? 'sweep';
    throw invalidInput(`run ${a.runId} (${kind}) has no measured points to choose from: pass a sweep run (list them with \`kneepoint runs --kind sweep\`)`);
  }
  return { runId: run.runId, model: run.model.id, ...bestConfigs(run.points, { sla, objective: a.objective as BestObjective | undefined, top: a.top }) };
}
