// How a plan's figures read on screen and in reports (the Plan view, Learn and the HTML report use
// these, so they agree): latency at the workload's SLA percentile, and percentages that never
// round a tiny load to 0% or 99.7% headroom to 100%.
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
