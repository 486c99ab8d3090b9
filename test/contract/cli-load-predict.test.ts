// `kneepoint load`, `predict` and `validate` through the real CLI on a real SQLite file: the JSON
// shapes, the stored runs, and predict on a stored sweep. Short runs; no timing thresholds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { json, runCli, tempDir, QUICK } from '../helpers/cli.ts';
import { openStore } from '../../main/engine/store/store.ts';
import { serviceModelFromRun } from '../../main/engine/load/serviceCurves.ts';
import { simulate } from '../../main/common/sim/simulate.ts';
import { replicationSeed } from '../../main/common/sim/predict.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];
let sweepId = '';

before(async () => {
  const r = await runCli(withDb('sweep', '--model', 'mlp-tiny', '--batch', '1,2,4', ...QUICK, '--json'));
  assert.equal(r.code, 0, r.stderr);
  sweepId = json(r).runId;
});

function assertLoadShape(r: any) {
  assert.match(r.runId, /^run_/);
  for (const k of ['p50', 'p90', 'p99']) assert.equal(typeof r.latencyMs[k], 'number', `latencyMs.${k}`);
  assert.ok(r.latencyMs.p999 === null || typeof r.latencyMs.p999 === 'number');
  assert.ok(r.p99CiMs === null || (Array.isArray(r.p99CiMs) && r.p99CiMs.length === 2));
  for (const k of ['samplesPerSec', 'requestsPerSec', 'meanBatchSize', 'rejected', 'timedOut', 'overheadMs']) assert.equal(typeof r[k], 'number', k);
  assert.equal(typeof r.valid, 'boolean');
  assert.equal(typeof r.queueWaitMs.p50, 'number');
  assert.equal(typeof r.queueWaitMs.p99, 'number');
  assert.equal(typeof r.generatorLagMs.p99, 'number');
  assert.equal(typeof r.jitter.timerOversleepMs.p99, 'number');
  assert.equal(typeof r.jitterVerdict, 'string');
  for (const [size, count] of Object.entries(r.batchSizes)) assert.ok(Number(size) >= 1 && (count as number) > 0);
}

test('load on a generated model prints the documented JSON and is listed and shown', async () => {
  const r = await runCli(withDb('load', '--model', 'mlp-tiny', '--rate', '300', '--seconds', '1', '--max-batch', '4', '--max-delay-ms', '1',
    '--repeat', '2', '--seed', '5', '--sla', '50', '--json'));
  assert.equal(r.code, 0, r.stderr);
  const out = json(r);
  assertLoadShape(out);
  assert.deepEqual(Object.keys(out).slice(0, 12), ['runId', 'latencyMs', 'p99CiMs', 'samplesPerSec', 'requestsPerSec', 'meanBatchSize', 'batchSizes', 'queueWaitMs', 'generatorLagMs', 'rejected', 'timedOut', 'valid']);
  assert.ok(Array.isArray(out.p99CiMs), 'two repetitions give a CI');
  const runs = json(await runCli(withDb('runs', '--kind', 'load', '--json')));
  assert.ok(runs.some((x: any) => x.id === out.runId && x.kind === 'load' && x.status === 'completed'));
  const shown = json(await runCli(withDb('show', out.runId, '--json')));
  assert.equal(shown.kind, 'load');
  assert.equal(shown.result.runId, out.runId);
  assert.equal(shown.spec.seed, 5);
});

test('load on a shipped real model (silero-vad) with a constant schedule and a trace file', async () => {
  const r = await runCli(withDb('load', '--model', 'silero-vad', '--rate', '100', '--arrival', 'constant', '--seconds', '1', '--json'));
  assert.equal(r.code, 0, r.stderr);
  assertLoadShape(json(r));
  const trace = join(dir, 'trace.csv');
  writeFileSync(trace, 'arrival_ms\n0\n3\n4\n20\n21\n22\n40\n');
  const t = await runCli(withDb('load', '--model', 'silero-vad', '--rate', '200', '--arrival', `trace:${trace}`, '--seconds', '0.5', '--json'));
  assert.equal(t.code, 0, t.stderr);
  assertLoadShape(json(t));
});

test('predict on a stored sweep prints the documented JSON in load units', async () => {
  const r = await runCli(withDb('predict', '--run', sweepId, '--rate', '500', '--arrival', 'gamma:1.5', '--max-batch', '4', '--max-delay-ms', '1', '--instances', '1', '--json'));
  assert.equal(r.code, 0, r.stderr);
  const p = json(r);
  for (const k of ['p50', 'p90', 'p99']) assert.equal(typeof p.latencyMs[k], 'number');
  assert.ok(p.latencyMs.p50 <= p.latencyMs.p99);
  assert.equal(p.p99Ms, p.latencyMs.p99);
  // the band for a future measurement contains the simulator's own replication interval
  assert.ok(p.p99BandMs[0] <= p.p99CiMs[0] && p.p99CiMs[1] <= p.p99BandMs[1], `band ${p.p99BandMs} vs CI ${p.p99CiMs}`);
  for (const k of ['samplesPerSec', 'meanBatchSize', 'utilization']) assert.equal(typeof p[k], 'number', k);
  assert.ok(p.meanBatchSize >= 1 && p.meanBatchSize <= 4);
  // the load run above stored a serving calibration for mlp-tiny on this machine
  assert.ok(p.calibration.overheadMs >= 0);
  assert.match(p.calibration.source, /load run|validate run/);
});

test('predict through the CLI equals the simulator driven directly, and its CI is the t-interval of the replications', async () => {
  // fixed overhead, no machine noise: the prediction is then a pure function of the stored sweep
  const r = await runCli(withDb('predict', '--run', sweepId, '--rate', '400', '--max-batch', '4', '--max-delay-ms', '1', '--overhead-ms', '0.05',
    '--no-jitter', '--replications', '3', '--requests', '5000', '--seed', '7', '--json'));
  assert.equal(r.code, 0, r.stderr);
  const p = json(r);
  const store = openStore(db);
  try {
    const run = store.getRunResult(sweepId);
    const { model } = serviceModelFromRun(run, { instances: 1 }, { overheadMs: 0.05, source: 'test' });
    const p99s = [0, 1, 2].map((i) => simulate({
      arrival: { kind: 'poisson', ratePerSec: 400 }, batcher: { maxBatch: 4, maxDelayMs: 1, instances: 1 }, service: model, requests: 5000, seed: replicationSeed(7, i),
    }).latencyMs.p99);
    const mean = (p99s[0] + p99s[1] + p99s[2]) / 3;
    const sd = Math.sqrt(p99s.reduce((a, x) => a + (x - mean) ** 2, 0) / 2);
    const half = 4.302652730 * sd / Math.sqrt(3); // t(0.975, 2), from a table, not from the code under test
    assert.ok(Math.abs(p.latencyMs.p99 - mean) < 1e-9, `CLI p99 ${p.latencyMs.p99} vs direct ${mean}`);
    assert.ok(Math.abs(p.p99CiMs[0] - Math.max(0, mean - half)) < 1e-6 && Math.abs(p.p99CiMs[1] - (mean + half)) < 1e-6, `CI ${p.p99CiMs} vs ${mean} ± ${half}`);
  } finally {
    store.close();
  }
});

test('predict rejects what it cannot answer with exit code 2 and a reason', async () => {
  const noInst = await runCli(withDb('predict', '--run', sweepId, '--rate', '10', '--instances', '3', '--json'));
  assert.equal(noInst.code, 2);
  assert.match(noInst.stderr, /no measured points with 3 instance/);
  const missing = await runCli(withDb('predict', '--run', 'run_nope', '--rate', '10'));
  assert.equal(missing.code, 2);
  const badArrival = await runCli(withDb('load', '--model', 'mlp-tiny', '--rate', '10', '--arrival', 'bursty'));
  assert.equal(badArrival.code, 2);
});

test('validate runs end to end on a generated model and stores the comparison', async () => {
  const r = await runCli(withDb('validate', '--model', 'mlp-tiny', '--quick', '--batches', '1,4', '--max-batch', '4', '--loads', '0.3,0.7',
    '--seconds', '0.6', '--json'));
  assert.equal(r.code, 0, r.stderr);
  const v = json(r);
  assert.equal(v.rows.length, 4);
  for (const row of v.rows) {
    assert.equal(typeof row.predicted.p99Ms, 'number');
    assert.equal(typeof row.measured.p99Ms, 'number');
    assert.equal(typeof row.p99ErrorPct, 'number');
  }
  assert.equal(typeof v.summary.medianAbsP99ErrorPct, 'number');
  assert.ok(v.summary.worstOptimisticP99ErrorPct <= 0);
  assert.equal(typeof v.capacity.predictedPerSec, 'number');
  const shown = json(await runCli(withDb('show', v.runId, '--json')));
  assert.equal(shown.kind, 'validate');
  // a validate run can feed predict (its sweep)
  const p = await runCli(withDb('predict', '--run', v.runId, '--rate', '100', '--json'));
  assert.equal(p.code, 0, p.stderr);
});
