// The live queue animation's counters must equal the simulator's figures for the same settings:
// the stepper replays simulate()'s loop one batch at a time with the same seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueueStepper } from '../../main/common/learn/queueStepper.ts';
import { simulate, deterministicServiceModel, exponentialServiceModel, buildServiceModel, linearBatchCost } from '../../main/common/sim/index.ts';
import type { ArrivalSpec, BatcherConfig, ServiceModel } from '../../main/common/sim/index.ts';

const close = (a: number, b: number, what: string) => {
  const tol = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  assert.ok(Math.abs(a - b) <= tol, `${what}: animation ${a} vs simulate ${b}`);
};

function agree(name: string, arrival: ArrivalSpec, batcher: BatcherConfig, service: ServiceModel, requests = 3000, warmupRequests = 0) {
  test(`animation counters equal simulate(): ${name}`, () => {
    const sim = simulate({ arrival, batcher, service, requests, warmupRequests, seed: 7 });
    const stepper = createQueueStepper({ arrival, batcher, service, requests, warmupRequests, seed: 7 });
    stepper.runToEnd();
    const c = stepper.counters();
    assert.equal(c.completed, sim.requests - sim.rejected - sim.timedOut);
    close(c.latencyMs.p50, sim.latencyMs.p50, 'p50');
    close(c.latencyMs.p90, sim.latencyMs.p90, 'p90');
    close(c.latencyMs.p99, sim.latencyMs.p99, 'p99');
    close(c.latencyMs.mean, sim.latencyMs.mean, 'mean latency');
    close(c.queueWaitMs.p99, sim.queueWaitMs.p99, 'queue wait p99');
    close(c.requestsPerSec, sim.requestsPerSec, 'throughput');
    close(c.utilization, sim.utilization, 'utilization');
    close(c.meanBatchSize, sim.meanBatchSize, 'mean batch size');
    assert.deepEqual(c.batchSizes, sim.batchSizes);
    assert.equal(c.rejected, sim.rejected);
    assert.equal(c.timedOut, sim.timedOut);
    assert.equal(c.saturated, sim.saturated ?? false);
  });
}

const measured = buildServiceModel([
  { batch: 1, meanMs: 1.0, quantilesMs: [0.8, 0.9, 1.0, 1.2, 2.5] },
  { batch: 8, meanMs: 3.0, quantilesMs: [2.5, 2.8, 3.0, 3.4, 6.0] },
], { overheadMs: 0.05 });

agree('unbatched Poisson, one instance', { kind: 'poisson', ratePerSec: 600 }, { maxBatch: 1, maxDelayMs: 0, instances: 1 }, exponentialServiceModel(1));
agree('dynamic batching with a delay, bursty gamma, 2 instances', { kind: 'gamma', ratePerSec: 2000, cv: 2 }, { maxBatch: 8, maxDelayMs: 2, instances: 2 }, deterministicServiceModel(linearBatchCost(0.6, 0.25)));
agree('measured quantiles, 3 instances, with warm-up', { kind: 'poisson', ratePerSec: 2500 }, { maxBatch: 8, maxDelayMs: 1, instances: 3 }, measured, 4000, 500);
agree('bounded queue and timeouts over capacity', { kind: 'poisson', ratePerSec: 1500 }, { maxBatch: 4, maxDelayMs: 0.5, instances: 1, maxQueue: 20, timeoutMs: 8 }, deterministicServiceModel(linearBatchCost(1, 0.5)));
agree('constant arrivals with preferred batch sizes', { kind: 'constant', ratePerSec: 900 }, { maxBatch: 8, maxDelayMs: 3, instances: 1, preferredBatch: [2, 4] }, deterministicServiceModel(linearBatchCost(0.5, 0.3)));
agree('on/off bursts', { kind: 'onoff', ratePerSec: 800, onMs: 50, offMs: 150, highFactor: 4 }, { maxBatch: 16, maxDelayMs: 2, instances: 2 }, measured);

test('stepping in small time increments gives the same batches as running to the end', () => {
  const input = { arrival: { kind: 'gamma', ratePerSec: 1500, cv: 1.5 } as ArrivalSpec, batcher: { maxBatch: 8, maxDelayMs: 2, instances: 2 }, service: measured, requests: 2000, seed: 3 };
  const a = createQueueStepper(input);
  a.runToEnd();
  const b = createQueueStepper(input);
  let t = 0;
  while (!b.finished) { t += 0.7; b.advanceTo(t); b.snapshot(t, { recentMs: 5 }); if (t % 50 < 0.7) b.prune(t - 20); }
  assert.deepEqual(b.counters(), a.counters());
});

test('a snapshot shows the queue, the busy instances and what just finished', () => {
  const s = createQueueStepper({ arrival: { kind: 'constant', ratePerSec: 1000 }, batcher: { maxBatch: 4, maxDelayMs: 10, instances: 1 }, service: deterministicServiceModel(5), seed: 1 });
  // arrivals at 0,1,2,3 → a batch of 4 is sent at 3 and runs until 8; arrivals 4..7 wait
  const snap = s.snapshot(6.5, { recentMs: 100 });
  assert.equal(snap.running[0]?.size, 4);
  assert.equal(snap.running[0]?.dispatchMs, 3);
  assert.deepEqual(snap.queued.map((r) => r.id), [4, 5, 6]);
  const later = s.snapshot(8.5, { recentMs: 100 });
  assert.deepEqual(later.recentlyDone.map((r) => r.latencyMs), [8, 7, 6, 5]);
  assert.equal(s.counters(8.5).completed, 4);
  assert.equal(s.counters(7.9).completed, 0);
});
