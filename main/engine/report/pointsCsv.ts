// CSV of a run's points: one row per point, columns documented in docs/csv.md. Units in the names.
import type { SweepRunResult } from '../../common/types.ts';

export const POINT_CSV_COLUMNS = [
  'run_id', 'model', 'batch', 'instances', 'threads_per_instance', 'precision', 'provider', 'status', 'requests', 'samples',
  'samples_per_sec', 'requests_per_sec', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'mean_ms', 'min_ms', 'max_ms',
  'p99_ci_lo_ms', 'p99_ci_hi_ms', 'session_create_ms', 'first_inference_ms', 'warmup_runs', 'windows', 'peak_rss_bytes',
  'little_gap_pct', 'accuracy_cosine', 'accuracy_max_abs_err', 'accuracy_within_budget', 'error',
  // appended after the original columns so that column positions above never move
  'request_rate_per_sec', 'noisy_run', 'notes',
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
    p.config.requestRatePerSec, run.noisy, p.notes?.join('; '),
  ].map(cell).join(','));
  return [POINT_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/**
 * Columns of Triton perf_analyzer's `-f FILE --verbose-csv` output (client/src/c++/perf_analyzer
 * report_writer.cc): the first column is `Concurrency` or `Request Rate`, times are integer µs.
 */
export const PERF_ANALYZER_COLUMNS = [
  'Inferences/Second', 'Client Send', 'Network+Server Send/Recv', 'Server Queue', 'Server Compute Input',
  'Server Compute Infer', 'Server Compute Output', 'Client Recv', 'p50 latency', 'p90 latency', 'p95 latency', 'p99 latency',
  'Avg latency', 'request/response', 'response wait',
] as const;

const us = (msValue: number) => Math.round(msValue * 1000);

/**
 * The run's points as perf_analyzer would write them, so tools that read perf_analyzer CSV (Model
 * Analyzer, spreadsheets) take Kneepoint measurements. Kneepoint runs the model in-process, so the
 * whole per-request latency is server compute: Client Send, network, queue, compute input/output
 * and Client Recv are 0. `Concurrency` is the number of instances (each runs back to back, like
 * perf_analyzer's outstanding requests). Failed points are left out (perf_analyzer writes no row
 * for a failed level); rows are sorted by increasing Inferences/Second, as perf_analyzer sorts them.
 */
export function pointsToPerfAnalyzerCsv(run: SweepRunResult): string {
  const points = run.points.filter((p) => p.status !== 'failed');
  const byRate = points.length > 0 && points.every((p) => p.config.requestRatePerSec !== undefined);
  const header = [byRate ? 'Request Rate' : 'Concurrency', ...PERF_ANALYZER_COLUMNS];
  const rows = [...points].sort((a, b) => a.samplesPerSec - b.samplesPerSec).map((p) => [
    byRate ? p.config.requestRatePerSec : p.config.instances,
    +p.samplesPerSec.toFixed(1), 0, 0, 0, 0, us(p.latencyMs.mean), 0, 0,
    us(p.latencyMs.p50), us(p.latencyMs.p90), us(p.latencyMs.p95), us(p.latencyMs.p99),
    us(p.latencyMs.mean), 0, us(p.latencyMs.mean),
  ].map(cell).join(','));
  return [header.join(','), ...rows].join('\n') + '\n';
}
