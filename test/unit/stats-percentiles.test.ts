import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  percentileNearestRank,
  summarize,
  quantiles101,
  nearestRank,
  MIN_SAMPLES_P99,
  MIN_SAMPLES_P999,
} from '../../main/common/stats/index.ts';

describe('nearest-rank percentiles', () => {
  it('picks x[ceil(n·p) − 1] on hand-made arrays', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentileNearestRank(ten, 0.5), 5);
    assert.equal(percentileNearestRank(ten, 0.9), 9);
    assert.equal(percentileNearestRank(ten, 0.91), 10);
    assert.equal(percentileNearestRank(ten, 0.99), 10);
    assert.equal(percentileNearestRank(ten, 1), 10);
    assert.equal(percentileNearestRank(ten, 0), 1);
    assert.equal(percentileNearestRank(ten, 0.05), 1);
    assert.equal(percentileNearestRank(ten, 0.11), 2);
    assert.equal(percentileNearestRank([15, 20, 35, 40, 50], 0.3), 20);
    assert.equal(percentileNearestRank([15, 20, 35, 40, 50], 0.4), 20);
    assert.equal(percentileNearestRank([15, 20, 35, 40, 50], 0.41), 35);
    assert.equal(percentileNearestRank([7], 0.99), 7);
  });

  it('is not thrown off by floating-point products like 100 × 0.29', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    for (let k = 1; k <= 100; k++) assert.equal(percentileNearestRank(hundred, k / 100), k);
    assert.equal(nearestRank(1000, 0.999), 999);
    assert.equal(nearestRank(1000, 0.99), 990);
    assert.equal(nearestRank(10_000, 0.999), 9990);
  });

  it('rejects an empty sample and p outside [0, 1]', () => {
    assert.throws(() => percentileNearestRank([], 0.5), RangeError);
    assert.throws(() => percentileNearestRank([1], 1.5), RangeError);
    assert.throws(() => summarize([]), RangeError);
  });
});

describe('summarize', () => {
  it('reports nearest-rank percentiles, mean, min and max of unsorted samples', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) + 1); // 1..1000 shuffled
    const s = summarize(samples);
    assert.deepEqual(s, { p50: 500, p90: 900, p95: 950, p99: 990, p999: null, mean: 500.5, min: 1, max: 1000, n: 1000 });
  });

  it('reports p99.9 only from MIN_SAMPLES_P999 (6636) samples on', () => {
    assert.equal(MIN_SAMPLES_P99, 662);
    assert.equal(MIN_SAMPLES_P999, 6636);
    const below = Array.from({ length: 6635 }, (_, i) => i + 1);
    assert.equal(summarize(below).p999, null);
    const at = Array.from({ length: 6636 }, (_, i) => i + 1);
    assert.equal(summarize(at).p999, Math.ceil(6636 * 0.999));
  });

  it('accepts typed arrays and does not reorder the caller’s samples', () => {
    const samples = new Float64Array([3, 1, 2]);
    assert.equal(summarize(samples).p50, 2);
    assert.deepEqual([...samples], [3, 1, 2]);
  });
});

describe('quantiles101', () => {
  it('gives q0 = min, q100 = max and nearest-rank quantiles between', () => {
    const sorted = Array.from({ length: 200 }, (_, i) => i + 1);
    const q = quantiles101(sorted);
    assert.equal(q.length, 101);
    assert.equal(q[0], 1);
    assert.equal(q[100], 200);
    assert.equal(q[50], 100);
    assert.equal(q[99], 198);
    for (let i = 1; i < q.length; i++) assert.ok(q[i] >= q[i - 1]);
  });
});
