// Precision, providers and session options as sweep axes, with the accuracy guard (issue 3).
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
