import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServiceModel, createRng, jitterFromQuantiles, simulate } from '../../main/common/sim/index.ts';
import { percentilesOf } from '../../main/common/stats/percentiles.ts';

const evenly = (f: (q: number) => number) => Array.from({ length: 101 }, (_, i) => f(i / 100));
const draws = (sample: () => number, n: number) => Array.from({ length: n }, sample);

describe('service model from measured points', () => {
  it('samples the measured quantiles by inverse CDF', () => {
    // uniform between 1 and 2 ms
    const model = buildServiceModel([{ batch: 1, meanMs: 1.5, quantilesMs: evenly((q) => 1 + q) }]);
    const rng = createRng(1);
    const xs = draws(() => model.sample(1, rng), 100_000);
    const [p10, p50, p90] = percentilesOf(xs, [0.1, 0.5, 0.9]);
    assert.ok(Math.abs(p10 - 1.1) < 0.01 && Math.abs(p50 - 1.5) < 0.01 && Math.abs(p90 - 1.9) < 0.01, `${p10} ${p50} ${p90}`);
    assert.ok(xs.every((x) => x >= 1 && x <= 2));
  });

  it('resamples quantile lists of any length onto the same curve', () => {
    const coarse = buildServiceModel([{ batch: 1, meanMs: 1.5, quantilesMs: [1, 1.5, 2] }]);
    const rng = createRng(2);
    const [p25] = percentilesOf(draws(() => coarse.sample(1, rng), 50_000), [0.25]);
    assert.ok(Math.abs(p25 - 1.25) < 0.01, `p25 ${p25}`);
  });

  it('interpolates unmeasured batch sizes linearly between neighbours', () => {
    const model = buildServiceModel([
      { batch: 1, meanMs: 1, quantilesMs: evenly(() => 1) },
      { batch: 4, meanMs: 4, quantilesMs: evenly((q) => 3 + 2 * q) },
    ]);
    const rng = createRng(3);
    assert.equal(model.meanMs(2), 2);
    assert.equal(model.sample(1, rng), 1);
    // batch 2 is one third of the way: quantile q is 1·(2/3) + (3 + 2q)/3
    const xs = draws(() => model.sample(2, rng), 20_000);
    const [lo, hi] = percentilesOf(xs, [0, 1]);
    assert.ok(lo >= 5 / 3 - 1e-9 && hi <= 7 / 3 + 1e-9, `${lo}..${hi}`);
    assert.equal(model.isExtrapolated(3), false);
  });

  it('extrapolates beyond the largest measured batch linearly and flags it', () => {
    const model = buildServiceModel([
      { batch: 2, meanMs: 2 },
      { batch: 4, meanMs: 3 },
    ]);
    assert.equal(model.meanMs(8), 5);
    assert.equal(model.sample(8, createRng(1)), 5);
    assert.equal(model.isExtrapolated(8), true);
    assert.match(model.notes().join('\n'), /batch 8 extrapolated beyond the largest measured batch 4/);
    // below the smallest measured size the smallest is used
    assert.equal(model.meanMs(1), 2);
  });

  it('scales a single measured point proportionally to the batch size', () => {
    const model = buildServiceModel([{ batch: 2, meanMs: 3 }]);
    assert.equal(model.meanMs(4), 6);
    assert.equal(model.isExtrapolated(4), true);
  });

  it('carries the serving overhead and the machine jitter into the simulation', () => {
    const jitterQuantilesMs = evenly((q) => (q < 0.98 ? 0 : 5));
    const model = buildServiceModel([{ batch: 1, meanMs: 1 }], { overheadMs: 0.25, jitterQuantilesMs });
    assert.ok(model.jitter && model.jitter.p99Ms > 0);
    const r = simulate({ arrival: { kind: 'constant', ratePerSec: 10 }, batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 }, service: model, requests: 20_000, seed: 1 });
    assert.equal(r.latencyMs.p50, 1.25);
    assert.ok(r.latencyMs.p99 > 3, `p99 ${r.latencyMs.p99} should show the jitter tail`);
    assert.equal(r.computeMsPerBatch, 1.25);
  });

  it('reads the p99 of a jitter distribution', () => {
    assert.ok(Math.abs(jitterFromQuantiles(evenly((q) => 10 * q)).p99Ms - 9.9) < 1e-9);
  });

  it('explains unusable measurements', () => {
    assert.throws(() => buildServiceModel([]), /needs at least one measured batch size; run a sweep first/);
    assert.throws(() => buildServiceModel([{ batch: 1, meanMs: 1 }, { batch: 1, meanMs: 2 }]), /batch size 1 is measured twice/);
    assert.throws(() => buildServiceModel([{ batch: 1, meanMs: 1, quantilesMs: [1, -2] }]), /quantile #1 of batch 1 must be a time >= 0 ms/);
  });
});

it('one stall in the measured max does not inflate the sampled mean: the top 1 % is moment-matched to the measured mean', () => {
  // 10,000 runs of ~0.02 ms with one 90 ms stall: quantiles q0..q100 and the exact mean
  const q = Array.from({ length: 101 }, (_, i) => 0.018 + 0.00005 * i);
  q[100] = 90;
  const measuredMean = (9999 * 0.0205 + 90) / 10000;
  const model = buildServiceModel([{ batch: 1, meanMs: measuredMean, quantilesMs: q }]);
  const rng = createRng(3);
  let sum = 0;
  const n = 400_000;
  let max = 0;
  for (let i = 0; i < n; i++) { const x = model.sample(1, rng); sum += x; max = Math.max(max, x); }
  const sampledMean = sum / n;
  assert.ok(Math.abs(sampledMean - measuredMean) / measuredMean < 0.1, `sampled mean ${sampledMean} vs measured ${measuredMean}`);
  assert.ok(max <= 90 && max > q[99], 'the tail still reaches above q99, never past the measured max');
});
