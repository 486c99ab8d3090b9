// Inspection of the real pre-trained models: what the file declares, what propagation works out,
// and agreement with what onnxruntime actually produces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { inspectOnnxFile } from '../../main/engine/onnx/inspect.ts';
import { loadOnnxModel } from '../../main/engine/onnx/parseModel.ts';
import { graphInputs, tensorInfo } from '../../main/engine/onnx/inspect.ts';
import { concreteInputShapes, detectBatchLayout } from '../../main/engine/onnx/inputShapes.ts';
import { propagateShapes } from '../../main/engine/onnx/shapePropagation.ts';
import { readCatalog, realModelPath, defaultRoot } from '../../main/engine/models/catalog.ts';

const root = defaultRoot();
const catalog = readCatalog(root);
const entry = (id: string) => catalog.find((m) => m.id === id)!;
const pathOf = (id: string) => {
  const p = realModelPath(root, id);
  assert.ok(existsSync(p), `${p} is missing: run \`npx node scripts/fetch-models.mjs\` first`);
  return p;
};

describe('inspection of real models', () => {
  it('reads PP-OCRv4 detection: dynamic batch/H/W, opset 11, weights held in Constant nodes', async () => {
    const info = await inspectOnnxFile(pathOf('ocr-det'), { pins: entry('ocr-det').defaultPins });
    assert.equal(info.inputs.length, 1);
    const [x] = info.inputs;
    assert.equal(x.name, 'x');
    assert.equal(x.type, 'float32');
    assert.equal(x.shape.length, 4);
    assert.equal(typeof x.shape[0], 'string');
    assert.equal(x.shape[1], 3);
    assert.equal(typeof x.shape[2], 'string');
    assert.equal(typeof x.shape[3], 'string');
    assert.deepEqual(info.batchDims, { x: 0 });
    assert.equal(info.dynamicBatch, true);
    assert.deepEqual(info.opsets, [{ domain: 'ai.onnx', version: 11 }]);
    assert.ok(info.opHistogram!.Conv > 50, `expected many Convs, got ${info.opHistogram!.Conv}`);
    assert.ok(info.opHistogram!.ConvTranspose >= 1);
    // paddle2onnx stores weights as Constant nodes: no initializers, yet ~1.2 M parameters
    const { model } = await loadOnnxModel(pathOf('ocr-det'));
    assert.equal(model.graph!.initializer.length, 0);
    assert.ok(info.params > 1_000_000 && info.params < 1_300_000, `params ${info.params}`);
    assert.ok(info.paramBytes! > 0.95 * info.bytes && info.paramBytes! < info.bytes, 'weights are nearly the whole file');
    assert.equal(info.bytes, entry('ocr-det').bytes);
    assert.equal(info.sha256, entry('ocr-det').sha256);
    assert.deepEqual(info.shapesForFlops, { x: [1, 3, 320, 320] });
    assert.ok(info.flopsPerSample! > 1e9, `det at 320x320 is over a GFLOP, got ${info.flopsPerSample}`);
  });

  it('reads PP-OCRv4 recognition as [N,3,48,W] at opset 9 with a 6625-class output', async () => {
    const info = await inspectOnnxFile(pathOf('ocr-rec'), { pins: entry('ocr-rec').defaultPins });
    const [x] = info.inputs;
    assert.deepEqual(x.shape.slice(1, 3), [3, 48]);
    assert.equal(typeof x.shape[3], 'string');
    assert.equal(info.outputs[0].shape[2], 6625);
    assert.deepEqual(info.opsets, [{ domain: 'ai.onnx', version: 9 }]);
    assert.ok(info.flopsByOpType.MatMul > 0 && info.flopsByOpType.Conv > 0, 'SVTR neck has attention MatMuls and a conv backbone');
  });

  it('without a pin for the dynamic H/W, FLOPs are unknown and the note says what to pin', async () => {
    const info = await inspectOnnxFile(pathOf('ocr-det'));
    assert.equal(info.flopsPerSample, null);
    assert.match(info.flopsNote!, /pin a shape/);
    assert.deepEqual(info.shapesForFlops, { x: null });
  });

  it('finds Silero VAD batch dims across inputs and counts ops inside its If branches', async () => {
    const info = await inspectOnnxFile(pathOf('silero-vad'), { pins: entry('silero-vad').defaultPins });
    assert.deepEqual(
      info.inputs.map((t) => [t.name, t.type]),
      [['input', 'float32'], ['sr', 'int64'], ['h', 'float32'], ['c', 'float32']],
    );
    assert.deepEqual(info.inputs[1].shape, []);
    assert.deepEqual(info.batchDims, { input: 0, sr: null, h: 1, c: 1 });
    assert.equal(info.dynamicBatch, true);
    assert.equal(info.opHistogram!.If >= 1, true);
    // the LSTM and the Convs only exist inside the If subgraphs
    const { model } = await loadOnnxModel(pathOf('silero-vad'));
    assert.equal(model.graph!.node.some((n) => n.opType === 'LSTM'), false);
    assert.ok(info.opHistogram!.LSTM >= 1);
    assert.ok(info.opHistogram!.Conv >= 1);
    // sr = 16000 resolves the If, so the branch that runs is counted, LSTM included
    assert.ok(info.flopsPerSample! > 0);
    assert.ok(info.flopsByOpType.LSTM > 0);
  });

  it('reports Silero FLOPs as unknown when sr is not pinned (the If branch cannot be chosen)', async () => {
    const info = await inspectOnnxFile(pathOf('silero-vad'), { pins: [{ name: 'input', shape: ['N', 1536] }] });
    assert.equal(info.flopsPerSample, null);
    assert.match(info.flopsNote!, /inside If/);
  });

  it('reads the openWakeWord models (named and tf2onnx "unk__" batch dims)', async () => {
    const mel = await inspectOnnxFile(pathOf('oww-melspec'), { pins: entry('oww-melspec').defaultPins });
    assert.deepEqual(mel.batchDims, { input: 0 });
    assert.deepEqual(mel.inputs[0].shape, ['batch_size', 'samples']);
    const emb = await inspectOnnxFile(pathOf('oww-embedding'));
    assert.deepEqual(emb.inputs[0].shape.slice(1), [76, 32, 1]);
    assert.deepEqual(emb.batchDims, { input_1: 0 });
    assert.ok(emb.flopsPerSample! > 0, 'fixed non-batch dims need no pins');
  });

  it('propagates output shapes that match what onnxruntime produces, at batch 1 and 3', async () => {
    for (const m of catalog) {
      const path = pathOf(m.id);
      const { model } = await loadOnnxModel(path);
      const inputs = graphInputs(model.graph!).map(tensorInfo);
      const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1 });
      for (const batch of [1, 3]) {
        const shapes = concreteInputShapes(inputs, detectBatchLayout(inputs), m.defaultPins, batch);
        const values = new Map(m.defaultPins.filter((p) => p.value !== undefined).map((p) => [p.name, [p.value!]]));
        const opset = Number(model.opsetImport.find((o) => o.domain === '')!.version);
        const { facts } = propagateShapes(model.graph!, shapes, opset, values);
        const feeds: Record<string, ort.Tensor> = {};
        for (const t of inputs) {
          const shape = shapes.get(t.name)!;
          const n = shape.reduce((a, b) => a * b, 1);
          const pin = m.defaultPins.find((p) => p.name === t.name);
          feeds[t.name] =
            t.type === 'int64'
              ? new ort.Tensor('int64', new BigInt64Array(n).fill(BigInt(pin?.value ?? 0)), shape)
              : new ort.Tensor('float32', new Float32Array(n).fill(0.1), shape);
        }
        const out = await session.run(feeds);
        for (const o of model.graph!.output) {
          assert.deepEqual(facts.get(o.name)?.shape, [...out[o.name].dims], `${m.id} ${o.name} at batch ${batch}`);
        }
      }
      await session.release();
    }
  });
});
