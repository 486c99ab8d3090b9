// The roofline of a stored run: this machine's roofs (measured once and kept by hardware
// fingerprint in the store's machine_peak table), the model's FLOPs from inspection, and the
// run's points. Runs measured on another machine are judged against that machine's roofs, when known.
import type { EngineContext } from '../engineContext.ts';
import type { Store } from '../store/store.ts';
import type { ModelInfo } from '../../common/types.ts';
import { rooflineFor, type MachinePeak, type RooflineResult } from '../../common/roofline.ts';
import { invalidInput } from '../../common/errors.ts';
import { parseArgs } from '../argParse.ts';
import { z } from 'zod';
import { measureMachinePeak } from './measurePeak.ts';

export function storedPeak(store: Store, fingerprint: string): MachinePeak | null {
  const row = store.db.prepare('SELECT peak_json FROM machine_peak WHERE fingerprint = ?').get(fingerprint) as { peak_json: string } | undefined;
  return row ? JSON.parse(row.peak_json) as MachinePeak : null;
}

export function savePeak(store: Store, peak: MachinePeak): void {
  store.db.prepare('INSERT INTO machine_peak(fingerprint, peak_json, measured_at) VALUES (?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE SET peak_json = excluded.peak_json, measured_at = excluded.measured_at')
    .run(peak.fingerprint, JSON.stringify(peak), peak.measuredAt);
}

/** This machine's roofs: stored, or measured now (and stored) when asked or missing and `measure` is set. */
export async function machinePeak(ctx: EngineContext, o: { measure?: boolean; remeasure?: boolean } = {}): Promise<MachinePeak | null> {
  const fp = ctx.hardware.fingerprint;
  if (!fp) return null;
  const stored = o.remeasure ? null : storedPeak(ctx.store, fp);
  if (stored || !(o.measure || o.remeasure)) return stored;
  if (ctx.store.readOnly) throw invalidInput('the database is open read-only: the machine\'s peak cannot be stored');
  const peak = await measureMachinePeak(fp);
  savePeak(ctx.store, peak);
  return peak;
}

const rooflineArgsSchema = z.object({ runId: z.string().min(1), measure: z.boolean().optional(), remeasure: z.boolean().optional() }).strict();
export type RooflineArgs = z.input<typeof rooflineArgsSchema>;

export async function rooflineForRun(ctx: EngineContext, argsIn: unknown): Promise<RooflineResult> {
  const a = parseArgs(rooflineArgsSchema, argsIn, 'roofline');
  const run = ctx.store.getRunResult(a.runId);
  if (!run.points.length) throw invalidInput(`run ${a.runId} has no measured points: the roofline needs a sweep (\`kneepoint runs --kind sweep\`)`);
  const here = ctx.hardware.fingerprint;
  const runFp = run.hardware?.fingerprint ?? here;
  const peak = runFp === here ? await machinePeak(ctx, a) : (runFp ? storedPeak(ctx.store, runFp) : null);
  let info: ModelInfo | null = null;
  try { info = await ctx.resolveModel(run.model.id); } catch { info = null; }
  const r = rooflineFor({ runId: run.runId, model: run.model.id, points: run.points }, info, peak);
  if (runFp !== here && !peak) r.notes.push('the run was measured on another machine, whose peak is not known here');
  return r;
}
