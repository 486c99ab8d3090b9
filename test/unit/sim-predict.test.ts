import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capacityAtSla,
  deterministicServiceModel,
  exponentialServiceModel,
  mm1LatencyPercentileMs,
  predict,
  simulate,
} from '../../main/common/sim/index.ts';
import type { SimulationInput } from '../../main/common/sim/index.ts';

const mm1 = (ratePerSec: number): SimulationInput => ({
  arrival: { kind: 'poisson', ratePerSec },
  batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 },
  service: exponentialServiceModel(1),
  requests: 100_000,
  seed: 21,
});

describe('predictions with replications', () => {
  it('the p99 interval over 5 replications covers the analytic M/M/1 p99', () => {
    const p = predict(mm1(600), 5);
    const truth = mm1LatencyPercentileMs(600, 1, 0.99);
    assert.equal(p.replications, 5);
    assert.equal(p.requests, 500_000);
    assert.ok(p.p99CiMs[0] < truth && truth < p.p99CiMs[1], `CI ${p.p99CiMs} vs ${truth}`);
    assert.ok(p.p99CiMs[0] < p.latencyMs.p99 && p.latencyMs.p99 < p.p99CiMs[1]);
    assert.match(p.ciMethod as string, /Student-t/);
  });

  it('replication 0 replays the seed itself, so it matches a single simulation', () => {
    const input = mm1(400);
    assert.equal(predict(input, 1).latencyMs.p99, simulate(input).latencyMs.p99);
  });
});

describe('capacity at an SLA', () => {
  it('finds the M/M/1 rate whose p99 meets the SLA, conservatively', () => {
    // M/M/1 p99 latency = ln(100)/(μ − λ) ≤ 10 ms  ⇒  λ ≤ 1000 − 460.5 = 539.5 /s
    const exact = 1000 - Math.log(100) * 100;
    const c = capacityAtSla({ service: exponentialServiceModel(1), batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 }, arrival: { kind: 'poisson' }, slaMs: 10, percentile: 0.99, seed: 3 });
    assert.ok(c.maxRatePerSec <= exact * 1.03 && c.maxRatePerSec >= exact * 0.85, `capacity ${c.maxRatePerSec} vs ${exact}`);
    const [at] = c.predictedAtMax.extraPercentileCisMs ?? [];
    assert.ok(at.p === 0.99 && at.ciMs[1] <= 10);
    assert.ok(c.iterations >= 5 && c.stabilityBoundPerSec === 1000);
  });

  it('batching raises the capacity when the service curve has a batching gain', () => {
    const service = deterministicServiceModel((m) => 1 + 0.2 * m);
    const base = { service, arrival: { kind: 'poisson' as const }, slaMs: 8, percentile: 0.99, seed: 4, requests: 10_000 };
    const single = capacityAtSla({ ...base, batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 } });
    const batched = capacityAtSla({ ...base, batcher: { maxBatch: 8, maxDelayMs: 1, instances: 1 } });
    assert.ok(batched.maxRatePerSec > 2 * single.maxRatePerSec, `batched ${batched.maxRatePerSec}/s vs single ${single.maxRatePerSec}/s`);
    assert.ok(batched.predictedAtMax.meanBatchSize > 2);
  });

  it('reports zero capacity when even a light load misses the SLA', () => {
    const c = capacityAtSla({ service: deterministicServiceModel(5), batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 }, arrival: { kind: 'poisson' }, slaMs: 4, percentile: 0.99, seed: 1, requests: 2000 });
    assert.equal(c.maxRatePerSec, 0);
    assert.equal(c.iterations, 1);
  });
});
