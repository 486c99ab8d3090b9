import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { warmupDone, mser5, mser5Truncation, createRng } from '../../main/common/stats/index.ts';

/** index (run count) at which warmupDone first says yes, feeding the series one run at a time */
function firstDone(series: number[]): number {
  for (let n = 1; n <= series.length; n++) if (warmupDone(series.slice(0, n))) return n;
  return -1;
}

describe('warm-up detection', () => {
  it('stops a flat, slightly noisy series as soon as two 10-run medians exist (20 runs)', () => {
    const rng = createRng(1);
    const flat = Array.from({ length: 60 }, () => 10 * (1 + 0.02 * (rng() - 0.5)));
    assert.equal(firstDone(flat), 20);
    assert.equal(warmupDone(flat.slice(0, 19)), false);
  });

  it('waits while latency is still decaying and stops once it has flattened', () => {
    const rng = createRng(2);
    // 30 ms cold, decaying to 10 ms with a time constant of 8 runs, ±1 % noise
    const series = Array.from({ length: 120 }, (_, i) => (10 + 20 * Math.exp(-i / 8)) * (1 + 0.02 * (rng() - 0.5)));
    const n = firstDone(series);
    assert.ok(n >= 35 && n <= 60, `stopped after ${n} runs`);
    // when it stops, the remaining excess over the floor is small
    assert.ok(20 * Math.exp(-n / 8) < 0.5);
  });

  it('honours minRuns and the tolerance', () => {
    const flat = Array.from({ length: 40 }, () => 5);
    assert.equal(warmupDone(flat.slice(0, 25), 30), false);
    assert.equal(warmupDone(flat.slice(0, 30), 30), true);
    const step = [...Array.from({ length: 10 }, () => 10), ...Array.from({ length: 10 }, () => 10.6)];
    assert.equal(warmupDone(step, 10, 5), false); // moved 6 %
    assert.equal(warmupDone(step, 10, 7), true);
  });
});

describe('MSER-5 truncation', () => {
  it('drops a known initial transient of 100 samples', () => {
    const rng = createRng(3);
    const noise = () => (rng() - 0.5) * 2; // ±1 ms
    const series = [
      ...Array.from({ length: 100 }, (_, i) => 50 - (40 * i) / 100 + noise()), // 50 → 10 ms
      ...Array.from({ length: 900 }, () => 10 + noise()),
    ];
    const result = mser5(series);
    assert.equal(result.truncate % 5, 0);
    assert.ok(result.truncate >= 80 && result.truncate <= 150, `truncated ${result.truncate}`);
    assert.equal(result.settled, true);
    assert.equal(mser5Truncation(series), result.truncate);
  });

  it('drops little or nothing from a series that starts in steady state', () => {
    const rng = createRng(4);
    const series = Array.from({ length: 1000 }, () => 10 + (rng() - 0.5) * 2);
    assert.ok(mser5Truncation(series) <= 100, `truncated ${mser5Truncation(series)}`);
  });

  it('says when the transient fills the first half (series too short)', () => {
    const series = Array.from({ length: 100 }, (_, i) => 100 - i); // still falling at the end
    const result = mser5(series);
    assert.equal(result.truncate, 50);
    assert.equal(result.settled, false);
  });

  it('drops nothing from fewer than two batches', () => {
    assert.equal(mser5Truncation([5, 4, 3, 2, 1, 1, 1]), 0);
  });
});
