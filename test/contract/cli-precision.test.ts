// Precision, providers and session options as sweep axes, with the accuracy guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { json, runCli, tempDir, QUICK } from '../helpers/cli.ts';

const dir = tempDir();
const env = { KNEEPOINT_DATA_DIR: join(dir, 'data') };
const cli = (...args: string[]) => runCli(['--db', join(dir, 'kp.db'), ...args], env);

test('a generated MLP swept over fp32, fp16 and int8 gives three variants with accuracy figures; int8 stays within budget', async () => {
  const r = await cli('sweep', '--model', 'mlp-small', '--batch', '8', '--precision', 'fp32,fp16,int8', ...QUICK, '--json');
  assert.equal(r.code, 0, r.stderr);
  const points = json(r).points;
  assert.deepEqual(points.map((p: any) => p.config.precision), ['fp32', 'fp16', 'int8']);
  for (const p of points) assert.notEqual(p.status, 'failed', p.error);
  assert.equal(points[0].accuracy, undefined, 'fp32 is the reference');
  for (const p of points.slice(1)) {
    for (const k of ['maxAbsErr', 'meanAbsErr', 'cosine']) assert.equal(typeof p.accuracy[k], 'number', k);
    assert.equal(p.accuracy.withinBudget, true, `${p.config.precision}: ${JSON.stringify(p.accuracy)}`);
    assert.equal(p.providerUsed, 'cpu');
  }
  assert.ok(points[2].accuracy.cosine > 0.99);
});

test('int8 on the mel-spectrogram is flagged by the accuracy guard', async () => {
  const r = await cli('sweep', '--model', 'oww-melspec', '--batch', '1', '--precision', 'int8', ...QUICK, '--json');
  assert.equal(r.code, 0, r.stderr);
  const [p] = json(r).points;
  assert.equal(p.config.precision, 'int8');
  assert.equal(p.accuracy.withinBudget, false, JSON.stringify(p.accuracy));
  const human = await cli('show', json(r).runId);
  assert.match(human.stdout, /OVER the accuracy budget/);
});

test('int8 on an opset-9 real model (OCR recognition) runs through the contrib op', async () => {
  const r = await cli('sweep', '--model', 'ocr-rec', '--batch', '1', '--precision', 'int8', ...QUICK, '--json');
  assert.equal(r.code, 0, r.stderr);
  const [p] = json(r).points;
  assert.notEqual(p.status, 'failed', p.error);
  assert.ok(p.accuracy.cosine > 0.99, JSON.stringify(p.accuracy));
});

test('session options become axes and a profiled point carries its per-operator breakdown', async () => {
  const r = await cli('sweep', '--model', 'mlp-tiny', '--batch', '4', '--graph-opt', 'disabled,all', '--spinning', 'off', '--profile', ...QUICK, '--json');
  assert.equal(r.code, 0, r.stderr);
  const points = json(r).points;
  assert.deepEqual(points.map((p: any) => p.config.sessionOptions.graphOptimizationLevel), ['disabled', 'all']);
  for (const p of points) {
    assert.equal(p.config.sessionOptions.spinning, false);
    assert.ok(p.profile.byOpType.length > 0, 'per-op-type times');
    assert.ok(p.profile.topNodes.length > 0 && p.profile.topNodes.length <= 10);
    const pct = p.profile.byOpType.reduce((s: number, o: any) => s + o.pct, 0);
    assert.ok(Math.abs(pct - 100) < 1, `op-type shares add up to 100% (got ${pct})`);
  }
});

test('an unavailable provider yields failed points with an actionable reason while the rest runs', async () => {
  const r = await cli('sweep', '--model', 'mlp-tiny', '--batch', '1,2', '--provider', 'cuda,cpu,coreml', ...QUICK, '--json');
  assert.equal(r.code, 0, r.stderr);
  const points = json(r).points;
  const by = (prov: string) => points.filter((p: any) => p.config.provider === prov);
  assert.equal(by('cpu').length, 2);
  assert.ok(by('cpu').every((p: any) => p.status !== 'failed'));
  for (const p of by('coreml')) {
    assert.equal(p.status, 'failed');
    assert.match(p.error, /coreml is unavailable: .*macOS/);
  }
  for (const p of by('cuda')) if (p.status === 'failed') assert.match(p.error, /npm run setup:cuda/);
});

test('converted variants appear in inspection with their size and FLOPs; a user file registers as the custom precision and sweeps', async () => {
  const swept = await cli('sweep', '--model', 'mlp-tiny', '--batch', '2', '--precision', 'int8', ...QUICK, '--json');
  assert.equal(swept.code, 0, swept.stderr);
  const inspected = json(await cli('models', 'inspect', 'mlp-tiny', '--json'));
  const int8 = inspected.variants.find((v: any) => v.precision === 'int8');
  assert.ok(int8, JSON.stringify(inspected.variants));
  assert.ok(int8.bytes > 0 && int8.bytes < inspected.bytes, 'the int8 file is smaller than fp32');
  assert.equal(int8.flopsPerSample, inspected.flopsPerSample);
  // a user's own pre-quantized file (here: that int8 file) registered as the custom variant
  const none = await cli('sweep', '--model', 'mlp-tiny', '--batch', '2', '--precision', 'custom', ...QUICK, '--json');
  assert.equal(json(none).points[0].status, 'failed');
  assert.match(json(none).points[0].error, /models add-variant mlp-tiny PATH/);
  const added = await cli('models', 'add-variant', 'mlp-tiny', int8.path, '--label', 'vendor int8', '--json');
  assert.equal(added.code, 0, added.stderr);
  const r = await cli('sweep', '--model', 'mlp-tiny', '--batch', '2', '--precision', 'fp32,custom', ...QUICK, '--json');
  const custom = json(r).points.find((p: any) => p.config.precision === 'custom');
  assert.notEqual(custom.status, 'failed', custom.error);
  assert.ok(custom.accuracy.cosine > 0.99);
  const bad = await cli('models', 'add-variant', 'mlp-tiny', 'README.md');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /not an ONNX model/);
});
