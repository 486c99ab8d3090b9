import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
    assert.deepEqual(v, { stable: false, throughputSpreadPct: Infinity, p99SpreadPct: Infinity });
  });

  it('treats a trend of +6 % per window as unstable (12 % end to end)', () => {
    const windows = [0, 1, 2].map((i) => ({ samplesPerSec: 1000 * (1 + 0.06 * i), p99Ms: 5 }));
    assert.equal(windowsStable(windows).stable, false);
    assert.equal(spreadPct([]), Infinity);
    assert.equal(spreadPct([2, 2]), 0);
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
