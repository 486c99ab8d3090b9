// Sample-count thresholds every part of Kneepoint applies (measurement, report, simulator, UI text).
//
// Both are MLPerf LoadGen's early-stopping minimums (loadgen/early_stopping.cc, tolerance 0): the
// fewest samples n such that, with at most one sample above the latency bound, one can claim with
// 99 % confidence that the true percentile is within the bound, i.e.
// P(Binomial(n, 1 − p) ≤ 1) < 0.01. Below that many samples a percentile is indicative only: its
// rank sits so close to the maximum that one slow request decides it. minSamplesForPercentile
// (percentileCi.ts) computes the rule; the unit tests check these literals against it.

/** Fewest samples from which a p99 is trustworthy (MEASUREMENT.md rule 4): 662. */
export const MIN_SAMPLES_P99 = 662;

/**
 * Fewest samples from which p99.9 is reported at all (measured, histogram or simulated): 6636.
 * Stricter than the bare existence of a 95 % distribution-free CI for p99.9 (upper rank ≤ n from
 * n = 3688), on purpose: the same rule as for p99, one level further out.
 */
export const MIN_SAMPLES_P999 = 6636;
