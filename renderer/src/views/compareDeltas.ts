// The figures behind Compare, without the page: run labels that tell runs apart, latency deltas
// judged on both points' 95 % intervals, and the summary line.
import { percentileWithCi } from '../../../main/common/best/bestConfig.ts';
import type { PointResult, RunSummary, SweepRunResult } from '../../../main/common/types.ts';
import { date } from '../format.ts';
import type { Percentile } from '../format.ts';

/** How a run is told apart in the picker: name, model, date, machine, grid. */
export function runLabel(r: RunSummary, run: SweepRunResult | null): string {
  const parts = [r.name || r.id, r.model, date(r.createdAt), r.hardwareLabel ?? (r.imported ? 'imported' : 'this machine')];
  if (run) parts.push(gridText(run.points));
  else parts.push(`${r.pointCount} points`);
  return parts.join(' · ');
}

function rangeText(xs: number[], unit: string): string {
  const u = [...new Set(xs)].sort((a, b) => a - b);
  if (!u.length) return '';
  return u.length === 1 ? `${unit} ${u[0]}` : `${unit} ${u[0]}–${u[u.length - 1]}`;
}

/** "b1–16 × inst 1–2 · fp32, int8 · 6 points" */
export function gridText(points: PointResult[]): string {
  const c = points.map((p) => p.config);
  const prec = [...new Set(c.map((x) => x.precision))].join(', ');
  return `${rangeText(c.map((x) => x.batch), 'batch')} × ${rangeText(c.map((x) => x.instances), 'inst')} · ${prec} · ${points.length} points`;
}

export interface Delta {
  base: PointResult;
  other: PointResult;
  /** relative latency change at the percentile, % */
  latencyPct: number;
  /** the change's interval from both points' 95 % intervals, %; null when either point has none */
  latencyIntervalPct: [number, number] | null;
  /** colour it: the interval excludes 0 and neither point is unstable */
  significant: boolean;
  /** why it is grey */
  why: 'significant' | 'within noise' | 'unstable' | 'no interval';
  throughputRatio: number;
}

/** The latency delta of `other` vs `base` at percentile `q`, judged on both points' intervals. */
export function latencyDelta(base: PointResult, other: PointResult, q: Percentile): Delta {
  const b = percentileWithCi(base, q);
  const o = percentileWithCi(other, q);
  const latencyPct = (other.latencyMs[q] / base.latencyMs[q] - 1) * 100;
  const throughputRatio = other.samplesPerSec / base.samplesPerSec;
  if ('missing' in b || 'missing' in o) return { base, other, latencyPct, latencyIntervalPct: null, significant: false, why: 'no interval', throughputRatio };
  // the widest change both intervals allow: [other low / base high, other high / base low]
  const iv: [number, number] = [(o.ciMs[0] / b.ciMs[1] - 1) * 100, (o.ciMs[1] / b.ciMs[0] - 1) * 100];
  const unstable = base.status === 'unstable' || other.status === 'unstable';
  const excludesZero = iv[0] > 0 || iv[1] < 0;
  return { base, other, latencyPct, latencyIntervalPct: iv, significant: excludesZero && !unstable, why: unstable ? 'unstable' : excludesZero ? 'significant' : 'within noise', throughputRatio };
}

/** "B is 1.8× faster at batch 8, p99 −32 % [−35, −29], 6 of 7 points significant" */
export function summaryLine(name: string, deltas: Delta[], q: Percentile): string {
  if (!deltas.length) return `${name}: no configuration in common with the baseline.`;
  // the headline pair: the baseline's highest-throughput configuration (what it would be run at)
  const head = deltas.reduce((a, d) => (d.base.samplesPerSec > a.base.samplesPerSec ? d : a));
  const r = head.throughputRatio;
  const speed = r >= 1 ? `${r.toFixed(r >= 10 ? 0 : 1)}× faster` : `${(1 / r).toFixed(1 / r >= 10 ? 0 : 1)}× slower`;
  const iv = head.latencyIntervalPct ? ` [${signed(head.latencyIntervalPct[0])}, ${signed(head.latencyIntervalPct[1])}]` : ' (no interval)';
  const sig = deltas.filter((d) => d.significant).length;
  return `${name} is ${speed} at batch ${head.base.config.batch} (${head.base.config.instances} inst), ${q} ${signed(head.latencyPct)} %${iv}${head.significant ? '' : ` (${head.why})`}, ${sig} of ${deltas.length} points significant.`;
}

export const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(Math.abs(v) < 10 ? 1 : 0)}`;

