// Public API of the statistics core (pure TypeScript: runs in Node, workers and the renderer).
export { nearestRank, percentileNearestRank, percentilesInPlace, percentilesOf, selectKth, summarize, quantiles101, sortedCopy } from './percentiles.ts';
export { MIN_SAMPLES_P99, MIN_SAMPLES_P999 } from './thresholds.ts';
export type { SampleSummaryMs } from './percentiles.ts';
export { percentileCi, percentileCiRanks, minSamplesForPercentile, EXACT_BINOMIAL_MAX_N } from './percentileCi.ts';
export type { PercentileCiRanks } from './percentileCi.ts';
export { warmupDone, mser5, mser5Truncation } from './warmup.ts';
export type { Mser5Result } from './warmup.ts';
export { windowsStable, spreadPct } from './stability.ts';
export type { WindowStats, StabilityVerdict } from './stability.ts';
export { littleGapPct, littleImpliedConcurrency, LITTLE_GAP_FLAG_PCT } from './littlesLaw.ts';
export type { LittleInputs } from './littlesLaw.ts';
export {
  createLatencyHistogram,
  recordMs,
  encodeHistogram,
  decodeHistogram,
  histogramSummaryMs,
  histogramQuantilesMs,
  HISTOGRAM_LOWEST_US,
  HISTOGRAM_HIGHEST_US,
  HISTOGRAM_SIGNIFICANT_DIGITS,
} from './histogram.ts';
export type { LatencyHistogram } from './histogram.ts';
export { blockBootstrapPercentileCi, defaultBlockLength } from './bootstrap.ts';
export { tInterval95, tUpperBound95, tQuantile } from './tInterval.ts';
export type { Rng } from './rng.ts';
export { createRng, deriveSeed, exponential, gamma, mulberry32, normal } from './rng.ts';
export type { BlockBootstrapOptions } from './bootstrap.ts';
export { logGamma, normalQuantile, normalCdf, studentTQuantile, studentTCdf } from './special.ts';
