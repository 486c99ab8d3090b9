import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allenCunneenMeanWaitMs,
  deterministicServiceModel,
  erlangC,
  md1MeanWaitMs,
  md1WaitCdf,
  md1WaitPercentileMs,
  mm1MeanWaitMs,
  mmcMeanWaitMs,
  mmcWaitPercentileMs,
  nexusScreen,
  stabilityBoundPerSec,
} from '../../main/common/sim/index.ts';

/** Erlang C from its textbook sum, fine for small c. */
function erlangCBySum(c: number, a: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = (term * c) / (c - a);
  return top / (sum + top);
}

describe('closed-form queueing screens', () => {
  it('Erlang C matches the textbook formula and stays finite for large pools', () => {
    assert.equal(erlangC(1, 0.5), 0.5);
    assert.ok(Math.abs(erlangC(2, 1) - 1 / 3) < 1e-12);
    for (const [c, a] of [[3, 2.4], [10, 8], [20, 17.5]]) assert.ok(Math.abs(erlangC(c, a) - erlangCBySum(c, a)) < 1e-12);
    const big = erlangC(2000, 1950);
    assert.ok(big > 0 && big < 1);
    assert.equal(erlangC(4, 4), 1);
  });

  it('M/M/c reduces to M/M/1 for one server, and Allen–Cunneen to M/M/c for cv 1', () => {
    assert.ok(Math.abs(mmcMeanWaitMs({ ratePerSec: 500, meanServiceMs: 1, servers: 1 }) - 1) < 1e-12);
    assert.equal(mm1MeanWaitMs(750, 2), Infinity); // ρ = 1.5: unstable
    const q = { ratePerSec: 2400, meanServiceMs: 1, servers: 3 };
    assert.equal(allenCunneenMeanWaitMs({ ...q, arrivalCv: 1, serviceCv: 1 }), mmcMeanWaitMs(q));
    assert.equal(mmcWaitPercentileMs(q, 0.2), 0); // most requests never wait
  });

  it('M/D/1 waits: half the M/M/1 mean, and a closed-form CDF that starts at 1 − ρ', () => {
    assert.ok(Math.abs(md1MeanWaitMs(700, 1) - mm1MeanWaitMs(700, 1) / 2) < 1e-12);
    assert.ok(Math.abs((md1WaitCdf(0, 700, 1) as number) - 0.3) < 1e-12);
    let previous = 0;
    for (let t = 0; t <= 10; t += 0.25) {
      const c = md1WaitCdf(t, 700, 1) as number;
      assert.ok(c >= previous - 1e-12 && c <= 1, `CDF not monotone at ${t}`);
      previous = c;
    }
    const p99 = md1WaitPercentileMs(700, 1, 0.99) as number;
    assert.ok(Math.abs((md1WaitCdf(p99, 700, 1) as number) - 0.99) < 1e-6);
    // where the alternating sum would lose precision it says so instead of returning noise
    assert.equal(md1WaitPercentileMs(990, 1, 0.999), null);
  });

  it('stability bound is k·B / (s(B) + overhead) and the Nexus screen is 2·s(b)', () => {
    const service = deterministicServiceModel((m) => 0.5 + 0.1 * m, 0.2);
    assert.ok(Math.abs(stabilityBoundPerSec(service, { maxBatch: 8, maxDelayMs: 1, instances: 2 }) - (2 * 8 * 1000) / 1.5) < 1e-9);
    assert.deepEqual(nexusScreen(service, 8, 3), { pass: true, worstCaseMs: 3 });
    assert.equal(nexusScreen(service, 8, 2.9).pass, false);
  });
});
