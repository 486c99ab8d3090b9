// HDR histogram of per-request latency, so any statistic can be recomputed later
// (MEASUREMENT.md rule 5). Values are recorded in integer µs, 1 µs … 1 h, 3 significant digits.
//
// hdr-histogram-js is CommonJS. Node's ESM loader exposes its named exports (cjs-module-lexer
// reads its `exports.x =` / defineProperty getters), and esbuild's browser bundle picks the
// package's UMD build through its "browser" field (bundling pako for compression). Only the
// pure-JS JsHistogram is used (useWebAssembly: false), so nothing waits on WebAssembly.
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { summaryOf } from './percentiles.ts';
import type { SampleSummaryMs } from './percentiles.ts';

export type LatencyHistogram = Histogram;

export const HISTOGRAM_LOWEST_US = 1;
export const HISTOGRAM_HIGHEST_US = 3_600_000_000;
export const HISTOGRAM_SIGNIFICANT_DIGITS = 3;

/**
 * Empty latency histogram in µs (1 µs to 1 h, 3 significant digits: a recorded value is resolved
 * to within 0.1 % above 1 ms, and to the nearest µs below). Pure JS, 32-bit counts, ~94 KB.
 */
export function createLatencyHistogram(): LatencyHistogram {
  return build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: HISTOGRAM_LOWEST_US,
    highestTrackableValue: HISTOGRAM_HIGHEST_US,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Records one latency given in ms (rounded to the nearest µs, clamped to [0 µs, 1 h]). */
export function recordMs(h: LatencyHistogram, ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`latency must be a finite number of ms, got ${ms}`);
  const us = Math.min(HISTOGRAM_HIGHEST_US, Math.max(0, Math.round(ms * 1000)));
  h.recordValue(us);
}

/** Compressed base64 (HdrHistogram V2 compressed encoding, readable by other HdrHistogram ports). */
export function encodeHistogram(h: LatencyHistogram): string {
  return encodeIntoCompressedBase64(h);
}

/** Inverse of encodeHistogram (pure-JS histogram, 32-bit counts). */
export function decodeHistogram(b64: string): LatencyHistogram {
  return decodeFromCompressedBase64(b64, 32, false);
}

/**
 * Nearest-rank value at percentile `pct` (0–100) in ms. HdrHistogram returns the highest value
 * equivalent to the bucket holding the ceil(n·p)-th sample, so it never under-reports a tail.
 */
function valueAtPercentileMs(h: LatencyHistogram, pct: number): number {
  return h.getValueAtPercentile(pct) / 1000;
}

/** Same shape as summarize(), computed from a histogram (p99.9 only with ≥ MIN_SAMPLES_P999). */
export function histogramSummaryMs(h: LatencyHistogram): SampleSummaryMs {
  const n = h.totalCount;
  if (n === 0) throw new RangeError('histogramSummaryMs: the histogram is empty');
  return summaryOf(n, (_fraction, percent) => valueAtPercentileMs(h, percent), h.mean / 1000, valueAtPercentileMs(h, 0), valueAtPercentileMs(h, 100));
}

/** `count` evenly spaced quantiles q0 … q100 in ms (101 by default: q0 = min, q100 = max). */
export function histogramQuantilesMs(h: LatencyHistogram, count = 101): number[] {
  if (h.totalCount === 0) throw new RangeError('histogramQuantilesMs: the histogram is empty');
  if (!(Number.isInteger(count) && count >= 2)) throw new RangeError(`count must be an integer ≥ 2, got ${count}`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(valueAtPercentileMs(h, (i * 100) / (count - 1)));
  return out;
}
