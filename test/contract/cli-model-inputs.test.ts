// Models that would load wrong or not at all: an operator onnxruntime does not implement is refused
// by `models add` (op and domain named) and flagged by `models inspect`; inputs whose value picks a
// branch get the graph's constant (or are refused until pinned); token ids are drawn from the Gather
// table the graph reads; and every point stores the inputs it was fed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { copyFileSync, writeFileSync } from 'node:fs';
import { json, runCli, tempDir, QUICK, ROOT } from '../helpers/cli.ts';
import { ELEM, encodeModel, floatTensor, graph, int64Tensor, model, node, valueInfo } from '../../main/engine/onnx/protoBuild.ts';

const dir = tempDir('kneepoint-model-inputs-');
const db = join(dir, 'kp.db');
const env = { KNEEPOINT_DATA_DIR: join(dir, 'data') };
const cli = (args: string[]) => runCli(['--db', db, ...args], env);

const unknownStd = join(dir, 'unknown-std-op.onnx');
writeFileSync(unknownStd, encodeModel(model(graph({
  nodes: [node('FrobnicateTensor', ['x'], ['y'])],
  inputs: [valueInfo('x', ELEM.FLOAT, ['N', 4])], outputs: [valueInfo('y', ELEM.FLOAT, ['N', 4])],
}), { opset: 17 })));
const unknownCustom = join(dir, 'unknown-custom-op.onnx');
writeFileSync(unknownCustom, encodeModel(model(graph({
  nodes: [node('Relu', ['x'], ['r']), node('Frob', ['r'], ['y'], [], { domain: 'com.example' })],
  inputs: [valueInfo('x', ELEM.FLOAT, ['N', 4])], outputs: [valueInfo('y', ELEM.FLOAT, ['N', 4])],
}), { opset: 17, extraOpsets: { 'com.example': 1 } })));

for (const [file, op, domain] of [[unknownStd, 'FrobnicateTensor', 'ai.onnx'], [unknownCustom, 'Frob', 'com.example']] as const) {
  test(`models add refuses a model with an operator onnxruntime lacks (${domain}), naming op and domain; inspect warns`, async () => {
    const add = await cli(['models', 'add', file]);
    assert.equal(add.code, 2, add.stderr);
    assert.match(add.stderr, new RegExp(`no implementation of the operator ${op} \\(domain ${domain.replace('.', '\\.')}\\).*it was not added`));
    const list = await cli(['models', '--json']);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(json(list).some((m: { source: string }) => m.source === 'user'), false, 'nothing was registered');

    const inspect = await cli(['models', 'inspect', file]);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.match(inspect.stdout, /FLOPs\/sample unknown/);
    assert.doesNotMatch(inspect.stdout, /FLOPs\/sample 0\b/);
    assert.match(inspect.stdout, new RegExp(`warning +onnxruntime .* cannot run this model: it has no implementation of the operator ${op}`));
    const asJson = json(await cli(['models', 'inspect', file, '--json']));
    assert.equal(asJson.flopsPerSample, null);
  });
}

test('silero VAD by path: sr (Equal → If) defaults to the 16000 the graph compares with, inspect says so, the run stores it', async () => {
  const vad = join(dir, 'vad-by-path.onnx');
  copyFileSync(join(ROOT, 'models', 'real', 'silero-vad.onnx'), vad);
  const inspect = await cli(['models', 'inspect', vad]);
  assert.equal(inspect.code, 0, inspect.stderr);
  assert.match(inspect.stdout, /warning +input sr selects a branch \(Equal → If on sr == 16000\): it is fed 16000/);

  const sweep = await cli(['sweep', '--model', vad, '--batch', '1', '--input', 'input=shape:N,512', ...QUICK, '--json']);
  assert.equal(sweep.code, 0, sweep.stderr);
  const run = json(sweep);
  assert.notEqual(run.points[0].status, 'failed', run.points[0].error);
  assert.match(run.points[0].inputsFed, /sr int64\[\] \(value 16000\)/);
  assert.match(run.points[0].inputsFed, /input float32\[1,512\] \(random floats in \[0, 1\]\)/);
  // stored with the run, not only printed
  const shown = json(await cli(['show', run.runId, '--json']));
  assert.equal(shown.points[0].inputsFed, run.points[0].inputsFed);
  // a user's pin still wins
  const pinned = json(await cli(['sweep', '--model', vad, '--batch', '1', '--input', 'input=shape:N,256', '--input', 'sr=8000', ...QUICK, '--json']));
  assert.match(pinned.points[0].inputsFed, /sr int64\[\] \(value 8000\)/);
});

test('an input compared with several constants before a Where is refused until pinned, then measured', async () => {
  const file = join(dir, 'mode-select.onnx');
  writeFileSync(file, encodeModel(model(graph({
    nodes: [
      node('Equal', ['mode', 'one'], ['is1']), node('Equal', ['mode', 'two'], ['is2']), node('Or', ['is1', 'is2'], ['cond']),
      node('Where', ['cond', 'x', 'zeros'], ['y']),
    ],
    inputs: [valueInfo('x', ELEM.FLOAT, ['N', 4]), valueInfo('mode', ELEM.INT64, [])],
    outputs: [valueInfo('y', ELEM.FLOAT, ['N', 4])],
    initializers: [int64Tensor('one', [], [1]), int64Tensor('two', [], [2]), floatTensor('zeros', [1, 4], [0, 0, 0, 0])],
  }), { opset: 17 })));
  const inspect = await cli(['models', 'inspect', file]);
  assert.match(inspect.stdout, /warning +input mode decides which computation runs \(Equal → Where; the graph compares it with 1, 2\): sweeps refuse it until it is pinned/);
  const refused = await cli(['sweep', '--model', file, '--batch', '1', ...QUICK]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /input mode decides which computation runs .* Pin it to the value used in production with --input mode=VALUE/);
  const ok = await cli(['sweep', '--model', file, '--batch', '1', '--input', 'mode=2', ...QUICK, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(json(ok).points[0].inputsFed, /mode int64\[\] \(value 2\)/);
});

test('token ids feeding a Gather are drawn from its table; an out-of-range pin gets a hint sized from the table', async () => {
  const rows = 50;
  const file = join(dir, 'embed-50.onnx');
  writeFileSync(file, encodeModel(model(graph({
    nodes: [node('Gather', ['table', 'ids'], ['y'])],
    inputs: [valueInfo('ids', ELEM.INT64, ['N', 8])],
    outputs: [valueInfo('y', ELEM.FLOAT, ['N', 8, 4])],
    initializers: [floatTensor('table', [rows, 4], Array.from({ length: rows * 4 }, (_, i) => i / 100))],
  }), { opset: 17 })));
  // the old default (ids 0…99) would index past the 50 rows
  const ok = await cli(['sweep', '--model', file, '--batch', '1', ...QUICK, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.notEqual(json(ok).points[0].status, 'failed', json(ok).points[0].error);
  assert.match(json(ok).points[0].inputsFed, new RegExp(`ids int64\\[1,8\\] \\(random integers in \\[0, ${rows - 1}\\]\\)`));

  const bad = await cli(['sweep', '--model', file, '--batch', '1', '--input', 'ids=range:0,30521', ...QUICK]);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, new RegExp(`pin --input ids=range:0,${rows - 1}`));
  assert.doesNotMatch(bad.stderr, /range:0,30521 \(integer ids\)/);
});

test('addModel upload form: a model with an operator onnxruntime lacks is refused under the name the person picked, and its copy removed', async () => {
  const { createEngine } = await import('../../main/engine/api.ts');
  const { readdirSync, existsSync, readFileSync } = await import('node:fs');
  const dataDir = join(dir, 'upload-data');
  const engine = await createEngine({ dbPath: join(dir, 'upload.db'), dataDir });
  try {
    const err = await engine.addModel({ fileName: 'my-model.onnx', base64: readFileSync(unknownCustom).toString('base64') }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error);
    assert.equal((err as { kind?: string }).kind, 'invalid-input');
    assert.match(err.message, /^my-model\.onnx: onnxruntime .* no implementation of the operator Frob \(domain com\.example\).*it was not added/);
    const models = join(dataDir, 'models');
    assert.deepEqual(existsSync(models) ? readdirSync(models) : [], [], 'the uploaded copy was removed');
    assert.equal((await engine.listModels()).some((m) => m.source === 'user'), false);
  } finally { await engine.close(); }
});
