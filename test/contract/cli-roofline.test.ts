// `kneepoint roofline` on a real sweep of a shipped model: the machine's roofs measured once
// through onnxruntime and stored by fingerprint; every figure finite and below the measured peak;
// a run whose model FLOPs are unknown says so instead of showing 0.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { json, runCli, tempDir, QUICK, ROOT } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];

let sweep: any;
let first: any;
before(async () => {
  const r = await runCli(withDb('sweep', '--model', 'mlp-small', '--batch', '1,8', ...QUICK, '--json'));
  assert.equal(r.code, 0, r.stderr);
  sweep = json(r);
  const f = await runCli(withDb('roofline', sweep.runId, '--json'));
  assert.equal(f.code, 0, f.stderr);
  first = json(f);
});

test('achieved GFLOP/s per point is finite, positive and below the measured peak', () => {
  const peak = first.peak;
  assert.ok(peak.peakGflopsPerSec > 0 && Number.isFinite(peak.peakGflopsPerSec), JSON.stringify(peak));
  assert.ok(peak.memoryGbPerSec > 0 && Number.isFinite(peak.memoryGbPerSec));
  assert.equal(peak.fingerprint, sweep.hardware.fingerprint);
  assert.equal(first.points.length, 2);
  for (const p of first.points) {
    const point = sweep.points.find((x: any) => x.config.batch === p.batch);
    assert.ok(Math.abs(p.achievedGflopsPerSec - (first.flopsPerSample * point.samplesPerSec) / 1e9) < 1e-6, 'FLOPs/sample × samples/s');
    assert.ok(p.achievedGflopsPerSec > 0 && p.achievedGflopsPerSec < peak.peakGflopsPerSec, `${p.achievedGflopsPerSec} < ${peak.peakGflopsPerSec}`);
    assert.ok(p.shareOfPeak > 0 && p.shareOfPeak < 1);
    assert.ok(Number.isFinite(p.arithmeticIntensity) && p.arithmeticIntensity > 0);
    assert.ok(p.attainableGflopsPerSec <= peak.peakGflopsPerSec);
  }
  // weights are read once per batch: batch 8 has the higher intensity
  const [b1, b8] = [1, 8].map((b) => first.points.find((p: any) => p.batch === b));
  assert.ok(b8.arithmeticIntensity > b1.arithmeticIntensity);
});

test('the peak is measured once per machine and reused', async () => {
  const again = json(await runCli(withDb('roofline', sweep.runId, '--json')));
  assert.equal(again.peak.measuredAt, first.peak.measuredAt);
  const human = await runCli(withDb('roofline', sweep.runId));
  assert.match(human.stdout, /^Machine roofs: [\d.]+ GFLOP\/s peak, [\d.]+ GB\/s memory/);
  assert.match(human.stdout, /share of peak/);
});

test('a run whose model FLOPs are unknown says so instead of showing 0', async () => {
  const imp = await runCli(withDb('import', join(ROOT, 'test', 'fixtures', 'perf_analyzer', 'resnet50_onnx_t4_concurrency.csv'), '--json'));
  assert.equal(imp.code, 0, imp.stderr);
  const r = json(await runCli(withDb('roofline', json(imp).runId, '--json')));
  assert.equal(r.flopsPerSample, null);
  assert.match(r.flopsNote, /FLOPs per sample are unknown/);
  assert.ok(r.points.length > 0);
  for (const p of r.points) { assert.equal(p.achievedGflopsPerSec, null); assert.equal(p.shareOfPeak, null); }
});
