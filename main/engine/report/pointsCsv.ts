// CSV of a run's points: one row per point, columns documented in docs/csv.md. Units in the names.
import type { SweepRunResult } from '../../common/types.ts';

export const POINT_CSV_COLUMNS = [
  'run_id', 'model', 'batch', 'instances', 'threads_per_instance', 'precision', 'provider', 'status', 'requests', 'samples',
  'samples_per_sec', 'requests_per_sec', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'mean_ms', 'min_ms', 'max_ms',
  'p99_ci_lo_ms', 'p99_ci_hi_ms', 'session_create_ms', 'first_inference_ms', 'warmup_runs', 'windows', 'peak_rss_bytes',
  'little_gap_pct', 'accuracy_cosine', 'accuracy_max_abs_err', 'accuracy_within_budget', 'error',
] as const;

function cell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function pointsToCsv(run: SweepRunResult): string {
  const rows = run.points.map((p) => [
    run.runId, run.model.id, p.config.batch, p.config.instances, p.config.threadsPerInstance, p.config.precision, p.config.provider,
    p.status, p.requests, p.samples, p.samplesPerSec, p.requestsPerSec, p.latencyMs.p50, p.latencyMs.p90, p.latencyMs.p95,
    p.latencyMs.p99, p.latencyMs.p999, p.latencyMs.mean, p.latencyMs.min, p.latencyMs.max, p.p99CiMs?.[0], p.p99CiMs?.[1],
    p.sessionCreateMs, p.firstInferenceMs, p.warmupRuns, p.windows, p.peakRssBytes, p.littleGapPct,
    p.accuracy?.cosine, p.accuracy?.maxAbsErr, p.accuracy?.withinBudget, p.error?.split('\n')[0],
  ].map(cell).join(','));
  return [POINT_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
