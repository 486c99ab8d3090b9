import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatArrival,
  generateArrivalsForDurationMs,
  generateArrivalsMs,
  parseArrival,
  parseTraceText,
} from '../../main/common/sim/arrivals.ts';
import type { ArrivalSpec } from '../../main/common/sim/types.ts';

function gapStats(times: Float64Array): { ratePerSec: number; cv: number } {
  const n = times.length - 1;
  let s = 0;
  let s2 = 0;
  for (let i = 1; i < times.length; i++) {
    const g = times[i] - times[i - 1];
    s += g;
    s2 += g * g;
  }
  const mean = s / n;
  return { ratePerSec: 1000 / mean, cv: Math.sqrt(s2 / n - mean * mean) / mean };
}

describe('arrival generators', () => {
  it('constant arrivals are evenly spaced at the rate', () => {
    const t = generateArrivalsMs({ kind: 'constant', ratePerSec: 250 }, 5, 1);
    assert.deepEqual([...t], [0, 4, 8, 12, 16]);
  });

  it('poisson arrivals have the mean rate and cv 1', () => {
    const { ratePerSec, cv } = gapStats(generateArrivalsMs({ kind: 'poisson', ratePerSec: 500 }, 200_000, 9));
    assert.ok(Math.abs(ratePerSec / 500 - 1) < 0.01, `rate ${ratePerSec}`);
    assert.ok(Math.abs(cv - 1) < 0.02, `cv ${cv}`);
  });

  for (const cvTarget of [0.5, 2, 4]) {
    it(`gamma:${cvTarget} arrivals have the mean rate and the asked cv`, () => {
      const { ratePerSec, cv } = gapStats(generateArrivalsMs({ kind: 'gamma', ratePerSec: 100, cv: cvTarget }, 300_000, 5));
      assert.ok(Math.abs(ratePerSec / 100 - 1) < 0.03, `rate ${ratePerSec}`);
      assert.ok(Math.abs(cv / cvTarget - 1) < 0.05, `cv ${cv}`);
    });
  }

  it('onoff arrivals preserve the mean rate and are burstier than poisson', () => {
    const spec: ArrivalSpec = { kind: 'onoff', ratePerSec: 1000, onMs: 50, offMs: 150, highFactor: 3 };
    const t = generateArrivalsForDurationMs(spec, 200_000, 4);
    const ratePerSec = (t.length / 200_000) * 1000;
    assert.ok(Math.abs(ratePerSec / 1000 - 1) < 0.01, `rate ${ratePerSec}`);
    // per-phase rates: on = 3000/s, off = (1000·200 − 3000·50)/150 = 333/s
    let onCount = 0;
    for (const x of t) if (x % 200 < 50) onCount++;
    assert.ok(Math.abs(onCount / t.length - 0.75) < 0.01, `share in on phase ${onCount / t.length}`);
    assert.ok(gapStats(t).cv > 1.2);
  });

  it('onoff with the default factor is silent in the off phase', () => {
    const spec = parseArrival('onoff:100/300', 200);
    assert.equal(spec.kind === 'onoff' && spec.highFactor, 4);
    const t = generateArrivalsMs(spec, 20_000, 1);
    for (const x of t) assert.ok(x % 400 <= 100, `arrival at ${x} in the off phase`);
  });

  it('the same seed gives the same schedule, and a longer schedule starts with the shorter one', () => {
    const spec: ArrivalSpec = { kind: 'gamma', ratePerSec: 50, cv: 3 };
    const a = generateArrivalsMs(spec, 1000, 11);
    const b = generateArrivalsMs(spec, 3000, 11);
    assert.deepEqual([...a], [...b.subarray(0, 1000)]);
    assert.notDeepEqual([...a], [...generateArrivalsMs(spec, 1000, 12)]);
    const byDuration = generateArrivalsForDurationMs(spec, a[999], 11);
    assert.deepEqual([...byDuration], [...a.subarray(0, 999)]);
  });

  it('replays a trace from 0, loops it, and rescales it to a rate', () => {
    const trace = [100, 103, 110, 130]; // span 30 ms, 3 gaps → 100/s, loop period 40 ms
    assert.deepEqual([...generateArrivalsMs({ kind: 'trace', arrivalsMs: trace }, 6, 1)], [0, 3, 10, 30, 40, 43]);
    const fast = generateArrivalsMs({ kind: 'trace', arrivalsMs: [130, 100, 110, 103], ratePerSec: 200 }, 4, 1);
    assert.deepEqual([...fast], [0, 1.5, 5, 15]);
  });
});

describe('--arrival grammar', () => {
  it('parses every kind', () => {
    assert.deepEqual(parseArrival('constant', 10), { kind: 'constant', ratePerSec: 10 });
    assert.deepEqual(parseArrival('poisson', 10), { kind: 'poisson', ratePerSec: 10 });
    assert.deepEqual(parseArrival('gamma:2.5', 10), { kind: 'gamma', ratePerSec: 10, cv: 2.5 });
    assert.deepEqual(parseArrival('onoff:200/800/3', 10), { kind: 'onoff', ratePerSec: 10, onMs: 200, offMs: 800, highFactor: 3 });
    assert.deepEqual(parseArrival('trace:t.csv', undefined, [0, 5, 9]), { kind: 'trace', arrivalsMs: [0, 5, 9] });
    assert.deepEqual(parseArrival('trace:t.csv', 50, [0, 5, 9]), { kind: 'trace', arrivalsMs: [0, 5, 9], ratePerSec: 50 });
    assert.equal(formatArrival(parseArrival('onoff:200/800/3', 10)), 'onoff:200/800/3');
  });

  it('rejects bad input with a message that says what to do', () => {
    assert.throws(() => parseArrival('weibull', 10), /unknown --arrival "weibull"; expected constant \| poisson/);
    assert.throws(() => parseArrival('gamma', 10), /gamma needs a coefficient of variation, e\.g\. gamma:2/);
    assert.throws(() => parseArrival('poisson', 0), /positive --rate/);
    assert.throws(() => parseArrival('onoff:100', 10), /ON_MS\/OFF_MS/);
    assert.throws(() => parseArrival('onoff:100/100/3', 10), /burst factor must be between 1 and .* = 2/);
    assert.throws(() => parseArrival('trace:arrivals.txt', 10), /needs the file's arrival times loaded first/);
    assert.throws(() => parseArrival('trace:one.txt', 10, [5]), /at least 2 arrival times/);
  });

  it('reads trace text: one time per line, first CSV column, header and comments skipped', () => {
    assert.deepEqual(parseTraceText('time_ms,size\n# comment\n0,1\n2.5,1\n\n7,3\n'), [0, 2.5, 7]);
    assert.throws(() => parseTraceText('1\n2\nbanana\n'), /trace line 3 is not an arrival time/);
  });
});
