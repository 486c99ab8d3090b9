// Window-to-window stability of a measurement point. MEASUREMENT.md rule 3.
import { percentileNearestRank } from './percentiles.ts';
import { binomialCdfSmallK } from './special.ts';

export interface WindowStats {
  samplesPerSec: number;
  p99Ms: number;
  /** the window's latencies in ms, ascending (lets the rule tell drift from sampling error) */
  sortedMs?: ArrayLike<number>;
}

export interface StabilityVerdict {
  stable: boolean;
  /** (max − min) / mean · 100 of throughput over the last `count` windows; Infinity with too few windows */
  throughputSpreadPct: number;
  /** same for p99 */
  p99SpreadPct: number;
  /**
   * How the p99s agreed: 'tolerance' (spread ≤ tolerancePct), 'sampling' (spread above it, but the
   * windows' counts above the pooled p99 are what one shared p99 gives: they differ by no more than
   * their sample counts allow, p99TailsHomogeneous), or null (they did not agree).
   */
  p99Agreement: 'tolerance' | 'sampling' | null;
}

/** (max − min) / mean · 100; 0 when all values are equal, Infinity when the mean is not positive. */
export function spreadPct(values: number[]): number {
  if (values.length === 0) return Infinity;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) return Infinity;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  if (max === min) return 0;
  const mean = sum / values.length;
  return mean > 0 ? ((max - min) / mean) * 100 : Infinity;
}

/**
 * Fewer expected latencies above the p99 than this in any one window and the tail test is not
 * tried: with 100 requests a window (1 expected) it cannot see even a 1.6× drift (bench figures in
 * docs/methodology.md), so such windows keep the plain tolerance rule.
 */
export const MIN_WINDOW_TAIL_COUNT = 5;

/**
 * Do the windows share one p99, as far as their sample counts can tell? Under that hypothesis the
 * number k_i of window i's latencies above the pooled p99 is Binomial(n_i, 0.01). The test rejects
 * when any window's k_i falls in either 2.5 %/m tail of its binomial (two-sided, Bonferroni over the
 * m windows). It needs each window's sorted latencies, and at least MIN_WINDOW_TAIL_COUNT expected
 * exceedances in each (else it has too little power to call anything agreement).
 */
export function p99TailsHomogeneous(windows: WindowStats[], alpha = 0.05): boolean {
  const sorted = windows.map((w) => w.sortedMs);
  if (sorted.length === 0 || sorted.some((x) => !x || x.length === 0)) return false;
  const all = sorted as ArrayLike<number>[];
  if (all.some((x) => x.length * 0.01 < MIN_WINDOW_TAIL_COUNT)) return false;
  const total = all.reduce((s, x) => s + x.length, 0);
  const pooled = new Float64Array(total);
  let o = 0;
  for (const x of all) for (let i = 0; i < x.length; i++) pooled[o++] = x[i];
  pooled.sort();
  const q = percentileNearestRank(pooled, 0.99);
  const perWindow = alpha / all.length;
  for (const x of all) {
    const n = x.length;
    const k = n - upperBound(x, q);
    const atMost = binomialCdfSmallK(k, n, 0.01);
    const atLeast = 1 - binomialCdfSmallK(k - 1, n, 0.01);
    if (Math.min(1, 2 * Math.min(atMost, atLeast)) < perWindow) return false;
  }
  return true;
}

/** Index of the first element > v in an ascending array. */
function upperBound(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A point is stable when its last `count` windows agree within `tolerancePct` on both throughput
 * and p99, agreement meaning spread = (max − min) / mean · 100 ≤ tolerancePct. Using max − min
 * rather than each window against the mean means every pair of windows differs by at most
 * tolerancePct of the mean. Fewer than `count` windows: not stable, spreads Infinity.
 *
 * The p99s also agree when their spread is above tolerancePct but a test of one shared p99 does not
 * reject it (p99TailsHomogeneous, when the windows carry their latencies). A window's p99 rests on its top 1 %:
 * with 400 completions that is 4 samples, and three windows of one stationary process then differ by
 * ~20 % (measured: ocr-cls batch 8 × 2 instances, 23 % spread against 21 % for the same latencies
 * shuffled, docs/methodology.md). Such a spread says the window was short, not that the point drifted;
 * a drift larger than the windows' sampling error still fails. Throughput has no such allowance.
 */
export function windowsStable(windows: WindowStats[], count = 3, tolerancePct = 10): StabilityVerdict {
  if (windows.length < count || count < 1) {
    return { stable: false, throughputSpreadPct: Infinity, p99SpreadPct: Infinity, p99Agreement: null };
  }
  const last = windows.slice(windows.length - count);
  const throughputSpreadPct = spreadPct(last.map((w) => w.samplesPerSec));
  const p99SpreadPct = spreadPct(last.map((w) => w.p99Ms));
  const p99Agreement = p99SpreadPct <= tolerancePct ? 'tolerance' : p99TailsHomogeneous(last) ? 'sampling' : null;
  return {
    stable: throughputSpreadPct <= tolerancePct && p99Agreement !== null,
    throughputSpreadPct,
    p99SpreadPct,
    p99Agreement,
  };
}
