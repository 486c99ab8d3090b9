import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allenCunneenMeanWaitMs,
  decideBatchSize,
  deterministicServiceModel,
  erlangC,
  exponentialServiceModel,
  md1MeanWaitMs,
  md1WaitPercentileMs,
  mm1LatencyPercentileMs,
  mm1MeanLatencyMs,
  mm1MeanWaitMs,
  mmcMeanWaitMs,
  mmcWaitPercentileMs,
  simulate,
} from '../../main/common/sim/index.ts';
import type { BatcherConfig, SimulationInput } from '../../main/common/sim/index.ts';

const unbatched = (instances = 1): BatcherConfig => ({ maxBatch: 1, maxDelayMs: 0, instances });
const closeTo = (actual: number, expected: number, relTol: number, what: string) =>
  assert.ok(Math.abs(actual / expected - 1) <= relTol, `${what}: simulated ${actual}, expected ${expected} (±${relTol * 100}%)`);
const N = 1_000_000;

describe('simulator against analytic oracles', () => {
  it('M/M/1 at ρ = 0.7: mean wait, mean latency, p99 latency and utilization', () => {
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 700 }, batcher: unbatched(), service: exponentialServiceModel(1), requests: N, seed: 1 });
    closeTo(r.queueWaitMs.mean as number, mm1MeanWaitMs(700, 1), 0.04, 'mean wait');
    closeTo(r.latencyMs.mean, mm1MeanLatencyMs(700, 1), 0.04, 'mean latency');
    closeTo(r.latencyMs.p99, mm1LatencyPercentileMs(700, 1, 0.99), 0.04, 'p99 latency');
    closeTo(r.utilization, 0.7, 0.02, 'utilization');
    closeTo(r.requestsPerSec, 700, 0.01, 'throughput');
    assert.deepEqual(r.batchSizes, { 1: N });
  });

  it('M/D/1 at ρ = 0.7: Pollaczek–Khinchine mean wait and the closed-form p90 wait', () => {
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 700 }, batcher: unbatched(), service: deterministicServiceModel(1), requests: N, seed: 2 });
    closeTo(r.queueWaitMs.mean as number, md1MeanWaitMs(700, 1), 0.04, 'mean wait');
    // latency = wait + 1 ms, so latency p90 − 1 is the wait p90
    closeTo(r.latencyMs.p90 - 1, md1WaitPercentileMs(700, 1, 0.9) as number, 0.04, 'p90 wait');
  });

  it('M/M/3 at ρ = 0.8: Erlang C mean wait, probability of waiting and p99 wait', () => {
    const q = { ratePerSec: 2400, meanServiceMs: 1, servers: 3 };
    const pWait = erlangC(3, 2.4);
    const r = simulate({
      arrival: { kind: 'poisson', ratePerSec: 2400 },
      batcher: unbatched(3),
      service: exponentialServiceModel(1),
      requests: N,
      seed: 3,
      extraPercentiles: [1 - pWait - 0.01, 1 - pWait + 0.01],
    });
    closeTo(r.queueWaitMs.mean as number, mmcMeanWaitMs(q), 0.04, 'mean wait');
    closeTo(r.queueWaitMs.p99, mmcWaitPercentileMs(q, 0.99), 0.04, 'p99 wait');
    // the share of requests that did not wait is 1 − C: the latency just below it is a bare service time
    const [below] = r.extraPercentilesMs as number[];
    assert.ok(below < mm1LatencyPercentileMs(0, 1, (1 - pWait - 0.01) / (1 - pWait)) * 1.05);
    closeTo(r.utilization, 0.8, 0.02, 'utilization');
  });

  it('Allen–Cunneen is within 10 % of the simulation for Poisson arrivals and fixed service on 2 instances', () => {
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 1500 }, batcher: unbatched(2), service: deterministicServiceModel(1), requests: N, seed: 4 });
    const approx = allenCunneenMeanWaitMs({ ratePerSec: 1500, meanServiceMs: 1, servers: 2, arrivalCv: 1, serviceCv: 0 });
    closeTo(r.queueWaitMs.mean as number, approx, 0.1, 'mean wait vs Allen–Cunneen');
  });
});

describe('dynamic batcher semantics', () => {
  const constant1ms = { kind: 'constant', ratePerSec: 1000 } as const;
  const exact = (batcher: BatcherConfig, requests: number, serviceMs = 0.5, extra: Partial<SimulationInput> = {}) =>
    simulate({ arrival: constant1ms, batcher, service: deterministicServiceModel(serviceMs), requests, warmupRequests: 0, seed: 1, ...extra });

  it('sends a batch as soon as max batch requests are queued', () => {
    // arrivals 0..7 ms; batches of 4 leave at 3 and 7 ms and take 0.5 ms
    const r = exact({ maxBatch: 4, maxDelayMs: 10, instances: 1 }, 8);
    assert.deepEqual(r.batchSizes, { 4: 2 });
    assert.equal(r.latencyMs.p50, 1.5);
    assert.equal(r.latencyMs.mean, 2);
    assert.equal(r.queueWaitMs.p99, 3);
  });

  it('sends what is queued once the oldest request has waited the max queue delay', () => {
    // arrivals 0..5 ms, D = 2.5: batches {0,1,2} at 2.5 ms and {3,4,5} at 5.5 ms
    const r = exact({ maxBatch: 8, maxDelayMs: 2.5, instances: 1 }, 6);
    assert.deepEqual(r.batchSizes, { 3: 2 });
    assert.equal(r.latencyMs.p99, 3);
    assert.equal(r.latencyMs.mean, 2);
  });

  it('prefers the largest preferred batch size that can be formed', () => {
    // arrivals 0, 1, 2 ms; preferred [2, 4]: at 2.5 ms three are queued, so 2 go; the third waits its own delay
    const r = exact({ maxBatch: 8, maxDelayMs: 2.5, preferredBatch: [2, 4], instances: 1 }, 3);
    assert.deepEqual(r.batchSizes, { 1: 1, 2: 1 });
    assert.equal(r.latencyMs.mean, (3 + 2 + 3) / 3);
    assert.equal(decideBatchSize(4, 0, { maxBatch: 8, maxDelayMs: 2.5, preferredBatch: [2, 4], instances: 1 }), 4);
    assert.equal(decideBatchSize(3, 1, { maxBatch: 8, maxDelayMs: 2.5, preferredBatch: [2, 4], instances: 1 }), 0);
    assert.equal(decideBatchSize(3, 2.5, { maxBatch: 8, maxDelayMs: 2.5, preferredBatch: [2, 4], instances: 1 }), 2);
    assert.equal(decideBatchSize(9, 0, { maxBatch: 8, maxDelayMs: 2.5, instances: 1 }), 8);
  });

  it('never batches with max batch 1', () => {
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 1500 }, batcher: { maxBatch: 1, maxDelayMs: 5, instances: 2 }, service: exponentialServiceModel(1), requests: 20_000, seed: 5 });
    assert.deepEqual(r.batchSizes, { 1: 20_000 });
    assert.equal(r.meanBatchSize, 1);
  });

  it('forms larger batches as the load grows when max queue delay > 0', () => {
    const service = deterministicServiceModel((m) => 0.5 + 0.1 * m);
    const sizes = [200, 1000, 3000, 5000].map(
      (ratePerSec) => simulate({ arrival: { kind: 'poisson', ratePerSec }, batcher: { maxBatch: 8, maxDelayMs: 2, instances: 1 }, service, requests: 50_000, seed: 6 }).meanBatchSize,
    );
    for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i] > sizes[i - 1], `mean batch sizes ${sizes.join(', ')} should grow with load`);
    assert.ok(sizes[0] < 2 && sizes[3] > 6, `mean batch sizes ${sizes.join(', ')}`);
  });

  it('rejects arrivals that find the queue full', () => {
    // a 10 ms service, arrivals every ms, room for 2: requests 1 and 2 wait, 3..9 are rejected
    const r = exact({ maxBatch: 1, maxDelayMs: 0, maxQueue: 2, instances: 1 }, 10, 10);
    assert.equal(r.rejected, 7);
    assert.equal(r.timedOut, 0);
    assert.deepEqual(r.batchSizes, { 1: 3 });
    assert.equal(r.latencyMs.p99, 28);
  });

  it('drops requests that waited longer than the queue timeout', () => {
    // a 10 ms service, arrivals every ms, 15 ms timeout: 0, 1 and 5 are served (5 waited exactly 15 ms)
    const r = exact({ maxBatch: 1, maxDelayMs: 0, timeoutMs: 15, instances: 1 }, 10, 10);
    assert.equal(r.timedOut, 7);
    assert.equal(r.rejected, 0);
    assert.equal(r.latencyMs.p99, 25);
    assert.equal(r.queueWaitMs.p99, 15);
  });

  it('adds the per-batch overhead and the per-request jitter to latency', () => {
    const service = { ...deterministicServiceModel(1, 0.25), jitter: { sample: () => 2, p99Ms: 2 } };
    const r = simulate({ arrival: { kind: 'constant', ratePerSec: 10 }, batcher: unbatched(), service, requests: 100, warmupRequests: 0, seed: 1 });
    assert.equal(r.latencyMs.p50, 3.25);
    assert.equal(r.latencyMs.p99, 3.25);
    assert.equal(r.computeMsPerBatch, 1.25);
  });

  it('replays a trace through the batcher', () => {
    // two pairs: the second arrival fills batch 2 at once
    const r = simulate({
      arrival: { kind: 'trace', arrivalsMs: [0, 0.2, 5, 5.1] },
      batcher: { maxBatch: 2, maxDelayMs: 1, instances: 1 },
      service: deterministicServiceModel(1),
      requests: 4,
      warmupRequests: 0,
      seed: 1,
    });
    assert.deepEqual(r.batchSizes, { 2: 2 });
    assert.ok(Math.abs(r.latencyMs.mean - 1.075) < 1e-9);
    assert.ok(Math.abs(r.latencyMs.p99 - 1.2) < 1e-9);
  });

  it('gives identical results for the same seed and different ones for another seed', () => {
    const input: SimulationInput = {
      arrival: { kind: 'gamma', ratePerSec: 900, cv: 2 },
      batcher: { maxBatch: 4, maxDelayMs: 1, instances: 2 },
      service: exponentialServiceModel((m) => 0.8 + 0.3 * m),
      requests: 20_000,
      seed: 77,
    };
    assert.deepEqual(simulate(input), simulate(input));
    assert.notEqual(simulate(input).latencyMs.p99, simulate({ ...input, seed: 78 }).latencyMs.p99);
  });

  it('flags offered load beyond the stability bound as saturated', () => {
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 1200 }, batcher: unbatched(), service: deterministicServiceModel(1), requests: 5000, seed: 1 });
    assert.equal(r.saturated, true);
    assert.ok(r.requestsPerSec < 1010 && r.utilization > 0.99);
  });

  it('reports p99.9 only from enough requests and counts only post-warm-up requests', () => {
    const r = simulate({ arrival: { kind: 'poisson', ratePerSec: 100 }, batcher: unbatched(), service: deterministicServiceModel(1), requests: 1000, warmupRequests: 300, seed: 1 });
    assert.equal(r.latencyMs.p999, null);
    assert.equal(r.requests, 1000);
    assert.equal(Object.values(r.batchSizes).reduce((s, c) => s + c, 0), 1000);
  });

  it('explains bad batcher settings', () => {
    const base = { arrival: { kind: 'poisson', ratePerSec: 1 } as const, service: deterministicServiceModel(1), requests: 10, seed: 1 };
    assert.throws(() => simulate({ ...base, batcher: { maxBatch: 0, maxDelayMs: 0, instances: 1 } }), /max batch must be a whole number >= 1/);
    assert.throws(() => simulate({ ...base, batcher: { maxBatch: 4, maxDelayMs: 0, preferredBatch: [8], instances: 1 } }), /preferred batch size 8 must be .* between 1 and max batch 4/);
  });
});
