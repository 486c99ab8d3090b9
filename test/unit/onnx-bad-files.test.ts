// Bad model files give errors a person can act on (kind 'invalid-input', what is wrong, what to do).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KneepointError } from '../../main/common/errors.ts';
import { inspectOnnxFile } from '../../main/engine/onnx/inspect.ts';
import { SeededGraphBuilder } from '../../main/engine/onnx/generate/seededGraphBuilder.ts';
import { createRng } from '../../main/common/stats/rng.ts';
import { buildGenerated, findGenerated } from '../../main/engine/onnx/generate/registry.ts';

let dir: string;
let good: Uint8Array;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kneepoint-bad-'));
  good = buildGenerated(findGenerated('cnn-small')!);
  writeFileSync(join(dir, 'good.onnx'), good);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function rejectsWith(path: string, pattern: RegExp, pins?: Parameters<typeof inspectOnnxFile>[1]) {
  await assert.rejects(inspectOnnxFile(path, pins), (err: unknown) => {
    assert.ok(err instanceof KneepointError, `expected a KneepointError, got ${String(err)}`);
    assert.equal(err.kind, 'invalid-input');
    assert.match(err.message, pattern);
    return true;
  });
}

describe('bad model files', () => {
  it('a missing file says so and names the path', async () => {
    await rejectsWith(join(dir, 'nope.onnx'), /model file not found: .*nope\.onnx/);
  });

  it('an empty file says it is empty', async () => {
    writeFileSync(join(dir, 'empty.onnx'), '');
    await rejectsWith(join(dir, 'empty.onnx'), /is empty \(0 bytes\).*download it again/);
  });

  it('random bytes are not a valid ONNX model', async () => {
    const rand = createRng(1);
    writeFileSync(join(dir, 'random.onnx'), Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256)));
    await rejectsWith(join(dir, 'random.onnx'), /is not a valid ONNX model .*re-export/);
  });

  it('a truncated file reports the byte where parsing failed', async () => {
    writeFileSync(join(dir, 'truncated.onnx'), good.subarray(0, Math.floor(good.length / 2)));
    await rejectsWith(join(dir, 'truncated.onnx'), /not a valid ONNX model \(protobuf parse failed at byte \d+ of \d+: .*truncated/);
  });

  it('a text file is not a valid ONNX model', async () => {
    writeFileSync(join(dir, 'notes.onnx'), 'this is not a model\n');
    await rejectsWith(join(dir, 'notes.onnx'), /not a valid ONNX model/);
  });

  it('a directory is not a model file', async () => {
    mkdirSync(join(dir, 'folder.onnx'));
    await rejectsWith(join(dir, 'folder.onnx'), /is a directory/);
  });

  it('a pin for an input the model does not have lists the real inputs', async () => {
    await rejectsWith(join(dir, 'good.onnx'), /input pin "pixels" does not match any model input \(inputs: image\)/, {
      pins: [{ name: 'pixels', shape: ['N', 3, 32, 32] }],
    });
  });

  it('a pinned shape of the wrong rank is rejected with both shapes', async () => {
    await rejectsWith(join(dir, 'good.onnx'), /rank 2, but the model declares \[N,3,32,32\]/, { pins: [{ name: 'image', shape: ['N', 3072] }] });
  });

  it('the good file still inspects (the bad cases above are not false alarms)', async () => {
    const info = await inspectOnnxFile(join(dir, 'good.onnx'));
    assert.equal(info.inputs[0].name, 'image');
    assert.equal(readFileSync(join(dir, 'good.onnx')).length, info.bytes);
  });

  it('a model with an op onnxruntime does not know still inspects (the session, not inspection, rejects it)', async () => {
    const g = new SeededGraphBuilder(3);
    const x = g.input('x', 1, ['N', 8]);
    const y = g.op('MatMul', [x, g.weight('w', [8, 4], 8)]);
    g.op('FooBar', [y]);
    g.nodes[g.nodes.length - 1].domain = 'com.acme';
    g.renameLastOutput('y');
    g.output('y', 1, ['N', 4]);
    writeFileSync(join(dir, 'custom-op.onnx'), g.toBytes({ graphName: 'custom', docString: '', metadata: {} }));
    const info = await inspectOnnxFile(join(dir, 'custom-op.onnx'));
    assert.deepEqual(info.opHistogram, { 'com.acme.FooBar': 1, MatMul: 1 });
    assert.equal(info.flopsPerSample, 2 * 8 * 4);
    assert.deepEqual(info.outputs, [{ name: 'y', type: 'float32', shape: ['N', 4] }]);
  });
});
