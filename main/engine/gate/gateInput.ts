// What the gate compares: a stored run (by id) or a Kneepoint JSON export (a file committed as the
// CI baseline, or the candidate sweep's export).
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Store } from '../store/store.ts';
import type { PointResult } from '../../common/types.ts';
import { invalidInput } from '../../common/errors.ts';
import { readKneepointJson } from '../import/kneepointJson.ts';

export interface GateRun {
  /** how the user named it: a run id or a file name */
  source: string;
  runId: string;
  modelId: string;
  modelSha256: string;
  hardwareFingerprint: string | null;
  points: PointResult[];
  /** the run's A/A figure: its anchor point measured twice, throughput drift in % (null: not measured) */
  anchorDriftPct: number | null;
}

export function loadGateRun(store: Store, ref: string, flag: string): GateRun {
  const looksLikeFile = /\.json$/i.test(ref) || ref.includes('/') || ref.includes('\\');
  if (looksLikeFile || (existsSync(ref) && !/^run_/.test(ref))) {
    if (!existsSync(ref)) throw invalidInput(`${flag} ${ref}: no such file (pass a run id from \`kneepoint runs\` or a JSON export from \`kneepoint export RUN --format json\`)`);
    const bundle = readKneepointJson(readFileSync(ref, 'utf8'), { format: 'kneepoint-json', fileName: basename(ref), sha256: '' });
    const r = bundle.run;
    const res = (r.result ?? {}) as { anchorDriftPct?: number | null };
    return {
      source: basename(ref), runId: r.id, modelId: r.model.id, modelSha256: r.model.sha256,
      hardwareFingerprint: r.hardware.fingerprint ?? null, points: r.points, anchorDriftPct: res.anchorDriftPct ?? null,
    };
  }
  const run = store.getRunResult(ref);
  return {
    source: ref, runId: run.runId, modelId: run.model.id, modelSha256: run.model.sha256,
    hardwareFingerprint: run.hardware?.fingerprint ?? null, points: run.points, anchorDriftPct: run.anchorDriftPct ?? null,
  };
}
