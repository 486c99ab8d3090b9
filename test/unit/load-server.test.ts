// The in-process inference server on real models: CO-safe latency, Triton batcher behaviour,
// rejection, and the stored run. No timing thresholds: only relations that hold on any machine.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.ts';
import { createContext } from '../../main/engine/engine.ts';
import { runLoad } from '../../main/engine/load/runLoad.ts';
import { loadSpecSchema } from '../../main/common/schemas.ts';
import { InferenceServer } from '../../main/engine/load/server.ts';
import { summarizeRepetition } from '../../main/engine/load/summarizeLoad.ts';
import { generateArrivalsForDurationMs } from '../../main/common/sim/arrivals.ts';
import { resolveBuiltin } from '../../main/engine/models/catalog.ts';

const ctx = await createContext({ dbPath: join(tempDir(), 'kp.db') });
after(() => ctx.store.close());

async function server(model: string, maxBatch: number, instances = 1): Promise<InferenceServer> {
  const m = await resolveBuiltin(model);
  return InferenceServer.start({
    modelPath: m.path, instances, maxBatch, seed: 1, pins: m.defaultPins ?? [], batchDims: m.batchDims,
    sessionOptions: { executionProviders: ['cpu'], intraOpNumThreads: 1 },
  }, 2);
}

test('load on a real model (ocr-cls) is stored, CO-safe, and shown by the store', async () => {
  const spec = loadSpecSchema.parse({ model: 'ocr-cls', rate: 100, seconds: 1.5, maxBatch: 4, maxDelayMs: 1, repeat: 2, seed: 3 });
  const r = await runLoad(ctx, spec);
  assert.match(r.runId, /^run_/);
  assert.equal(r.repetitions.length, 2);
  assert.deepEqual(r.repetitions.map((x) => x.seed), [3, r.repetitions[1].seed]);
  assert.notEqual(r.repetitions[1].seed, 3, 'repetitions use different seeds');
  for (const rep of r.repetitions) {
    assert.ok(rep.completed > 0);
    // CO-safe: latency from scheduled arrival includes the queue wait and the whole service time
    assert.ok(rep.latencyMs.p50 >= rep.queueWaitMs.p50);
    assert.ok(rep.latencyMs.mean >= rep.queueWaitMs.mean + rep.computeMsPerBatch * 0.999, 'latency >= queue wait + service');
    assert.ok(rep.generatorLagMs.p50 >= 0);
    assert.ok(rep.jitter.timerOversleepMs.samples > 0);
    assert.equal(rep.completed + rep.rejected + rep.timedOut + rep.unfinished, rep.requests);
  }
  // the p99 CI is the Student-t interval of the two repetitions' p99s: mean ± t(0.975, 1)·|a − b|/2
  const [a, b] = r.repetitions.map((x) => x.latencyMs.p99);
  const half = 12.706204736 * Math.abs(a - b) / 2;
  assert.ok(Math.abs(r.latencyMs.p99 - (a + b) / 2) < 1e-9, 'p99 = mean of the repetitions');
  assert.ok(r.p99CiMs && Math.abs(r.p99CiMs[1] - ((a + b) / 2 + half)) < 1e-6 && Math.abs(r.p99CiMs[0] - Math.max(0, (a + b) / 2 - half)) < 1e-6, `CI ${r.p99CiMs} vs ${(a + b) / 2} ± ${half}`);
  assert.ok(Object.keys(r.batchSizes).every((s) => Number(s) >= 1 && Number(s) <= 4));
  // every input as fed is stored with the run (ocr-cls: one float image tensor, synthesized)
  assert.match(r.inputsFed ?? '', /^x float32\[1,3,48,192\] \(random floats in \[/);
  assert.ok(r.overhead.bareMsPerRequest > 0 && r.overhead.servedMsPerRequest > 0);
  const row = ctx.store.getRunRow(r.runId);
  assert.equal(row.kind, 'load');
  assert.equal(row.status, 'completed');
  assert.equal((row.spec as { seed: number }).seed, 3);
  assert.equal((row.spec as { schedule: { arrival: string } }).schedule.arrival, 'poisson');
  assert.equal((row.result as { runId: string }).runId, r.runId);
  assert.ok(ctx.store.listRuns({ kind: 'load' }).some((x) => x.id === r.runId));
});

test('a generated model (mlp-tiny) overloaded: latency from the scheduled arrival grows with the queue', async () => {
  const s = await server('mlp-tiny', 1);
  try {
    const batcher = { maxBatch: 1, maxDelayMs: 0, instances: 1 };
    // every request is scheduled at t=0..1 ms: all but the first wait for the ones before them
    const burst = new Float64Array(300).map((_, i) => i * 0.001);
    const run = await s.runSchedule(burst, { batcher, drainLimitMs: 10_000 });
    const rep = summarizeRepetition(burst, run, 0, 1, 1);
    assert.equal(rep.completed, 300);
    const lat = Array.from(run.raw.doneMs, (d, i) => d - burst[i]);
    // served FIFO: a later request in the burst completes no earlier, so its latency is larger
    assert.ok(lat[299] > lat[0] && lat[150] > lat[0]);
    assert.ok(lat[299] >= run.raw.batchRunMs.reduce((a, b) => a + b, 0) * 0.99 - 1, 'the last request waited for (about) every run before it');
    assert.ok(rep.queueWaitMs.p99 > rep.queueWaitMs.p50 || rep.queueWaitMs.p50 > 0);
  } finally {
    await s.close();
  }
});

test('with a max queue delay, batches grow with load; a tiny max queue rejects', async () => {
  const s = await server('mlp-tiny', 8);
  try {
    const batcher = { maxBatch: 8, maxDelayMs: 3, instances: 1 };
    const light = generateArrivalsForDurationMs({ kind: 'poisson', ratePerSec: 50 }, 1500, 1);
    const heavy = generateArrivalsForDurationMs({ kind: 'poisson', ratePerSec: 3000 }, 1500, 1);
    const l = summarizeRepetition(light, await s.runSchedule(light, { batcher, drainLimitMs: 5000 }), 0, 1, 1);
    const h = summarizeRepetition(heavy, await s.runSchedule(heavy, { batcher, drainLimitMs: 5000 }), 0, 1, 1);
    assert.ok(h.meanBatchSize > l.meanBatchSize, `mean batch ${h.meanBatchSize} at 3000/s vs ${l.meanBatchSize} at 50/s`);
    assert.ok(Object.keys(h.batchSizes).every((x) => Number(x) <= 8));

    // 200 requests at once into a queue of 2: most are rejected, none is lost
    const burst = new Float64Array(200);
    const r = summarizeRepetition(burst, await s.runSchedule(burst, { batcher: { maxBatch: 1, maxDelayMs: 0, maxQueue: 2, instances: 1 }, drainLimitMs: 5000 }), 0, 1, 1);
    assert.ok(r.rejected >= 150, `rejected ${r.rejected}`);
    assert.equal(r.completed + r.rejected, 200);
    // a queue timeout of 0 ms drops whatever had to wait
    const t = summarizeRepetition(burst, await s.runSchedule(burst, { batcher: { maxBatch: 1, maxDelayMs: 0, timeoutMs: 0.0001, instances: 1 }, drainLimitMs: 5000 }), 0, 1, 1);
    assert.ok(t.timedOut > 0);
    assert.equal(t.completed + t.timedOut, 200);
  } finally {
    await s.close();
  }
});

test('the serving overhead probe compares the dispatch path with a bare run() loop', async () => {
  const s = await server('mlp-tiny', 1);
  try {
    const p = await s.probeOverhead(1, 30, 2);
    assert.ok(p.servedMsPerRequest > 0 && p.bareMsPerRequest > 0 && p.runMsInServer > 0);
    assert.ok(p.overheadMs >= 0);
    assert.ok(p.servedMsPerRequest >= p.runMsInServer, 'dispatch → completion includes the run itself');
  } finally {
    await s.close();
  }
});

test('two instances serve concurrently and a bad input pin is an actionable error', async () => {
  const s = await server('mlp-tiny', 2, 2);
  try {
    const sched = generateArrivalsForDurationMs({ kind: 'poisson', ratePerSec: 500 }, 800, 2);
    const run = await s.runSchedule(sched, { batcher: { maxBatch: 2, maxDelayMs: 0, instances: 2 }, drainLimitMs: 5000 });
    assert.deepEqual([...new Set(run.raw.batchInstance)].sort(), [0, 1]);
  } finally {
    await s.close();
  }
  const bad = loadSpecSchema.parse({ model: 'ocr-cls', rate: 10, seconds: 0.5, inputs: [{ name: 'nope', value: 1 }] });
  await assert.rejects(runLoad(ctx, bad), (e: Error & { kind?: string }) => e.kind === 'invalid-input' && /nope/.test(e.message));
});
