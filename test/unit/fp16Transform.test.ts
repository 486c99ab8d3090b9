import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import type { GraphProto, ModelProto, NodeProto } from 'onnx-buf';
import { convertToFp16, convertWeightsToFp16 } from '../../main/engine/onnx/fp16.ts';
import { declaredElemType, ELEM } from '../../main/engine/onnx/protoBuild.ts';
import { subgraphsOf } from '../../main/engine/onnx/protoAccess.ts';
import { compareOutputs } from '../../main/engine/measure/accuracy.ts';
import { constantWeightsMlp, floatFeed, mlpModel, resizeModel, runModel, subgraphModel } from './precisionFixtures.ts';

function allGraphs(g: GraphProto, out: GraphProto[] = []): GraphProto[] {
  out.push(g);
  for (const n of g.node) for (const s of subgraphsOf(n)) allGraphs(s, out);
  return out;
}

function floatTypesOf(m: ModelProto): { initializers: number[]; constants: number[] } {
  const initializers: number[] = [];
  const constants: number[] = [];
  for (const g of allGraphs(m.graph!)) {
    for (const t of g.initializer) if (t.dataType === ELEM.FLOAT || t.dataType === ELEM.FLOAT16) initializers.push(t.dataType);
    for (const n of g.node) {
      const t = n.opType === 'Constant' ? n.attribute[0]?.t : undefined;
      if (t && (t.dataType === ELEM.FLOAT || t.dataType === ELEM.FLOAT16)) constants.push(t.dataType);
    }
  }
  return { initializers, constants };
}

async function assertMatches(ref: ModelProto, variant: ModelProto, feeds: Record<string, ort.Tensor>, maxAbs: number) {
  const a = await runModel(ref, feeds);
  const b = await runModel(variant, feeds);
  for (const name of Object.keys(a)) assert.equal(b[name].type, a[name].type, `output ${name} keeps its type`);
  const acc = compareOutputs(a, b, { minCosine: 0.999, minTop1Agreement: 0.95, maxAbsErr: maxAbs });
  assert.ok(acc.withinBudget, `fp16 outputs within ${maxAbs}: ${JSON.stringify(acc)}`);
  assert.ok(acc.maxAbsErr > 0 || maxAbs === 0, 'the variant really computed with fp16 weights');
}

describe('convertToFp16', () => {
  it('converts a MatMul/Gemm MLP: weights fp16, graph I/O float32, outputs match fp32', async () => {
    const m = mlpModel();
    const h = convertToFp16(m);
    const types = floatTypesOf(h);
    assert.ok(types.initializers.length === 5 && types.initializers.every((t) => t === ELEM.FLOAT16));
    assert.equal(declaredElemType(h.graph!.input[0]), ELEM.FLOAT);
    assert.equal(declaredElemType(h.graph!.output[0]), ELEM.FLOAT);
    assert.equal(h.graph!.valueInfo.length, 0);
    assert.equal(m.graph!.initializer[0].dataType, ELEM.FLOAT, 'the input model is left untouched');
    await assertMatches(m, h, { x: floatFeed([8, 64], 1, 11) }, 0.05);
  });

  it('converts weights held in Constant nodes (value and value_float), opset 9', async () => {
    const m = constantWeightsMlp(9);
    const h = convertToFp16(m);
    const types = floatTypesOf(h);
    assert.equal(types.initializers.length, 0);
    assert.ok(types.constants.length === 4 && types.constants.every((t) => t === ELEM.FLOAT16), JSON.stringify(types));
    await assertMatches(m, h, { x: floatFeed([4, 64], 1, 12) }, 0.05);
  });

  it('converts If/Loop subgraphs recursively and both branches run', async () => {
    const m = subgraphModel();
    const h = convertToFp16(m);
    const graphs = allGraphs(h.graph!);
    assert.equal(graphs.length, 4, 'main, then, else, loop body');
    for (const g of graphs.slice(1)) {
      for (const v of [...g.input, ...g.output]) assert.notEqual(declaredElemType(v), ELEM.FLOAT, `${g.name}.${v.name} is no longer float32`);
    }
    assert.ok(floatTypesOf(h).initializers.every((t) => t === ELEM.FLOAT16));
    for (const cond of [true, false]) {
      const feeds = { x: floatFeed([2, 4], 1, 13), cond: new ort.Tensor('bool', [cond], []) };
      await assertMatches(m, h, feeds, 0.02);
    }
  });

  it('keeps Resize scales float32 (constant and computed), runs Range in float32, and matches', async () => {
    const m = resizeModel();
    const h = convertToFp16(m);
    const g = h.graph!;
    const producers = new Map<string, NodeProto>();
    for (const n of g.node) for (const o of n.output) producers.set(o, n);
    for (const resize of g.node.filter((n) => n.opType === 'Resize')) {
      const scales = resize.input[2];
      const init = g.initializer.find((t) => t.name === scales);
      const p = producers.get(scales);
      const isFloat32 = init ? init.dataType === ELEM.FLOAT : p?.opType === 'Cast' && Number(p.attribute[0].i) === ELEM.FLOAT;
      assert.ok(isFloat32, `Resize ${resize.output[0]} scales "${scales}" are float32`);
    }
    const range = g.node.find((n) => n.opType === 'Range')!;
    for (const i of range.input) {
      const init = g.initializer.find((t) => t.name === i);
      assert.ok(init ? init.dataType === ELEM.FLOAT : producers.get(i)?.opType === 'Cast', `Range input ${i} is float32`);
    }
    await assertMatches(m, h, { x: floatFeed([1, 2, 4, 4], 1, 14) }, 0.05);
  });

  it('computes op types the caller asks for in float32', async () => {
    const m = mlpModel();
    const h = convertToFp16(m, { keepFp32OpTypes: ['Gemm'] });
    const gemms = h.graph!.node.filter((n) => n.opType === 'Gemm');
    const producers = new Map<string, NodeProto>();
    for (const n of h.graph!.node) for (const o of n.output) producers.set(o, n);
    for (const gemm of gemms) {
      for (const i of gemm.input) {
        const p = producers.get(i);
        const init = h.graph!.initializer.find((t) => t.name === i);
        // weights used only by float32 nodes simply stay float32; computed inputs get a Cast
        const isFloat32 = init ? init.dataType === ELEM.FLOAT : p?.opType === 'Cast' && Number(p.attribute[0].i) === ELEM.FLOAT;
        assert.ok(isFloat32, `Gemm input ${i} is float32`);
      }
    }
    await assertMatches(m, h, { x: floatFeed([8, 64], 1, 15) }, 0.05);
  });
});

describe('convertWeightsToFp16', () => {
  it('stores weights as fp16 with a Cast back to float32, halving the weights and keeping outputs', async () => {
    for (const m of [mlpModel(), constantWeightsMlp(9), subgraphModel(), resizeModel()]) {
      const h = convertWeightsToFp16(m, { minElements: 4 });
      const casts = allGraphs(h.graph!).flatMap((g) => g.node).filter((n) => n.opType === 'Cast' && n.name.startsWith('kp_cast'));
      assert.ok(casts.length > 0, 'Casts inserted');
      const feeds: Record<string, ort.Tensor> = m.graph!.input.some((v) => v.name === 'cond')
        ? { x: floatFeed([2, 4], 1, 16), cond: new ort.Tensor('bool', [false], []) }
        : m.graph!.input[0].name === 'x' && m.graph!.node.some((n) => n.opType === 'Resize')
          ? { x: floatFeed([1, 2, 4, 4], 1, 17) } : { x: floatFeed([4, 64], 1, 18) };
      await assertMatches(m, h, feeds, 0.05);
    }
  });

  it('leaves tensors below minElements in float32', () => {
    const h = convertWeightsToFp16(mlpModel(), { minElements: 100 });
    const byName = new Map(h.graph!.initializer.map((t) => [t.name, t.dataType]));
    assert.equal(byName.get('b2'), ELEM.FLOAT, 'b2 has 96 elements: stays float32');
    assert.equal(byName.get('w1__fp16'), ELEM.FLOAT16, 'w1 is stored as fp16 under a new name');
    assert.equal(byName.has('w1'), false, 'w1 is now the Cast output');
  });
});
