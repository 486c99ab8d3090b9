// Window-to-window stability of a measurement point. MEASUREMENT.md rule 3.

export interface WindowStats {
  samplesPerSec: number;
  p99Ms: number;
}

export interface StabilityVerdict {
  stable: boolean;
  /** (max − min) / mean · 100 of throughput over the last `count` windows; Infinity with too few windows */
  throughputSpreadPct: number;
  /** same for p99 */
  p99SpreadPct: number;
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
 * A point is stable when its last `count` windows agree within `tolerancePct` on both throughput
 * and p99, agreement meaning spread = (max − min) / mean · 100 ≤ tolerancePct. Using max − min
 * rather than each window against the mean means every pair of windows differs by at most
 * tolerancePct of the mean. Fewer than `count` windows: not stable, spreads Infinity.
 */
export function windowsStable(windows: WindowStats[], count = 3, tolerancePct = 10): StabilityVerdict {
  if (windows.length < count || count < 1) {
    return { stable: false, throughputSpreadPct: Infinity, p99SpreadPct: Infinity };
  }
  const last = windows.slice(windows.length - count);
  const throughputSpreadPct = spreadPct(last.map((w) => w.samplesPerSec));
  const p99SpreadPct = spreadPct(last.map((w) => w.p99Ms));
  return {
    stable: throughputSpreadPct <= tolerancePct && p99SpreadPct <= tolerancePct,
    throughputSpreadPct,
    p99SpreadPct,
  };
}
