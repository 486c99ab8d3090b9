// Small hand-built ONNX graphs for the precision-transform tests, and a helper that runs a model
// and its variant on the same feeds in onnxruntime-node.
import ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import {
  attrFloat, attrGraph, attrInt, attrInts, attrString, attrTensor, ELEM, encodeModel, floatTensor, graph, int64Tensor, model, node, valueInfo,
} from '../../main/engine/onnx/protoBuild.ts';
import type { TensorLike } from '../../main/engine/measure/accuracy.ts';
import { createRng } from '../../main/common/stats/rng.ts';

export function randomArray(n: number, scale: number, rnd: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * scale);
}

/** x[N,64] → MatMul → Relu → Gemm(transB, bias) → Relu → Gemm(bias [1,10]) → y[N,10] */
export function mlpModel(opset = 13, seed = 1): ModelProto {
  const r = createRng(seed);
  return model(graph({
    nodes: [
      node('MatMul', ['x', 'w1'], ['h1'], [], { name: 'mm1' }), node('Relu', ['h1'], ['r1'], [], { name: 'relu1' }),
      node('Gemm', ['r1', 'w2', 'b2'], ['h2'], [attrInt('transB', 1)], { name: 'gemm2' }), node('Relu', ['h2'], ['r2'], [], { name: 'relu2' }),
      node('Gemm', ['r2', 'w3', 'b3'], ['y'], [attrFloat('alpha', 0.5)], { name: 'gemm3' }),
    ],
    inputs: [valueInfo('x', ELEM.FLOAT, ['N', 64])],
    outputs: [valueInfo('y', ELEM.FLOAT, ['N', 10])],
    initializers: [
      floatTensor('w1', [64, 128], randomArray(64 * 128, 0.3, r)),
      floatTensor('w2', [96, 128], randomArray(96 * 128, 0.2, r)), floatTensor('b2', [96], randomArray(96, 0.5, r)),
      floatTensor('w3', [96, 10], randomArray(960, 0.3, r)), floatTensor('b3', [1, 10], randomArray(10, 0.5, r)),
    ],
  }), { opset });
}

/** Same MLP shape, weights held in Constant nodes (as paddle2onnx / spox export them). */
export function constantWeightsMlp(opset = 9, seed = 2): ModelProto {
  const r = createRng(seed);
  const c = (name: string, dims: number[], scale: number) =>
    node('Constant', [], [name], [attrTensor('value', floatTensor('', dims, randomArray(dims.reduce((a, b) => a * b, 1), scale, r)))]);
  return model(graph({
    nodes: [
      c('w1', [64, 128], 0.3), c('b1', [128], 0.5),
      node('MatMul', ['x', 'w1'], ['h1'], [], { name: 'mm1' }), node('Add', ['h1', 'b1'], ['a1']), node('Relu', ['a1'], ['r1']),
      c('w2', [128, 10], 0.3),
      node('MatMul', ['r1', 'w2'], ['logits'], [], { name: 'mm2' }),
      node('Constant', [], ['temp'], [attrFloat('value_float', 0.5)]),
      node('Mul', ['logits', 'temp'], ['y']),
    ],
    inputs: [valueInfo('x', ELEM.FLOAT, ['N', 64])],
    outputs: [valueInfo('y', ELEM.FLOAT, ['N', 10])],
  }), { opset });
}

/** y = If(cond) then x + Constant(inner) else Loop(3){v = v + 0.5·x}(x·w_outer); also an int64 output. */
export function subgraphModel(): ModelProto {
  const r = createRng(3);
  const thenBranch = graph({
    name: 'then',
    nodes: [node('Constant', [], ['inner_c'], [attrTensor('value', floatTensor('', [2, 4], randomArray(8, 1, r)))]), node('Add', ['x', 'inner_c'], ['then_out'])],
    inputs: [], outputs: [valueInfo('then_out', ELEM.FLOAT, [2, 4])],
  });
  const body = graph({
    name: 'body',
    nodes: [node('Mul', ['x', 'half'], ['step']), node('Add', ['v_in', 'step'], ['v_out']), node('Identity', ['cond_in'], ['cond_out'])],
    inputs: [valueInfo('iter', ELEM.INT64, []), valueInfo('cond_in', ELEM.BOOL, []), valueInfo('v_in', ELEM.FLOAT, [2, 4])],
    outputs: [valueInfo('cond_out', ELEM.BOOL, []), valueInfo('v_out', ELEM.FLOAT, [2, 4])],
    initializers: [floatTensor('half', [], [0.5])],
  });
  const elseBranch = graph({
    name: 'else',
    nodes: [node('Mul', ['x', 'w_outer'], ['xw']), node('Loop', ['trips', '', 'xw'], ['else_out'], [attrGraph('body', body)])],
    inputs: [], outputs: [valueInfo('else_out', ELEM.FLOAT, [2, 4])],
    initializers: [int64Tensor('trips', [], [3])],
  });
  return model(graph({
    nodes: [node('If', ['cond'], ['y'], [attrGraph('then_branch', thenBranch), attrGraph('else_branch', elseBranch)]), node('Shape', ['y'], ['y_shape'])],
    inputs: [valueInfo('x', ELEM.FLOAT, [2, 4]), valueInfo('cond', ELEM.BOOL, [])],
    outputs: [valueInfo('y', ELEM.FLOAT, [2, 4]), valueInfo('y_shape', ELEM.INT64, [2])],
    initializers: [floatTensor('w_outer', [2, 4], randomArray(8, 1, r))],
  }), { opset: 13 });
}

/**
 * Two Resizes: one with constant scales, one with scales computed at run time from Shape → Cast(float)
 * (the chain becomes fp16 and must be cast back); plus Range (no float16 type in ONNX) and a Conv.
 */
export function resizeModel(): ModelProto {
  const r = createRng(4);
  return model(graph({
    nodes: [
      node('Conv', ['x', 'cw', 'cb'], ['c'], [attrInts('pads', [1, 1, 1, 1])]),
      node('Resize', ['c', '', 'scales_const'], ['up1'], [attrString('mode', 'linear')]),
      node('Shape', ['up1'], ['shape']), node('Cast', ['shape'], ['shape_f'], [attrInt('to', ELEM.FLOAT)]),
      node('Div', ['shape_f', 'shape_f'], ['ones']), node('Mul', ['ones', 'scales_const'], ['scales_dyn']),
      node('Resize', ['up1', '', 'scales_dyn'], ['up2'], []),
      node('Range', ['r_start', 'r_limit', 'r_delta'], ['ramp']),
      node('Add', ['up2', 'ramp'], ['y']),
    ],
    inputs: [valueInfo('x', ELEM.FLOAT, [1, 2, 4, 4])],
    outputs: [valueInfo('y', ELEM.FLOAT, undefined)],
    initializers: [
      floatTensor('cw', [3, 2, 3, 3], randomArray(54, 0.5, r)), floatTensor('cb', [3], randomArray(3, 0.5, r)),
      floatTensor('scales_const', [4], [1, 1, 2, 2]),
      floatTensor('r_start', [], [0]), floatTensor('r_limit', [], [16]), floatTensor('r_delta', [], [1]),
    ],
  }), { opset: 13 });
}

/** Conv net for ConvInteger: x[N,8,16,16] → Conv(pad 1) → Relu → Conv(stride 2, no bias) → y */
export function convModel(seed = 5): ModelProto {
  const r = createRng(seed);
  return model(graph({
    nodes: [
      node('Conv', ['x', 'w1', 'b1'], ['c1'], [attrInts('pads', [1, 1, 1, 1]), attrInts('kernel_shape', [3, 3])], { name: 'conv1' }),
      node('Relu', ['c1'], ['r1']),
      node('Conv', ['r1', 'w2'], ['y'], [attrInts('strides', [2, 2])], { name: 'conv2' }),
    ],
    inputs: [valueInfo('x', ELEM.FLOAT, ['N', 8, 16, 16])],
    outputs: [valueInfo('y', ELEM.FLOAT, undefined)],
    initializers: [floatTensor('w1', [16, 8, 3, 3], randomArray(16 * 72, 0.3, r)), floatTensor('b1', [16], randomArray(16, 0.3, r)),
      floatTensor('w2', [8, 16, 3, 3], randomArray(8 * 144, 0.3, r))],
  }), { opset: 13 });
}

export async function runModel(m: ModelProto | Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, TensorLike>> {
  const bytes = m instanceof Uint8Array ? m : encodeModel(m);
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}

export function floatFeed(dims: number[], scale: number, seed: number): ort.Tensor {
  return new ort.Tensor('float32', randomArray(dims.reduce((a, b) => a * b, 1), scale, createRng(seed)), dims);
}
