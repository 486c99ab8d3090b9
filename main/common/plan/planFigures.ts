// How a plan's figures read on screen, in reports and in the planner's own sentences (the Plan
// view, Learn, the HTML report and explain/levers use these, so they agree): latency at the
// workload's SLA percentile, percentages that never round a tiny load to 0% or 99.7% headroom to
// 100%, and durations, rates, money and sizes in words.
import type { Plan, PredictedLatency } from './types.ts';

export interface SlaLatency {
  /** the percentile the figure is at (the workload's SLA percentile, or 99 for older plans) */
  percentile: number;
  ms: number;
  bandMs: [number, number];
}

/** Predicted latency at the workload's SLA percentile; p99 when the plan carries no slaPercentile (stored before it existed, or deferred). */
export function latencyAtSla(p: PredictedLatency): SlaLatency {
  if (p.slaPercentile !== undefined && p.slaPercentileMs !== undefined) {
    return { percentile: p.slaPercentile, ms: p.slaPercentileMs, bandMs: p.slaBandMs ?? p.p99BandMs };
  }
  return { percentile: 99, ms: p.p99Ms, bandMs: p.p99BandMs };
}

/** The SLA percentile the plans' latencies are at (the first one that says), else `fallback`. */
export function plansSlaPercentile(plans: readonly Plan[], fallback = 99): number {
  return plans.find((p) => p.predicted?.slaPercentile !== undefined)?.predicted?.slaPercentile ?? fallback;
}

/**
 * A percentage (0–100) as text, without the % sign: one decimal with a trailing ".0" dropped
 * (93.6, 50), "<0.1" and ">99.9" near the ends, exactly 0 and 100 only when they are exact.
 */
export function percentFigure(pct: number): string {
  if (!Number.isFinite(pct)) return '–';
  if (pct <= 0) return '0';
  if (pct >= 100) return '100';
  if (pct < 0.1) return '<0.1';
  if (pct > 99.9) return '>99.9';
  return String(+pct.toFixed(1));
}

/** True for a serverless plan without a concurrency limit: no capacity to fill, so no utilisation or headroom. */
export function scalesPerRequest(p: Plan): boolean {
  return p.variant === 'serverless' && p.concurrencyLimit === undefined;
}

/** Utilisation at peak without the % sign ("0.3", "<0.1"), or null when the plan scales per request. */
export function utilizationFigure(p: Plan): string | null {
  return scalesPerRequest(p) ? null : percentFigure(p.utilization * 100);
}

/**
 * Headroom at peak without the % sign ("99.7", ">99.9"), or null when the plan scales per
 * request. The planner rounds headroomPct to 0.1, so a load under 0.05% would read 100: the
 * utilisation decides then.
 */
export function headroomFigure(p: Plan): string | null {
  if (scalesPerRequest(p)) return null;
  return p.headroomPct >= 100 && p.utilization > 0 ? '>99.9' : percentFigure(p.headroomPct);
}

export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  // a sub-0.1 ms model must not read "0.0 ms": two significant digits
  if (ms > 0 && ms < 0.1) return `${Number(ms.toPrecision(2))} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtRate(perSec: number): string {
  if (perSec >= 100) return `${Math.round(perSec).toLocaleString('en-US')}/s`;
  if (perSec >= 1) return `${perSec.toFixed(1)}/s`;
  return `${(perSec * 3600).toFixed(0)}/h`;
}

export function fmtUsd(x: number | null): string {
  if (x === null) return 'unknown (no prices given)';
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function fmtDuration(s: number): string {
  if (s < 120) return `${+s.toFixed(1)} s`;
  if (s < 7200) return `${+(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${+(s / 3600).toFixed(1)} h`;
  return `${+(s / 86400).toFixed(1)} days`;
}

export function fmtBytes(b: number): string {
  if (b >= 1e9) return `${+(b / 1e9).toFixed(1)} GB`;
  if (b >= 1e6) return `${+(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${+(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

/** A small duration with enough digits for sub-millisecond overheads (0.08 ms, 1.2 ms). */
export function fmtOverheadMs(ms: number): string {
  if (ms < 1) return `${+ms.toFixed(3)} ms`;
  return fmtMs(ms);
}

/** A fraction as a percentage a PM can read: 0.3%, 42%. */
export function fmtShare(x: number): string {
  const p = x * 100;
  if (p > 0 && p < 1) return `${+p.toPrecision(1)}%`;
  if (p < 10) return `${+p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}
