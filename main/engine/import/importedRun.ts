// What an importer hands to the writer: one run, complete, validated, not yet stored.
import type { HardwareInfo, ModelRef, PointResult, RunKind, RunStatus } from '../../common/types.ts';

export interface ImportedRun {
  /** the original run id (Kneepoint JSON) or one derived from the file's content (perf_analyzer) */
  id: string;
  kind: RunKind;
  name?: string;
  tags: string[];
  model: ModelRef;
  /** the machine the run was measured on, with its own fingerprint */
  hardware: HardwareInfo;
  spec: unknown;
  versions: unknown;
  status: RunStatus;
  createdAt?: string;
  finishedAt?: string | null;
  /** run-level results kept in the run row (noisy, anchorDriftPct) */
  result?: Record<string, unknown>;
  points: PointResult[];
}

export interface ImportedPlan {
  id: string;
  workload: unknown;
  result: unknown;
  createdAt?: string;
}

export interface ImportSource {
  format: 'kneepoint-json' | 'perf_analyzer-csv';
  fileName: string;
  sha256: string;
}

export interface ImportBundle {
  source: ImportSource;
  run: ImportedRun;
  plan?: ImportedPlan;
}
