import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  blockBootstrapPercentileCi,
  percentileCi,
  sortedCopy,
  normalQuantile,
  createRng,
  defaultBlockLength,
} from '../../main/common/stats/index.ts';

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** stationary AR(1) latency series: 10 + x, x_t = φ·x_{t−1} + e_t, e ~ N(0, 1) */
function ar1(n: number, phi: number, rng: () => number): number[] {
  let x = gaussian(rng) / Math.sqrt(1 - phi * phi); // start in the stationary distribution
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = phi * x + gaussian(rng);
    out.push(10 + x);
  }
  return out;
}

describe('moving-block bootstrap CI', () => {
  it('covers the true p90 of an AR(1) series roughly at the nominal rate, where an i.i.d. CI does not', (t) => {
    const phi = 0.8;
    const n = 2000;
    const trials = 80;
    const truth = 10 + normalQuantile(0.9) / Math.sqrt(1 - phi * phi);
    const rng = createRng(21);
    let blockHits = 0;
    let iidHits = 0;
    for (let trial = 0; trial < trials; trial++) {
      const series = ar1(n, phi, rng);
      const [lo, hi] = blockBootstrapPercentileCi(series, 0.9, { seed: 1000 + trial, resamples: 300 });
      if (lo <= truth && truth <= hi) blockHits++;
      const iid = percentileCi(sortedCopy(series), 0.9)!;
      if (iid[0] <= truth && truth <= iid[1]) iidHits++;
    }
    const blockCoverage = blockHits / trials;
    const iidCoverage = iidHits / trials;
    t.diagnostic(`AR(1) φ=0.8 p90: block-bootstrap coverage ${blockCoverage}, i.i.d. order-statistic coverage ${iidCoverage}`);
    assert.ok(blockCoverage >= 0.8 && blockCoverage <= 1, `block coverage ${blockCoverage}`);
    assert.ok(iidCoverage < 0.8, `i.i.d. coverage ${iidCoverage}`);
    assert.ok(blockCoverage > iidCoverage + 0.15);
  });

  it('is reproducible for a seed and picks blocks longer than the series memory', () => {
    const series = ar1(2000, 0.8, createRng(5));
    const a = blockBootstrapPercentileCi(series, 0.99, { seed: 9, resamples: 200 });
    const b = blockBootstrapPercentileCi(series, 0.99, { seed: 9, resamples: 200 });
    assert.deepEqual(a, b);
    assert.ok(a[0] <= a[1]);
    const independent = Array.from({ length: 2000 }, createRng(6));
    assert.ok(defaultBlockLength(series) > defaultBlockLength(independent));
    assert.equal(defaultBlockLength(independent), Math.ceil(Math.cbrt(2000)));
  });

  it('rejects a series too short to resample', () => {
    assert.throws(() => blockBootstrapPercentileCi([1], 0.5, { seed: 1 }), RangeError);
  });
});
