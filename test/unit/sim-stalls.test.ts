import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate, deterministicServiceModel, exponentialServiceModel } from '../../main/common/sim/index.ts';
import { fixedStallProcess, meanLatencyWithStallsMs, stallProcessFromQuantiles, StallTimelines } from '../../main/common/sim/stalls.ts';
import { createRng } from '../../main/common/stats/rng.ts';

const closeTo = (actual: number, expected: number, relTol: number, what: string) =>
  assert.ok(Math.abs(actual / expected - 1) <= relTol, `${what}: simulated ${actual}, expected ${expected} (±${relTol * 100}%)`);

describe('time-based stall process (server interruptions)', () => {
  it('M/M/1 with preemptive-resume stalls matches the two-class priority closed form', () => {
    // ρ = 0.5, stalls 20/s of 5 ms (ρ1 = 0.1)
    const service = { ...exponentialServiceModel(1), stalls: fixedStallProcess(20, 5, 'any') };
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 500 }, batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 }, service, requests: 1_000_000, seed: 7 });
    const expected = meanLatencyWithStallsMs({ ratePerMs: 0.5, meanServiceMs: 1, secondMomentServiceMs2: 2, stallRatePerMs: 0.02, meanStallMs: 5, secondMomentStallMs2: 25 });
    closeTo(r.latencyMs.mean, expected, 0.04, 'mean latency');
  });

  it('M/D/1 with exponential-duration stalls matches the closed form', () => {
    const q = Array.from({ length: 101 }, (_, i) => (i === 100 ? 2 * -Math.log(1e-4) : 2 * -Math.log(1 - i / 100)));
    const stalls = stallProcessFromQuantiles(30, q, 'any');
    const service = { ...deterministicServiceModel(1), stalls };
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 600 }, batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 }, service, requests: 1_000_000, seed: 8 });
    // second moment of the sampled duration distribution, by quadrature of the same piecewise-linear quantile function
    let m2 = 0;
    const steps = 100;
    for (let i = 0; i < steps; i++) for (let j = 0; j < 20; j++) { const x = q[i] + ((j + 0.5) / 20) * (q[i + 1] - q[i]); m2 += (x * x) / steps / 20; }
    const expected = meanLatencyWithStallsMs({ ratePerMs: 0.6, meanServiceMs: 1, secondMomentServiceMs2: 1, stallRatePerMs: 0.03, meanStallMs: stalls.meanMs, secondMomentStallMs2: m2 });
    closeTo(r.latencyMs.mean, expected, 0.05, 'mean latency');
  });

  it("'idle' stalls delay only a batch that starts inside a stall; 'any' also pauses service", () => {
    const rng = createRng(1);
    const idle = new StallTimelines(fixedStallProcess(1e-9, 5, 'idle'), 1, rng);
    assert.equal(idle.finish(0, 10, 2), 12, 'a practically stall-free timeline adds nothing');
    // a deterministic check of both semantics on a hand-made timeline: one stall [3, 8)
    const one = { ratePerSec: 0, meanMs: 5, holds: 'any' as const, sampleMs: () => 5 };
    const any = new StallTimelines(one, 1, rng) as unknown as { downStart: Float64Array; downEnd: Float64Array; finish: StallTimelines['finish'] };
    any.downStart[0] = 3; any.downEnd[0] = 8;
    assert.equal(any.finish(0, 1, 4), 10, 'service 1→3, paused 3→8, resumes for the last 2 ms');
    const idleOne = new StallTimelines({ ...one, holds: 'idle' }, 1, rng) as unknown as { downStart: Float64Array; downEnd: Float64Array; finish: StallTimelines['finish'] };
    idleOne.downStart[0] = 3; idleOne.downEnd[0] = 8;
    assert.equal(idleOne.finish(0, 4, 2), 10, 'dispatched inside the stall: starts at its end');
  });

  it('stalls raise the tail: p99 with stalls is above p99 without, same seed', () => {
    const base = { arrival: { kind: 'poisson' as const, ratePerSec: 500 }, batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 }, requests: 200_000, seed: 3 };
    const without = simulate({ ...base, service: deterministicServiceModel(1) });
    const withStalls = simulate({ ...base, service: { ...deterministicServiceModel(1), stalls: fixedStallProcess(5, 10, 'idle') } });
    assert.ok(withStalls.latencyMs.p99 > without.latencyMs.p99 + 5, `${withStalls.latencyMs.p99} vs ${without.latencyMs.p99}`);
  });
});
