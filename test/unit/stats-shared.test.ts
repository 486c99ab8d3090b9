// The statistics every part of Kneepoint shares (main/common/stats), against published values:
// Student-t and normal quantiles from standard tables, nearest rank on hand-sized arrays, the
// seeded generators' first draws, and the MLPerf sample minimums applied by every reporter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createLatencyHistogram,
  createRng,
  histogramSummaryMs,
  minSamplesForPercentile,
  MIN_SAMPLES_P99,
  MIN_SAMPLES_P999,
  mulberry32,
  normalQuantile,
  percentileNearestRank,
  percentilesInPlace,
  percentilesOf,
  recordMs,
  summarize,
  tInterval95,
  tQuantile,
  tUpperBound95,
} from '../../main/common/stats/index.ts';
import { deterministicServiceModel, simulate } from '../../main/common/sim/index.ts';

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);

describe('Student-t quantile', () => {
  it('matches the tables to 7 digits', () => {
    close(tQuantile(0.975, 4), 2.7764451, 1e-7, 't(0.975, 4)');
    close(tQuantile(0.975, 29), 2.0452296, 1e-7, 't(0.975, 29)');
    close(tQuantile(0.975, 1), 12.7062047, 1e-6, 't(0.975, 1)');
    close(tQuantile(0.95, 3), 2.3533634, 1e-7, 't(0.95, 3)');
    close(tQuantile(0.995, 10), 3.1692727, 1e-7, 't(0.995, 10)');
    close(tQuantile(0.975, 1000), 1.9623391, 1e-7, 't(0.975, 1000)');
  });

  it('tends to the normal quantile as df grows', () => {
    close(tQuantile(0.975, 1e6), normalQuantile(0.975), 1e-5, 't(0.975, 1e6)');
  });
});

describe('inverse normal', () => {
  it('gives the familiar z values', () => {
    close(normalQuantile(0.975), 1.959963985, 1e-8, 'Φ⁻¹(0.975)');
    close(normalQuantile(0.99), 2.326347874, 1e-8, 'Φ⁻¹(0.99)');
    close(normalQuantile(0.01), -2.326347874, 1e-8, 'Φ⁻¹(0.01)');
    close(normalQuantile(0.999), 3.090232306, 1e-8, 'Φ⁻¹(0.999)');
    assert.equal(normalQuantile(0.5), 0);
  });
});

describe('t-interval of replications', () => {
  it('is mean ± t(0.975, n − 1)·s/√n, by hand for five values', () => {
    // mean 11, s² = 2.5, t(0.975, 4) = 2.7764451
    const half = (2.7764451052 * Math.sqrt(2.5)) / Math.sqrt(5);
    const [lo, hi] = tInterval95([10, 12, 11, 13, 9]);
    close(lo, 11 - half, 1e-9, 'lower');
    close(hi, 11 + half, 1e-9, 'upper');
  });

  it('gives the value itself for one replication, clamps at 0 and refuses none', () => {
    assert.deepEqual(tInterval95([5]), [5, 5]);
    assert.equal(tInterval95([0.1, 0.1, 5])[0], 0);
    assert.throws(() => tInterval95([]), RangeError);
  });

  it('one-sided upper bound uses t(0.95, n − 1)', () => {
    close(tUpperBound95([10, 12, 11, 13, 9]), 11 + (2.1318468 * Math.sqrt(2.5)) / Math.sqrt(5), 1e-6, 'upper bound');
    assert.equal(tUpperBound95([7]), 7);
  });

  it('covers the true mean of normal replications in ~95 % of 400 trials', () => {
    const rng = createRng(31);
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    let hits = 0;
    for (let t = 0; t < 400; t++) {
      const [lo, hi] = tInterval95(Array.from({ length: 5 }, () => 50 + 3 * gaussian()));
      if (lo <= 50 && 50 <= hi) hits++;
    }
    assert.ok(Math.abs(hits - 380) <= 4 * Math.sqrt(400 * 0.95 * 0.05) + 1, `hits ${hits} of 400`);
  });
});

describe('nearest-rank percentiles', () => {
  it('picks x[ceil(n·p) − 1] of small hand arrays, sorted or by selection', () => {
    const five = [40, 15, 50, 20, 35];
    assert.deepEqual(percentilesOf(five, [0, 0.2, 0.3, 0.4, 0.41, 0.8, 0.81, 1]), [15, 15, 20, 20, 35, 40, 50, 50]);
    assert.equal(percentileNearestRank([15, 20, 35, 40, 50], 0.41), 35);
    assert.deepEqual(percentilesOf([3, 1, 2], [0.5, 0.99]), [2, 3]);
    const values = Float64Array.from([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    assert.deepEqual(percentilesInPlace(values, 4, [0.5, 1]), [7, 9], 'only the first n values count');
  });

  it('selection and sort agree at every percent of 1..100, float products like 100 × 0.07 included', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    const ps = Array.from({ length: 101 }, (_, k) => k / 100);
    const sorted = [...hundred].sort((a, b) => a - b);
    assert.deepEqual(percentilesOf(hundred, ps), ps.map((p) => percentileNearestRank(sorted, p)));
    assert.deepEqual(percentilesOf(hundred, [0.07, 0.29, 0.57]), [7, 29, 57]);
  });

  it('copes with many ties', () => {
    const ties = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 2 : 1));
    assert.deepEqual(percentilesOf(ties, [0.5, 0.9, 0.91]), [1, 1, 2]);
  });
});

describe('seeded generators', () => {
  it('createRng (xoshiro128**) gives the same first draws for a fixed seed, in [0, 1)', () => {
    const r = createRng(42);
    assert.deepEqual([r(), r(), r(), r()].map((x) => x * 2 ** 32), [2837322924, 544945897, 479756282, 3500138142]);
    const s = createRng(42);
    const t = createRng(43);
    assert.equal(s(), 2837322924 / 2 ** 32);
    assert.notEqual(t(), 2837322924 / 2 ** 32);
  });

  it('mulberry32 (the generated models\' weights) keeps its published stream', () => {
    const m = mulberry32(1);
    assert.deepEqual([m(), m(), m()].map((x) => x * 2 ** 32), [2693262067, 11749833, 2265367787]);
  });
});

describe('sample thresholds', () => {
  it('are the MLPerf early-stopping minimums (99 % confidence, one miss)', () => {
    assert.equal(MIN_SAMPLES_P99, 662);
    assert.equal(MIN_SAMPLES_P999, 6636);
    assert.equal(minSamplesForPercentile(0.99, 0.99, 1), MIN_SAMPLES_P99);
    assert.equal(minSamplesForPercentile(0.999, 0.99, 1), MIN_SAMPLES_P999);
  });

  it('measured, histogram and simulated summaries all report p99.9 from MIN_SAMPLES_P999 on', () => {
    const ramp = (n: number) => Array.from({ length: n }, (_, i) => 1 + i / n);
    assert.equal(summarize(ramp(MIN_SAMPLES_P999 - 1)).p999, null);
    assert.equal(typeof summarize(ramp(MIN_SAMPLES_P999)).p999, 'number');
    const histogramOf = (n: number) => {
      const h = createLatencyHistogram();
      for (const v of ramp(n)) recordMs(h, v);
      return h;
    };
    assert.equal(histogramSummaryMs(histogramOf(MIN_SAMPLES_P999 - 1)).p999, null);
    assert.equal(typeof histogramSummaryMs(histogramOf(MIN_SAMPLES_P999)).p999, 'number');
    const sim = (requests: number) => simulate({
      arrival: { kind: 'poisson', ratePerSec: 100 }, batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 },
      service: deterministicServiceModel(1), requests, warmupRequests: 0, seed: 1,
    });
    assert.equal(sim(MIN_SAMPLES_P999 - 1).latencyMs.p999, null);
    assert.equal(typeof sim(MIN_SAMPLES_P999).latencyMs.p999, 'number');
  });
});
