// Simulator speed: simulated requests per second for a few configurations (arrival generation,
// the event loop and the percentile selection included). Prints figures; no pass/fail.
// Run: npx node bench/simulator.bench.ts [requests]
import {
  buildServiceModel,
  capacityAtSla,
  deterministicServiceModel,
  exponentialServiceModel,
  predict,
  simulate,
} from '../main/common/sim/index.ts';
import type { SimulationInput } from '../main/common/sim/index.ts';
import { stallProcessFromQuantiles } from '../main/common/sim/stalls.ts';

const requests = Number(process.argv[2] ?? 1_000_000);
const evenly = (f: (q: number) => number) => Array.from({ length: 101 }, (_, i) => f(i / 100));
const measured = buildServiceModel(
  [1, 2, 4, 8, 16].map((batch) => {
    const meanMs = 0.3 + 0.08 * batch;
    return { batch, meanMs, quantilesMs: evenly((q) => meanMs * (0.8 + 0.3 * q + 2 * q ** 20)) };
  }),
  { overheadMs: 0.15, jitterQuantilesMs: evenly((q) => (q < 0.97 ? 0.02 : 4 * q)) },
);

const configs: Array<{ name: string; input: SimulationInput }> = [
  {
    name: 'M/M/1 unbatched, rho 0.7',
    input: { arrival: { kind: 'poisson', ratePerSec: 700 }, batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 }, service: exponentialServiceModel(1), requests, seed: 1 },
  },
  {
    name: 'poisson, B=8 D=2ms k=2, fixed service',
    input: { arrival: { kind: 'poisson', ratePerSec: 6000 }, batcher: { maxBatch: 8, maxDelayMs: 2, instances: 2 }, service: deterministicServiceModel((m) => 0.5 + 0.1 * m), requests, seed: 1 },
  },
  {
    name: 'gamma:2, B=16 D=1ms k=4, measured quantiles + jitter',
    input: { arrival: { kind: 'gamma', ratePerSec: 20000, cv: 2 }, batcher: { maxBatch: 16, maxDelayMs: 1, instances: 4 }, service: measured, requests, seed: 1 },
  },
  {
    name: 'onoff:50/150/3, B=8 preferred [4,8], maxQueue 64, timeout 20ms',
    input: {
      arrival: { kind: 'onoff', ratePerSec: 3000, onMs: 50, offMs: 150, highFactor: 3 },
      batcher: { maxBatch: 8, maxDelayMs: 1, preferredBatch: [4, 8], maxQueue: 64, timeoutMs: 20, instances: 2 },
      service: measured,
      requests,
      seed: 1,
    },
  },
  {
    name: 'poisson unbatched k=2, measured quantiles + stall process',
    input: {
      arrival: { kind: 'poisson', ratePerSec: 2500 }, batcher: { maxBatch: 1, maxDelayMs: 0, instances: 2 },
      service: { ...measured, jitter: undefined, stalls: stallProcessFromQuantiles(20, evenly((q) => 0.3 + 5 * q ** 4), 'idle') }, requests, seed: 1,
    },
  },
];

console.log(`simulator speed, ${requests.toLocaleString('en-US')} requests per run (+10% warm-up), best of 3`);
for (const { name, input } of configs) {
  let bestMs = Infinity;
  let p99 = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = simulate(input);
    bestMs = Math.min(bestMs, performance.now() - t0);
    p99 = r.latencyMs.p99;
  }
  const simulated = requests + Math.max(500, Math.floor(requests / 10));
  console.log(`  ${name.padEnd(62)} ${((simulated / bestMs) * 1000 / 1e6).toFixed(2)} M req/s  (${bestMs.toFixed(0)} ms, p99 ${p99.toFixed(2)} ms)`);
}

let t0 = performance.now();
predict({ ...configs[2].input, requests: 20_000 }, 5);
console.log(`  predict(), 5 replications x 20,000 requests: ${(performance.now() - t0).toFixed(0)} ms`);
t0 = performance.now();
const c = capacityAtSla({ service: measured, batcher: { maxBatch: 8, maxDelayMs: 1, instances: 2 }, arrival: { kind: 'poisson' }, slaMs: 10, percentile: 0.99, seed: 1 });
console.log(`  capacityAtSla(), p99 <= 10 ms: ${c.maxRatePerSec.toFixed(0)} req/s in ${c.iterations} steps, ${(performance.now() - t0).toFixed(0)} ms`);
