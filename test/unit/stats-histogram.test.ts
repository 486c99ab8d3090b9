import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createLatencyHistogram,
  recordMs,
  encodeHistogram,
  decodeHistogram,
  histogramSummaryMs,
  histogramQuantilesMs,
  summarize,
  quantiles101,
  sortedCopy,
  createRng,
} from '../../main/common/stats/index.ts';

/** log-normal latencies around 5 ms (σ = 0.5), all above 1 ms so 3 digits hold to 0.1 % */
function lognormalLatencies(n: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    return Math.max(1, 5 * Math.exp(0.5 * z));
  });
}

function assertRelClose(actual: number, expected: number, rel: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * expected, `${label}: ${actual} vs ${expected}`);
}

describe('latency histogram', () => {
  it('gives the 101 quantiles within 0.1 % of the exact nearest-rank ones', () => {
    const samples = lognormalLatencies(20_000, 11);
    const h = createLatencyHistogram();
    for (const ms of samples) recordMs(h, ms);
    const exact = quantiles101(sortedCopy(samples));
    const approx = histogramQuantilesMs(h);
    assert.equal(approx.length, 101);
    for (let i = 0; i <= 100; i++) assertRelClose(approx[i], exact[i], 0.001, `q${i}`);
  });

  it('summarizes like summarize() within 0.1 %', () => {
    const samples = lognormalLatencies(10_000, 12);
    const h = createLatencyHistogram();
    for (const ms of samples) recordMs(h, ms);
    const exact = summarize(samples);
    const approx = histogramSummaryMs(h);
    assert.equal(approx.n, exact.n);
    for (const key of ['p50', 'p90', 'p95', 'p99', 'mean', 'min', 'max'] as const) {
      assertRelClose(approx[key], exact[key], 0.001, key);
    }
    assert.ok(exact.p999 !== null && approx.p999 !== null);
    assertRelClose(approx.p999, exact.p999, 0.001, 'p999');
  });

  it('round-trips through compressed base64 with every count intact', () => {
    const samples = lognormalLatencies(5_000, 13);
    const h = createLatencyHistogram();
    for (const ms of samples) recordMs(h, ms);
    const b64 = encodeHistogram(h);
    assert.match(b64, /^[A-Za-z0-9+/]+=*$/);
    assert.ok(b64.length < 20_000, `encoded ${b64.length} chars`);
    const back = decodeHistogram(b64);
    assert.equal(back.totalCount, 5_000);
    assert.deepEqual(histogramQuantilesMs(back), histogramQuantilesMs(h));
    assert.deepEqual(histogramSummaryMs(back), histogramSummaryMs(h));
    assert.equal(histogramSummaryMs(back).p999, null); // 5000 < 6636 samples
  });

  it('keeps sub-millisecond latencies to the microsecond and clamps out-of-range values', () => {
    const h = createLatencyHistogram();
    recordMs(h, 0.25);
    recordMs(h, 0.0004); // rounds to 0 µs
    recordMs(h, 1e9); // beyond one hour: clamped
    const q = histogramQuantilesMs(h, 3);
    assert.deepEqual(q.slice(0, 2), [0, 0.25]);
    assert.ok(q[2] >= 3_600_000 && q[2] <= 3_600_000 * 1.001);
    assert.throws(() => recordMs(h, Number.NaN), RangeError);
  });

  it('refuses to summarize an empty histogram', () => {
    assert.throws(() => histogramSummaryMs(createLatencyHistogram()), RangeError);
  });
});
