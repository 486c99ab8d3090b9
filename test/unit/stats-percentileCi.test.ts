import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  percentileCi,
  percentileCiRanks,
  minSamplesForPercentile,
  createRng,
  logGamma,
  normalQuantile,
} from '../../main/common/stats/index.ts';

function binomialCdfDirect(k: number, n: number, p: number): number {
  // product form from P(B = 0); for p > ½ go through the complement so (1 − p)^n does not underflow
  if (p > 0.5) return 1 - binomialCdfDirect(n - k - 1, n, 1 - p);
  if (k < 0) return 0;
  let pmf = (1 - p) ** n;
  let cdf = 0;
  for (let j = 0; j <= k; j++) {
    cdf += pmf;
    pmf *= ((n - j) / (j + 1)) * (p / (1 - p));
  }
  return cdf;
}

describe('special functions', () => {
  it('logGamma matches factorials and Γ(½)', () => {
    assert.ok(Math.abs(logGamma(1)) < 1e-13);
    assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-13);
    assert.ok(Math.abs(logGamma(10) - Math.log(362880)) < 1e-13);
    let logFact = 0;
    for (let i = 2; i <= 1000; i++) logFact += Math.log(i);
    assert.ok(Math.abs(logGamma(1001) - logFact) / logFact < 1e-14);
  });

  it('normalQuantile gives the familiar z values', () => {
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-8);
    assert.ok(Math.abs(normalQuantile(0.995) - 2.5758293035489) < 1e-8);
    assert.ok(Math.abs(normalQuantile(0.5)) < 1e-12);
    assert.ok(Math.abs(normalQuantile(0.001) + 3.090232306167813) < 1e-8);
  });
});

describe('MLPerf early-stopping minimum sample counts', () => {
  it('reproduces LoadGen: p99 at 99 % confidence needs 459 samples with no miss, 662 with one', () => {
    assert.equal(minSamplesForPercentile(0.99, 0.99, 0), 459);
    assert.equal(minSamplesForPercentile(0.99, 0.99, 1), 662);
    assert.equal(minSamplesForPercentile(0.99), 662);
    // 0.99^459 < 0.01 ≤ 0.99^458, the closed form LoadGen seeds its search with
    assert.equal(minSamplesForPercentile(0.99, 0.99, 0), Math.ceil(Math.log(0.01) / Math.log(0.99)));
  });

  it('grows with the miss allowance and with the percentile', () => {
    assert.equal(minSamplesForPercentile(0.999, 0.99, 1), 6636);
    assert.ok(minSamplesForPercentile(0.99, 0.99, 2) > 662);
    assert.ok(minSamplesForPercentile(0.9, 0.99, 0) < 459);
  });
});

describe('distribution-free percentile CI ranks', () => {
  it('matches the textbook median interval for n = 50: ranks 18 and 33, coverage 0.967', () => {
    const r = percentileCiRanks(50, 0.5, 0.95);
    assert.ok(r);
    assert.equal(r.lower, 18);
    assert.equal(r.upper, 33);
    assert.ok(Math.abs(r.coverage - (1 - 2 * binomialCdfDirect(17, 50, 0.5))) < 1e-12);
    assert.ok(Math.abs(r.coverage - 0.967) < 0.001);
  });

  it('keeps each tail within α/2 and the coverage at or above the confidence', () => {
    for (const n of [368, 500, 662, 1000, 2500, 5000]) {
      const r = percentileCiRanks(n, 0.99, 0.95);
      assert.ok(r, `n=${n}`);
      const belowLower = binomialCdfDirect(r.lower - 1, n, 0.99);
      const atOrAboveUpper = 1 - binomialCdfDirect(r.upper - 1, n, 0.99);
      assert.ok(belowLower <= 0.025 + 1e-9, `n=${n} lower tail ${belowLower}`);
      assert.ok(atOrAboveUpper <= 0.025 + 1e-9, `n=${n} upper tail ${atOrAboveUpper}`);
      // one rank wider on either side would be needlessly wide: the ranks are the tightest ones
      assert.ok(binomialCdfDirect(r.lower, n, 0.99) > 0.025, `n=${n} lower not tight`);
      assert.ok(1 - binomialCdfDirect(r.upper - 2, n, 0.99) > 0.025, `n=${n} upper not tight`);
      assert.ok(r.coverage >= 0.95);
    }
  });

  it('returns null when n is too small to bound p99 (upper rank would pass n)', () => {
    assert.equal(percentileCiRanks(367, 0.99, 0.95), null);
    assert.ok(percentileCiRanks(368, 0.99, 0.95));
    assert.equal(percentileCi([1, 2, 3], 0.99), null);
    assert.equal(percentileCi([], 0.5), null);
    assert.equal(percentileCiRanks(3687, 0.999, 0.95), null);
    assert.ok(percentileCiRanks(3688, 0.999, 0.95));
  });

  it('computes exact ranks for n = 10^7 and agrees with the normal approximation beyond', () => {
    for (const p of [0.5, 0.99, 0.999]) {
      const exact = percentileCiRanks(10_000_000, p, 0.95);
      const normal = percentileCiRanks(10_000_001, p, 0.95);
      assert.ok(exact && normal);
      assert.equal(exact.method, 'exact');
      assert.equal(normal.method, 'normal');
      assert.ok(Math.abs(exact.coverage - 0.95) < 0.001);
      assert.ok(Math.abs(exact.lower - normal.lower) <= 3, `p=${p} lower ${exact.lower} vs ${normal.lower}`);
      assert.ok(Math.abs(exact.upper - normal.upper) <= 3, `p=${p} upper ${exact.upper} vs ${normal.upper}`);
    }
  });
});

describe('p99 CI coverage on known distributions', () => {
  const trials = 200;
  // Binomial tolerance: hits ~ Binomial(trials, coverage); accept within 4 standard deviations.
  function assertCoverage(hits: number, coverage: number): void {
    const sd = Math.sqrt(trials * coverage * (1 - coverage));
    assert.ok(Math.abs(hits - trials * coverage) <= 4 * sd + 1, `hits ${hits}/${trials}, expected ≈ ${(trials * coverage).toFixed(1)}`);
  }

  it('covers the true p99 of Uniform(0, 1) in ~95 % of trials', () => {
    const rng = createRng(42);
    const n = 1000;
    const r = percentileCiRanks(n, 0.99)!;
    let hits = 0;
    for (let t = 0; t < trials; t++) {
      const sorted = Float64Array.from({ length: n }, () => rng()).sort();
      const ci = percentileCi(sorted, 0.99)!;
      if (ci[0] <= 0.99 && 0.99 <= ci[1]) hits++;
    }
    assertCoverage(hits, r.coverage);
    assert.ok(hits >= 0.9 * trials);
  });

  it('covers the true p99 of Exponential(1) (= ln 100) in ~95 % of trials', () => {
    const rng = createRng(7);
    const n = 5000;
    const truth = Math.log(100);
    const r = percentileCiRanks(n, 0.99)!;
    let hits = 0;
    for (let t = 0; t < trials; t++) {
      const sorted = Float64Array.from({ length: n }, () => -Math.log(1 - rng())).sort();
      const ci = percentileCi(sorted, 0.99)!;
      if (ci[0] <= truth && truth <= ci[1]) hits++;
    }
    assertCoverage(hits, r.coverage);
  });
});
