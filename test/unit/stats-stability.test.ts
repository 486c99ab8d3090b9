import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../main/common/stats/rng.ts';
import { percentileNearestRank } from '../../main/common/stats/percentiles.ts';
import { windowsStable, spreadPct, littleGapPct, littleImpliedConcurrency, LITTLE_GAP_FLAG_PCT } from '../../main/common/stats/index.ts';

describe('window stability', () => {
  it('calls three windows that agree within 10 % stable, with their spreads', () => {
    const v = windowsStable([
      { samplesPerSec: 1000, p99Ms: 5 },
      { samplesPerSec: 1020, p99Ms: 5.2 },
      { samplesPerSec: 990, p99Ms: 5.1 },
    ]);
    assert.equal(v.stable, true);
    assert.ok(Math.abs(v.throughputSpreadPct - (30 / (3010 / 3)) * 100) < 1e-9);
    assert.ok(Math.abs(v.p99SpreadPct - (0.2 / 5.1) * 100) < 1e-9);
  });

  it('calls a point unstable when p99 alone wanders', () => {
    const v = windowsStable([
      { samplesPerSec: 1000, p99Ms: 5 },
      { samplesPerSec: 1000, p99Ms: 6 },
      { samplesPerSec: 1000, p99Ms: 5 },
    ]);
    assert.equal(v.stable, false);
    assert.equal(v.throughputSpreadPct, 0);
    assert.ok(v.p99SpreadPct > 10);
  });

  it('looks only at the last `count` windows, so a settling start does not count', () => {
    const windows = [
      { samplesPerSec: 500, p99Ms: 20 },
      { samplesPerSec: 800, p99Ms: 9 },
      { samplesPerSec: 1000, p99Ms: 5 },
      { samplesPerSec: 1010, p99Ms: 5.1 },
      { samplesPerSec: 1005, p99Ms: 5.05 },
    ];
    assert.equal(windowsStable(windows).stable, true);
    assert.equal(windowsStable(windows, 4).stable, false);
    assert.equal(windowsStable(windows, 3, 2).stable, true); // spreads 1.0 % and 2.0 %
    assert.equal(windowsStable(windows, 3, 0.5).stable, false);
  });

  it('is not stable with fewer windows than required', () => {
    const v = windowsStable([{ samplesPerSec: 1000, p99Ms: 5 }, { samplesPerSec: 1000, p99Ms: 5 }]);
    assert.deepEqual(v, { stable: false, throughputSpreadPct: Infinity, p99SpreadPct: Infinity, p99Agreement: null });
  });

  it('treats a trend of +6 % per window as unstable (12 % end to end)', () => {
    const windows = [0, 1, 2].map((i) => ({ samplesPerSec: 1000 * (1 + 0.06 * i), p99Ms: 5 }));
    assert.equal(windowsStable(windows).stable, false);
    assert.equal(spreadPct([]), Infinity);
    assert.equal(spreadPct([2, 2]), 0);
  });
});

/** A window of `n` log-normal latencies (median `medianMs`, σ 0.5), as the closed loop summarises it. */
function lognormalWindow(rng: () => number, n: number, medianMs: number) {
  const sorted = Float64Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    return medianMs * Math.exp(0.5 * z);
  }).sort();
  return { samplesPerSec: 1000, p99Ms: percentileNearestRank(sorted, 0.99), sortedMs: sorted };
}

describe('window stability: p99 spread against the windows\' sampling error', () => {
  it('calls short windows of one stationary process stable when their p99s differ only by sampling error', () => {
    // 600 requests a window: each p99 rests on 6 samples. Find a seed whose spread exceeds 10 %.
    let found = false;
    for (let seed = 1; seed < 50 && !found; seed++) {
      const rng = createRng(seed);
      const ws = [0, 1, 2].map(() => lognormalWindow(rng, 600, 1));
      const v = windowsStable(ws);
      if (v.p99SpreadPct <= 10) continue;
      found = true;
      assert.equal(v.p99Agreement, 'sampling');
      assert.equal(v.stable, true);
      // the same windows without their latencies fall back to the plain 10 % rule
      assert.equal(windowsStable(ws.map(({ sortedMs: _, ...w }) => w)).stable, false);
    }
    assert.ok(found, 'no seed gave a p99 spread above 10 % with 600 requests a window');
  });

  it('still calls a real drift unstable when the windows are long enough to see it', () => {
    const rng = createRng(7);
    const ws = [lognormalWindow(rng, 20_000, 1), lognormalWindow(rng, 20_000, 1), lognormalWindow(rng, 20_000, 1.3)];
    const v = windowsStable(ws);
    assert.ok(v.p99SpreadPct > 10);
    assert.equal(v.p99Agreement, null);
    assert.equal(v.stable, false);
  });

  it('gives no allowance to throughput, nor to a window too short to bound its p99', () => {
    const rng = createRng(3);
    const ws = [0, 1, 2].map(() => lognormalWindow(rng, 400, 1));
    assert.equal(windowsStable(ws.map((w, i) => ({ ...w, samplesPerSec: 1000 + i * 100 }))).stable, false);
    // 100 requests a window: 1 expected latency above the p99, too few to test, so the plain 10 % rule decides
    const tiny = lognormalWindow(rng, 100, 1);
    assert.equal(windowsStable([tiny, { ...tiny, p99Ms: tiny.p99Ms * 1.2 }, tiny]).p99Agreement, null);
  });
});

describe("Little's law check", () => {
  it('finds no gap when λ·W equals the instance count', () => {
    assert.equal(littleImpliedConcurrency({ instances: 4, requestsPerSec: 400, meanLatencyMs: 10 }), 4);
    assert.equal(littleGapPct({ instances: 4, requestsPerSec: 400, meanLatencyMs: 10 }), 0);
  });

  it('reports the relative gap in % either way and flags gaps over 10 %', () => {
    const idle = littleGapPct({ instances: 4, requestsPerSec: 340, meanLatencyMs: 10 }); // L = 3.4
    assert.ok(Math.abs(idle - 15) < 1e-9);
    assert.ok(idle > LITTLE_GAP_FLAG_PCT);
    const over = littleGapPct({ instances: 2, requestsPerSec: 210, meanLatencyMs: 10 }); // L = 2.1
    assert.ok(Math.abs(over - 5) < 1e-9);
    assert.ok(over <= LITTLE_GAP_FLAG_PCT);
  });

  it('rejects a zero instance count', () => {
    assert.throws(() => littleGapPct({ instances: 0, requestsPerSec: 1, meanLatencyMs: 1 }), RangeError);
  });
});
