// Traffic in the numbers the cost formulas need: mean, hourly and peak rates, burstiness, volume.
import { invalidInput } from '../errors.ts';
import type { Workload } from './workloadSchema.ts';

/** Hours per month used in every cost (730 = 8760 / 12). */
export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export interface TrafficSummary {
  hasTraffic: boolean;
  meanRatePerSec: number;
  /** 24 hourly mean rates (requests/s) when a daily profile or trace fixes them, else null */
  hourlyRatePerSec: number[] | null;
  /** the rate to provision for: the busiest hour (windowed peak), never the daily mean */
  peakRatePerSec: number;
  /** inter-arrival coefficient of variation within an hour */
  cv: number;
  monthlyRequests: number;
  /** where the peak came from, for the explanation */
  peakSource: 'daily profile' | 'peak-to-mean ratio' | 'trace (busiest minute)' | 'flat (no profile given)' | 'none';
}

/** Summarises the workload's traffic; `traceArrivalsMs` are the trace file's arrivals when it has one. */
export function summarizeTraffic(w: Workload, traceArrivalsMs?: number[]): TrafficSummary {
  const t = w.traffic;
  if (!t) return { hasTraffic: false, meanRatePerSec: 0, hourlyRatePerSec: null, peakRatePerSec: 0, cv: 1, monthlyRequests: 0, peakSource: 'none' };
  if (t.traceFile && traceArrivalsMs && traceArrivalsMs.length >= 2) return fromTrace(traceArrivalsMs);
  let mean = t.meanRatePerSec ?? (t.requestsPerDay !== undefined ? t.requestsPerDay / 86400 : undefined);
  if (mean === undefined) {
    throw invalidInput(`traffic.traceFile "${t.traceFile}" was not read; the engine reads it (or give traffic.meanRatePerSec)`);
  }
  let hourly: number[] | null = null;
  let peak = mean;
  let peakSource: TrafficSummary['peakSource'] = 'flat (no profile given)';
  if (t.dailyProfile) {
    const avg = t.dailyProfile.reduce((a, b) => a + b, 0) / 24;
    hourly = t.dailyProfile.map((m) => (mean as number) * (m / avg));
    peak = Math.max(...hourly);
    peakSource = 'daily profile';
  } else if (t.peakToMean !== undefined) {
    peak = mean * t.peakToMean;
    peakSource = 'peak-to-mean ratio';
  }
  return {
    hasTraffic: true, meanRatePerSec: mean, hourlyRatePerSec: hourly, peakRatePerSec: peak, cv: t.burstinessCv,
    monthlyRequests: mean * 3600 * HOURS_PER_MONTH, peakSource,
  };
}

function fromTrace(arrivalsMs: number[]): TrafficSummary {
  const a = [...arrivalsMs].sort((x, y) => x - y);
  const spanMs = a[a.length - 1] - a[0];
  const mean = ((a.length - 1) / spanMs) * 1000;
  // windowed peak: busiest 60 s (or a tenth of the trace when shorter)
  const winMs = Math.min(60_000, spanMs / 10);
  let peak = mean;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (a[i] - a[j] > winMs) j++;
    peak = Math.max(peak, ((i - j + 1) / winMs) * 1000);
  }
  let s = 0;
  let s2 = 0;
  for (let i = 1; i < a.length; i++) {
    const g = a[i] - a[i - 1];
    s += g;
    s2 += g * g;
  }
  const n = a.length - 1;
  const gm = s / n;
  const cv = Math.sqrt(Math.max(0, s2 / n - gm * gm)) / gm;
  return {
    hasTraffic: true, meanRatePerSec: mean, hourlyRatePerSec: null, peakRatePerSec: peak, cv,
    monthlyRequests: mean * 3600 * HOURS_PER_MONTH, peakSource: 'trace (busiest minute)',
  };
}

/** Arrivals expected in the busiest window of length tauS (s): mean part plus a 3-sigma burst term. */
export function arrivalsInWindow(ratePerSec: number, cv: number, tauS: number): number {
  const mean = ratePerSec * tauS;
  return mean + 3 * cv * Math.sqrt(mean);
}
