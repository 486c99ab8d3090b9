import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bandCoverage, logSd, p99Band } from '../../main/common/sim/band.ts';
import { createRng, normal } from '../../main/common/stats/rng.ts';

describe('the p99 band for a future measurement', () => {
  it('coverage and width on hand-made levels', () => {
    const c = bandCoverage([
      { predictedMs: 10, bandMs: [8, 12], measuredMs: 11 },
      { predictedMs: 10, bandMs: [8, 12], measuredMs: 13 },
      { predictedMs: 20, bandMs: [10, 40], measuredMs: 10 },
      { predictedMs: 5, bandMs: [4, 6], measuredMs: 3.9 },
    ]);
    assert.deepEqual(c.inside, [true, false, true, false]);
    assert.equal(c.coveragePct, 50);
    // widths 40 %, 40 %, 150 %, 40 % → median 40 %
    assert.equal(c.medianWidthPct, 40);
  });

  it('a band calibrated with the true spread covers ~95 % of synthetic measurements', () => {
    // measurements: lognormal around the prediction with σ = 0.2 (the machine) and a model error of 0.1
    const rng = createRng(11);
    const truthSigma = Math.sqrt(0.2 ** 2 + 0.1 ** 2);
    const levels = Array.from({ length: 4000 }, () => {
      const predictedMs = 5 + rng() * 20;
      const measuredMs = predictedMs * Math.exp(truthSigma * normal(rng));
      const b = p99Band(predictedMs, { ciMs: [predictedMs, predictedMs], utilization: 0.5, calibration: { sigmaMachine: 0.2, sigmaModel: 0.1, atUtilization: 0.5, levels: 8 } });
      return { predictedMs, bandMs: b.bandMs, measuredMs };
    });
    const c = bandCoverage(levels);
    assert.ok(c.coveragePct > 93.5 && c.coveragePct < 96.5, `coverage ${c.coveragePct}%`);
    // a band that ignores the machine's spread (model error only) covers far less
    const narrow = bandCoverage(levels.map((l) => ({ ...l, bandMs: p99Band(l.predictedMs, { utilization: 0.5, calibration: { sigmaMachine: 0, sigmaModel: 0.1, atUtilization: 0.5, levels: 8 } }).bandMs })));
    assert.ok(narrow.coveragePct < 75, `narrow band coverage ${narrow.coveragePct}%`);
  });

  it('the machine term grows with load like queueing delay; no calibration means a wide band that says so', () => {
    const cal = { sigmaMachine: 0.1, sigmaModel: 0.05, atUtilization: 0.5, levels: 8 };
    const at = (u: number) => p99Band(10, { utilization: u, calibration: cal });
    assert.ok(at(0.8).sigma > at(0.5).sigma * 2, `${at(0.8).sigma} vs ${at(0.5).sigma}`);
    assert.equal(at(0.3).sigma, at(0.5).sigma, 'below the calibration utilisation the measured spread is kept, never shrunk');
    const none = p99Band(10, { utilization: 0.5, calibration: null });
    assert.equal(none.calibrated, false);
    assert.ok(none.bandMs[1] / 10 > 1.7, `uncalibrated upper end ${none.bandMs[1]}`);
    // the simulator's own replication interval is inside the band
    const withCi = p99Band(10, { ciMs: [9, 11.5], utilization: 0.5, calibration: cal });
    assert.ok(withCi.bandMs[0] <= 9 && withCi.bandMs[1] >= 11.5, `${withCi.bandMs}`);
  });

  it('logSd is the sample sd of the logs', () => {
    assert.equal(logSd([5]), 0);
    assert.ok(Math.abs(logSd([Math.E, Math.E ** 3]) - Math.SQRT2) < 1e-12);
  });
});
