// A load-dependent service model: the least-squares factor through measured levels, and the
// simulator running it at the utilisation it produces (a fixed point with an analytic answer).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServiceModel, fitLoadFactor, loadFactorAt } from '../../main/common/sim/serviceModel.ts';
import { simulate } from '../../main/common/sim/simulate.ts';
import { stabilityBoundPerSec } from '../../main/common/sim/queueing.ts';
import { batcherFromFields } from '../../main/common/sim/batchPolicy.ts';

describe('service time that depends on utilisation', () => {
  it('fits a line through (utilisation, ratio) levels, relative to the reference ratio, clamped to the measured range', () => {
    // ratio = 1.6 − 0.8·u exactly; reference ratio 1.2 → factor = (1.6 − 0.8u)/1.2
    const f = fitLoadFactor([{ utilization: 0.3, ratio: 1.36 }, { utilization: 0.5, ratio: 1.2 }, { utilization: 0.8, ratio: 0.96 }], 1.2)!;
    assert.ok(Math.abs(f.intercept - 1.6 / 1.2) < 1e-9);
    assert.ok(Math.abs(f.slope + 0.8 / 1.2) < 1e-9);
    assert.equal(f.uMin, 0.3);
    assert.equal(f.uMax, 0.8);
    assert.ok(Math.abs(loadFactorAt(f, 0.5) - 1) < 1e-9);
    // outside the measured range the factor is held at the end values
    assert.equal(loadFactorAt(f, 0.05), loadFactorAt(f, 0.3));
    assert.equal(loadFactorAt(f, 0.99), loadFactorAt(f, 0.8));
    assert.equal(fitLoadFactor([{ utilization: 0.5, ratio: 1 }], 1), null);
    assert.equal(fitLoadFactor([{ utilization: 0.5, ratio: 1 }, { utilization: 0.5, ratio: 1.1 }], 1), null);
  });

  it('simulates at the fixed point of utilisation = rate × service(utilisation)', () => {
    // deterministic 1 ms service × (2 − u): slower when the server is often idle.
    // At λ per ms: u = λ·(2 − u) → u* = 2λ / (1 + λ)
    const model = buildServiceModel([{ batch: 1, meanMs: 1 }], { loadFactor: { intercept: 2, slope: -1, uMin: 0, uMax: 1 } });
    const batcher = batcherFromFields({ maxBatch: 1, maxDelayMs: 0, instances: 1 });
    for (const perSec of [200, 400]) {
      const lambda = perSec / 1000;
      const expected = (2 * lambda) / (1 + lambda);
      const r = simulate({ arrival: { kind: 'poisson', ratePerSec: perSec }, batcher, service: model, requests: 200_000, seed: 7 });
      assert.ok(Math.abs(r.utilization - expected) < 0.02, `rate ${perSec}/s: utilisation ${r.utilization.toFixed(3)}, expected ${expected.toFixed(3)}`);
      // and the service time it ran at is (2 − u*) ms: mean busy time per batch
      assert.ok(Math.abs(r.computeMsPerBatch! - (2 - expected)) < 0.03, `rate ${perSec}/s: service ${r.computeMsPerBatch!.toFixed(3)} ms, expected ${(2 - expected).toFixed(3)}`);
    }
    // the stability bound is the always-busy service time: 1 ms × (2 − 1) → 1000/s
    assert.ok(Math.abs(stabilityBoundPerSec(model, batcher) - 1000) < 1e-6);
  });

  it('a model without a load factor is simulated as given', () => {
    const model = buildServiceModel([{ batch: 1, meanMs: 1 }]);
    assert.equal(model.atUtilization, undefined);
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 300 }, batcher: batcherFromFields({ maxBatch: 1, maxDelayMs: 0, instances: 1 }), service: model, requests: 50_000, seed: 3 });
    assert.ok(Math.abs(r.computeMsPerBatch! - 1) < 1e-9);
  });
});
