// Generated model families: inspection reproduces the analytic FLOPs and parameter counts, the
// bytes are deterministic, and every shipped size runs in onnxruntime-node with random inputs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { inspectOnnxFile } from '../../main/engine/onnx/inspect.ts';
import { createRng } from '../../main/common/stats/rng.ts';
import { mlpParamCount } from '../../main/engine/onnx/generate/mlp.ts';
import { analyticFlops, buildGenerated, findGenerated, GENERATED_MODELS, recipeSource } from '../../main/engine/onnx/generate/registry.ts';
import { writeGeneratedModels } from '../../main/engine/onnx/generate/writeGenerated.ts';

let root: string;
const pathOf = (id: string) => join(root, 'models', 'generated', `${id}.onnx`);

before(() => {
  root = mkdtempSync(join(tmpdir(), 'kneepoint-gen-'));
  writeGeneratedModels(root);
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('generated model families', () => {
  it('inspection FLOPs equal the analytic count for every shipped size', async () => {
    for (const spec of GENERATED_MODELS) {
      const info = await inspectOnnxFile(pathOf(spec.id), { pins: spec.defaultPins });
      assert.equal(info.flopsPerSample, analyticFlops(spec), spec.id);
      assert.equal(info.dynamicBatch, true, spec.id);
      assert.deepEqual(Object.values(info.batchDims!), [0], spec.id);
      assert.deepEqual(info.opsets, [{ domain: 'ai.onnx', version: 17 }], spec.id);
    }
  });

  it('counts MLP parameters exactly (weights + biases)', async () => {
    for (const id of ['mlp-tiny', 'mlp-small', 'mlp-large']) {
      const spec = findGenerated(id)!;
      assert.equal(spec.recipe.family, 'mlp');
      if (spec.recipe.family !== 'mlp') continue;
      const info = await inspectOnnxFile(pathOf(id));
      assert.equal(info.params, mlpParamCount(spec.recipe.params), id);
      assert.equal(info.paramBytes, info.params * 4, id);
    }
  });

  it('names its source by recipe and keeps the transformer token ids in the vocabulary by default', () => {
    assert.equal(recipeSource(findGenerated('mlp-small')!), 'generated:mlp(width=256,depth=4,features=64)');
    const bert = findGenerated('bert-tiny')!;
    assert.equal(bert.recipe.family, 'transformer');
    if (bert.recipe.family === 'transformer') assert.deepEqual(bert.defaultPins, [{ name: 'input_ids', range: [0, bert.recipe.params.vocab - 1] }]);
  });

  it('writes byte-identical files for the same recipe, and skips up-to-date files', () => {
    const spec = findGenerated('bert-tiny')!;
    assert.deepEqual(buildGenerated(spec), new Uint8Array(readFileSync(pathOf('bert-tiny'))));
    assert.deepEqual(writeGeneratedModels(root), []);
  });

  it('stays within the size budget (each < 30 MB, all < 100 MB)', () => {
    let total = 0;
    for (const spec of GENERATED_MODELS) {
      const bytes = readFileSync(pathOf(spec.id)).length;
      assert.ok(bytes < 30e6, `${spec.id} is ${bytes} bytes`);
      total += bytes;
    }
    assert.ok(total < 100e6, `total ${total} bytes`);
  });

  it('every shipped size runs in onnxruntime-node with random inputs at batch 1 and 3', async () => {
    const rand = createRng(7);
    for (const spec of GENERATED_MODELS) {
      const info = await inspectOnnxFile(pathOf(spec.id), { pins: spec.defaultPins });
      const session = await ort.InferenceSession.create(pathOf(spec.id), { intraOpNumThreads: 1 });
      for (const batch of [1, 3]) {
        const feeds: Record<string, ort.Tensor> = {};
        for (const t of info.inputs) {
          const shape = t.shape.map((d) => (typeof d === 'number' ? d : batch));
          const n = shape.reduce((a, b) => a * b, 1);
          const range = spec.defaultPins.find((p) => p.name === t.name)?.range;
          feeds[t.name] =
            t.type === 'int64'
              ? new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rand() * (range![1] + 1)))), shape)
              : new ort.Tensor('float32', Float32Array.from({ length: n }, () => rand() * 2 - 1), shape);
        }
        const out = await session.run(feeds);
        const y = out[info.outputs[0].name];
        assert.deepEqual(y.dims, [batch, info.outputs[0].shape[1]], spec.id);
        assert.ok([...(y.data as Float32Array)].every(Number.isFinite), `${spec.id} gives finite outputs`);
      }
      await session.release();
    }
  });

  it('rejects token ids outside the vocabulary (why the transformer needs its range pin)', async () => {
    const session = await ort.InferenceSession.create(pathOf('bert-tiny'));
    const ids = new ort.Tensor('int64', new BigInt64Array(64).fill(4096n), [1, 64]);
    await assert.rejects(session.run({ input_ids: ids }));
    await session.release();
  });
});
