// "Which configuration should I run?": among a run's measured points, the ones that meet a latency
// SLA, ranked by an objective, with the reason each other point fails. Pure: used by the CLI
// (`kneepoint best`), the API (`bestConfig`), Run detail's SLA box and reports.
//
// A point meets the SLA only when the upper end of the 95 % CI of its SLA percentile is within the
// limit: a point whose estimate is under the limit but whose interval crosses it has not shown that
// it meets it. Without an interval (too few requests to bound that percentile) it is rejected too.
import type { PointConfig, PointResult } from '../types.ts';
import { decodeHistogram } from '../stats/histogram.ts';
import { percentileCiRanks } from '../stats/percentileCi.ts';
import { slaQuantile, slaText, type Sla, type SlaPercentile } from './sla.ts';
import { configLabel } from './configLabel.ts';

export type BestObjective = 'throughput' | 'cost' | 'latency';
export const BEST_OBJECTIVES: readonly BestObjective[] = ['throughput', 'cost', 'latency'];

export interface BestOptions {
  sla: Sla;
  /** throughput: most samples/s; cost: most samples/s per CPU core used; latency: lowest SLA percentile */
  objective?: BestObjective;
  /** how many passing configs to return (default 3) */
  top?: number;
}

export interface BestEntry {
  config: PointConfig;
  /** "batch 4 × 2 instances × 1 thread" */
  label: string;
  pointId?: number;
  samplesPerSec: number;
  requestsPerSec: number;
  p99Ms: number;
  p99CiMs: [number, number] | null;
  /** the SLA percentile's estimate and 95 % CI (equal to p99Ms / p99CiMs for a p99 SLA) */
  percentileMs: number;
  percentileCiMs: [number, number];
  /** CPU cores the config occupies: instances × threads per instance */
  cores: number;
  samplesPerSecPerCore: number;
  /** the point's windows disagreed (MEASUREMENT.md): the figure may move on a re-measure */
  unstable: boolean;
}

export interface BestRejected {
  config: PointConfig;
  label: string;
  pointId?: number;
  reason: string;
}

export interface BestResult {
  sla: Sla;
  objective: BestObjective;
  top: BestEntry[];
  rejected: BestRejected[];
  /** one sentence a person can read aloud */
  sentence: string;
}

const fmtMs = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const fmtRate = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const pctName = (p: SlaPercentile) => (p === 'p999' ? 'p99.9' : p);

/** The point's estimate and 95 % CI of percentile `p`, or why there is none. */
export function percentileWithCi(point: PointResult, p: SlaPercentile): { ms: number; ciMs: [number, number] } | { missing: string } {
  const est = point.latencyMs[p];
  if (est === null || est === undefined || !Number.isFinite(est)) return { missing: `${pctName(p)} was not reported (${point.requests} requests are too few)` };
  if (p === 'p99' && point.p99CiMs) return { ms: est, ciMs: point.p99CiMs };
  if (point.histogram) {
    const h = decodeHistogram(point.histogram);
    const n = h.totalCount;
    const ranks = n > 0 ? percentileCiRanks(n, slaQuantile(p)) : null;
    if (ranks) {
      // the value at rank r of n sorted samples is the nearest-rank value at percentile 100·r/n
      const lo = h.getValueAtPercentile((100 * ranks.lower) / n) / 1000;
      const hi = h.getValueAtPercentile((100 * ranks.upper) / n) / 1000;
      return { ms: est, ciMs: [Math.min(lo, est), Math.max(hi, est)] };
    }
  }
  return { missing: `${point.requests} requests are too few for a 95 % interval of ${pctName(p)}: measure longer` };
}

function score(e: BestEntry, objective: BestObjective): number {
  if (objective === 'throughput') return e.samplesPerSec;
  if (objective === 'cost') return e.samplesPerSecPerCore;
  return -e.percentileCiMs[1];
}

function objectivePhrase(objective: BestObjective, sla: Sla): string {
  const under = `under ${sla.ms} ms`;
  if (objective === 'throughput') return `the highest throughput ${under}`;
  if (objective === 'cost') return `the most samples/s per CPU core ${under}`;
  return `the lowest ${pctName(sla.percentile)} ${under}`;
}

function entrySentence(e: BestEntry, sla: Sla): string {
  const p = pctName(sla.percentile);
  const [lo, hi] = e.percentileCiMs;
  return `${e.label}: ${fmtRate(e.samplesPerSec)} samples/s at ${p} ${fmtMs(e.percentileMs)} ms [${fmtMs(lo)}, ${fmtMs(hi)}]`;
}

export function bestConfigs(points: readonly PointResult[], opts: BestOptions): BestResult {
  const { sla } = opts;
  const objective = opts.objective ?? 'throughput';
  const topN = Math.max(1, Math.floor(opts.top ?? 3));
  const p = pctName(sla.percentile);
  const passing: BestEntry[] = [];
  const rejected: BestRejected[] = [];
  // the closest miss, to say how far off the SLA the run is when nothing passes
  let closest: { label: string; ms: number; ciMs: [number, number] } | null = null;

  for (const pt of points) {
    const base = { config: pt.config, label: configLabel(pt.config), ...(pt.id !== undefined ? { pointId: pt.id } : {}) };
    if (pt.status === 'failed') { rejected.push({ ...base, reason: `failed: ${pt.error ?? 'no result'}` }); continue; }
    if (!(pt.samplesPerSec > 0)) { rejected.push({ ...base, reason: 'no completed requests' }); continue; }
    const v = percentileWithCi(pt, sla.percentile);
    if ('missing' in v) { rejected.push({ ...base, reason: v.missing }); continue; }
    const [lo, hi] = v.ciMs;
    if (hi > sla.ms) {
      const reason = v.ms > sla.ms
        ? `${p} ${fmtMs(v.ms)} ms [${fmtMs(lo)}, ${fmtMs(hi)}] exceeds ${sla.ms} ms`
        : `${p} ${fmtMs(v.ms)} ms is under ${sla.ms} ms but its 95 % interval [${fmtMs(lo)}, ${fmtMs(hi)}] reaches past it`;
      rejected.push({ ...base, reason });
      if (!closest || hi < closest.ciMs[1]) closest = { label: base.label, ms: v.ms, ciMs: v.ciMs };
      continue;
    }
    const cores = pt.config.instances * pt.config.threadsPerInstance;
    passing.push({
      ...base,
      samplesPerSec: pt.samplesPerSec,
      requestsPerSec: pt.requestsPerSec,
      p99Ms: pt.latencyMs.p99,
      p99CiMs: pt.p99CiMs,
      percentileMs: v.ms,
      percentileCiMs: v.ciMs,
      cores,
      samplesPerSecPerCore: pt.samplesPerSec / Math.max(1, cores),
      unstable: pt.status === 'unstable',
    });
  }

  // ties: the one with more headroom (lower CI upper end), then fewer cores
  passing.sort((a, b) => score(b, objective) - score(a, objective) || a.percentileCiMs[1] - b.percentileCiMs[1] || a.cores - b.cores);
  const top = passing.slice(0, topN);
  for (const e of passing.slice(topN)) {
    rejected.push({ config: e.config, label: e.label, ...(e.pointId !== undefined ? { pointId: e.pointId } : {}), reason: `meets ${slaText(sla)} but ranks below the top ${topN} by ${objective}` });
  }

  let sentence: string;
  if (top.length) {
    const best = top[0];
    sentence = `${entrySentence(best, sla)}, ${objectivePhrase(objective, sla)}`;
    if (best.unstable) sentence += ' (unstable point: re-measure before relying on it)';
    sentence += '.';
  } else if (closest) {
    sentence = `No configuration in this run meets ${slaText(sla)}: the closest is ${closest.label} at ${p} ${fmtMs(closest.ms)} ms [${fmtMs(closest.ciMs[0])}, ${fmtMs(closest.ciMs[1])}].`;
  } else {
    sentence = `No configuration in this run can be judged against ${slaText(sla)}: ${rejected.length ? rejected[0].reason : 'the run has no points'}.`;
  }
  return { sla, objective, top, rejected, sentence };
}
