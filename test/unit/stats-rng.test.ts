import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, deriveSeed, exponential, gamma, normal } from '../../main/common/stats/rng.ts';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe('seeded rng', () => {
  it('repeats the same stream for the same seed and differs for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 100 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 100 }, () => b()));
    assert.notDeepEqual(xs, Array.from({ length: 100 }, () => c()));
  });

  it('draws uniformly in [0, 1)', () => {
    const rng = createRng(7);
    const bins = new Array(10).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng();
      assert.ok(u >= 0 && u < 1);
      bins[Math.floor(u * 10)]++;
    }
    for (const count of bins) assert.ok(Math.abs(count - n / 10) < 5 * Math.sqrt(n / 10), `bin count ${count}`);
  });

  it('derives distinct sub-stream seeds', () => {
    assert.notEqual(deriveSeed(1, 1), deriveSeed(1, 2));
    assert.notEqual(deriveSeed(1, 1), deriveSeed(2, 1));
    assert.equal(deriveSeed(5, 3), deriveSeed(5, 3));
  });

  it('draws exponentials with the asked mean', () => {
    const rng = createRng(1);
    const { mean, variance } = moments(() => exponential(rng, 2.5), 200_000);
    assert.ok(Math.abs(mean - 2.5) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(variance - 6.25) < 0.2, `variance ${variance}`);
  });

  it('draws standard normals', () => {
    const rng = createRng(2);
    const { mean, variance } = moments(() => normal(rng), 200_000);
    assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`);
  });

  for (const shape of [0.25, 1, 4.5]) {
    it(`draws gamma(shape ${shape}) with mean shape·scale and variance shape·scale²`, () => {
      const rng = createRng(3);
      const scale = 2;
      const { mean, variance } = moments(() => gamma(rng, shape, scale), 200_000);
      assert.ok(Math.abs(mean / (shape * scale) - 1) < 0.02, `mean ${mean}`);
      assert.ok(Math.abs(variance / (shape * scale * scale) - 1) < 0.06, `variance ${variance}`);
    });
  }
});
