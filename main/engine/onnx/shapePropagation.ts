// Light shape propagation with concrete shapes: given concrete input shapes (batch = 1 and pinned
// sizes for other dynamic dims), walk the graph in order and compute each tensor's shape, plus the
// values of small constant tensors (shape arithmetic: Shape → Gather → Concat → Reshape chains,
// as paddle2onnx and PyTorch exports emit). Unknown ops leave their outputs unknown (null); nothing
// here throws on a strange graph. Subgraphs (If/Loop/Scan) are not entered: their outputs are unknown.
import type { GraphProto, NodeProto } from 'onnx-buf';
import { attr, attrInt, attrInts, attrString, elementCount, tensorDims, tensorValues } from './protoAccess.ts';

export interface TensorFacts {
  /** concrete shape, or null when it could not be worked out */
  shape: number[] | null;
  /** ONNX element type, 0 when unknown */
  dtype: number;
  /** values of small tensors (≤ 64 elements) when known: shape arithmetic and constants */
  value?: number[] | null;
}

export type FactsMap = Map<string, TensorFacts>;

const MAX_VALUE_ELEMENTS = 64;

const SAME_SHAPE = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Elu', 'Selu', 'Celu', 'Gelu',
  'Softplus', 'Softsign', 'Mish', 'Swish', 'Clip', 'Abs', 'Neg', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Floor',
  'Ceil', 'Round', 'Sign', 'Erf', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Not', 'IsNaN',
  'IsInf', 'Softmax', 'LogSoftmax', 'Hardmax', 'LRN', 'InstanceNormalization', 'BatchNormalization',
  'LayerNormalization', 'GroupNormalization', 'MeanVarianceNormalization', 'LpNormalization', 'Dropout',
  'Identity', 'CumSum', 'ThresholdedRelu', 'Shrink', 'QuantizeLinear', 'DequantizeLinear',
  'DynamicQuantizeLinear', 'Trilu', 'ReverseSequence', 'BitShift', 'SimplifiedLayerNormalization',
  'SkipLayerNormalization', 'FastGelu', 'BiasGelu', 'QuickGelu',
]);

const BROADCAST = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'LessOrEqual',
  'Greater', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'Where',
]);

const BOOL_OUT = new Set(['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not', 'IsNaN', 'IsInf']);

export function broadcastShapes(shapes: number[][]): number[] | null {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v === 1) continue;
      if (d !== 1 && d !== v) return null;
      d = v;
    }
    out.push(d);
  }
  return out;
}

/** Element-wise op over known values with numpy broadcasting (values are small). */
function broadcastValues(op: string, inputs: Array<{ shape: number[]; value: number[] }>, outShape: number[]): number[] | null {
  const n = elementCount(outShape);
  if (n > MAX_VALUE_ELEMENTS) return null;
  const idx = (shape: number[], flat: number): number => {
    let rem = flat;
    let off = 0;
    let stride = 1;
    for (let ax = outShape.length - 1; ax >= 0; ax--) {
      const coord = rem % outShape[ax];
      rem = Math.floor(rem / outShape[ax]);
      const sAx = ax - (outShape.length - shape.length);
      if (sAx >= 0) {
        const d = shape[sAx];
        off += (d === 1 ? 0 : coord) * stride;
        stride *= d;
      }
    }
    return off;
  };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = inputs.map((t) => t.value[idx(t.shape, i)]);
    const [a, b] = v;
    switch (op) {
      case 'Add': out.push(a + b); break;
      case 'Sub': out.push(a - b); break;
      case 'Mul': out.push(a * b); break;
      case 'Div': out.push(b === 0 ? NaN : a / b); break;
      case 'Max': out.push(Math.max(...v)); break;
      case 'Min': out.push(Math.min(...v)); break;
      case 'Equal': out.push(a === b ? 1 : 0); break;
      case 'Less': out.push(a < b ? 1 : 0); break;
      case 'Greater': out.push(a > b ? 1 : 0); break;
      case 'Where': out.push(v[0] ? v[1] : v[2]); break;
      default: return null;
    }
  }
  return out;
}

const isInt = (dtype: number) => [2, 3, 4, 5, 6, 7, 9, 12, 13].includes(dtype);

export interface Propagation {
  facts: FactsMap;
  /** If nodes whose condition was known, with the branch that runs (its tensors are in `facts`) */
  takenBranch: Map<NodeProto, GraphProto>;
}

/**
 * Propagate concrete shapes through `graph`. `inputShapes` gives a concrete shape per graph input
 * (missing = unknown); `inputValues` the values of pinned small inputs (e.g. Silero's sr = 16000),
 * which lets If conditions resolve so the branch that runs is propagated and counted.
 */
export function propagateShapes(
  graph: GraphProto,
  inputShapes: Map<string, number[] | null>,
  opsetVersion: number,
  inputValues: Map<string, number[]> = new Map(),
): Propagation {
  const facts: FactsMap = new Map();
  const takenBranch = new Map<NodeProto, GraphProto>();
  for (const vi of graph.input) {
    const tt = vi.type?.value.case === 'tensorType' ? vi.type.value.value : undefined;
    facts.set(vi.name, { shape: inputShapes.get(vi.name) ?? null, dtype: tt?.elemType ?? 0, value: inputValues.get(vi.name) ?? null });
  }
  walkGraph(graph, facts, takenBranch, opsetVersion, 0);
  return { facts, takenBranch };
}

function walkGraph(graph: GraphProto, facts: FactsMap, taken: Map<NodeProto, GraphProto>, opset: number, depth: number): void {
  for (const t of graph.initializer) {
    facts.set(t.name, { shape: tensorDims(t), dtype: t.dataType, value: tensorValues(t, MAX_VALUE_ELEMENTS) });
  }
  const get: Lookup = (name) => (name ? facts.get(name) : undefined);
  for (const node of graph.node) {
    let outs: TensorFacts[];
    try {
      if (node.opType === 'If' && depth < 8) {
        const cond = get(node.input[0])?.value?.[0];
        const branch = cond === undefined ? undefined : node.attribute.find((a) => a.name === (cond ? 'then_branch' : 'else_branch'))?.g;
        if (branch) {
          walkGraph(branch, facts, taken, opset, depth + 1);
          taken.set(node, branch);
          outs = branch.output.map((o) => facts.get(o.name) ?? unknown());
        } else outs = [];
      } else {
        outs = inferNode(node, get, opset);
      }
    } catch {
      outs = [];
    }
    node.output.forEach((name, i) => {
      if (!name) return;
      const f = { ...(outs[i] ?? { shape: null, dtype: 0 }) };
      if (f.value && (f.shape === null || elementCount(f.shape) !== f.value.length || f.value.some((x) => !Number.isFinite(x)))) {
        f.value = null;
      }
      facts.set(name, f);
    });
  }
}

type Lookup = (name: string) => TensorFacts | undefined;

const unknown = (dtype = 0): TensorFacts => ({ shape: null, dtype });

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function inferNode(node: NodeProto, get: Lookup, opset: number): TensorFacts[] {
  const op = node.opType;
  const x = get(node.input[0]);
  const xs = x?.shape ?? null;
  const dt = x?.dtype ?? 0;

  if (op === 'Constant') {
    const a = node.attribute[0];
    if (!a) return [unknown()];
    if (a.t) return [{ shape: tensorDims(a.t), dtype: a.t.dataType, value: tensorValues(a.t, MAX_VALUE_ELEMENTS) }];
    if (a.name === 'value_int') return [{ shape: [], dtype: 7, value: [Number(a.i)] }];
    if (a.name === 'value_ints') return [{ shape: [a.ints.length], dtype: 7, value: a.ints.map(Number) }];
    if (a.name === 'value_float') return [{ shape: [], dtype: 1, value: [a.f] }];
    if (a.name === 'value_floats') return [{ shape: [a.floats.length], dtype: 1, value: a.floats.slice() }];
    return [unknown()];
  }
  if (op === 'DynamicQuantizeLinear') {
    // y (uint8) has x's shape; y_scale (float) and y_zero_point (uint8) are scalars
    return [{ shape: xs, dtype: 2, value: null }, { shape: [], dtype: 1, value: null }, { shape: [], dtype: 2, value: null }];
  }
  if (SAME_SHAPE.has(op)) {
    const outDt = BOOL_OUT.has(op) ? 9 : dt;
    const first: TensorFacts = { shape: xs, dtype: outDt, value: op === 'Identity' ? x?.value : null };
    // extra outputs (BatchNorm stats, Dropout mask, LayerNorm mean/invstd) are left unknown
    return [first];
  }
  if (op === 'Cast') {
    const to = attrInt(node, 'to', 0);
    const value = x?.value && isInt(to) ? x.value.map(Math.trunc) : x?.value;
    return [{ shape: xs, dtype: to, value }];
  }
  if (BROADCAST.has(op)) {
    const ins = node.input.map((n) => get(n));
    if (ins.some((f) => !f?.shape)) return [unknown(op === 'Where' ? (ins[1]?.dtype ?? 0) : dt)];
    const shapes = ins.map((f) => f!.shape!);
    const shape = broadcastShapes(shapes);
    const outDt = BOOL_OUT.has(op) ? 9 : op === 'Where' ? (ins[1]?.dtype ?? 0) : dt;
    let value: number[] | null = null;
    if (shape && ins.every((f) => f!.value)) {
      value = broadcastValues(op, ins.map((f) => ({ shape: f!.shape!, value: f!.value! })), shape);
      if (value && op === 'Div' && isInt(outDt)) value = value.map(Math.trunc);
    }
    return [{ shape, dtype: outDt, value }];
  }
  if (op === 'Shape') {
    if (!xs) return [unknown(7)];
    const r = xs.length;
    const start = Math.max(0, Math.min(r, normAxis(attrInt(node, 'start', 0), r)));
    const endAttr = attr(node, 'end');
    const end = endAttr ? Math.max(0, Math.min(r, normAxis(Number(endAttr.i), r))) : r;
    const value = xs.slice(start, end);
    return [{ shape: [value.length], dtype: 7, value }];
  }
  if (op === 'Size') return [{ shape: [], dtype: 7, value: xs ? [elementCount(xs)] : null }];
  if (op === 'MatMul' || op === 'MatMulInteger' || op === 'FusedMatMul') {
    const b = get(node.input[1])?.shape;
    if (!xs || !b) return [unknown(op === 'MatMulInteger' ? 6 : dt)];
    return [{ shape: matmulShape(xs, b), dtype: op === 'MatMulInteger' ? 6 : dt }];
  }
  if (op === 'Gemm') {
    const b = get(node.input[1])?.shape;
    if (!xs || !b || xs.length !== 2 || b.length !== 2) return [unknown(dt)];
    const m = attrInt(node, 'transA', 0) ? xs[1] : xs[0];
    const n = attrInt(node, 'transB', 0) ? b[0] : b[1];
    return [{ shape: [m, n], dtype: dt }];
  }
  if (op === 'Conv' || op === 'ConvInteger' || op === 'QLinearConv' || op === 'ConvTranspose') {
    const wName = op === 'QLinearConv' ? node.input[3] : node.input[1];
    const w = get(wName)?.shape;
    const inShape = xs;
    if (!inShape || !w) return [unknown(dt)];
    return [{ shape: convShape(node, inShape, w, op === 'ConvTranspose'), dtype: dt }];
  }
  if (op === 'MaxPool' || op === 'AveragePool' || op === 'LpPool') {
    if (!xs) return [unknown(dt)];
    return [{ shape: poolShape(node, xs), dtype: dt }];
  }
  if (op === 'GlobalAveragePool' || op === 'GlobalMaxPool' || op === 'GlobalLpPool') {
    if (!xs) return [unknown(dt)];
    return [{ shape: [xs[0], xs[1], ...xs.slice(2).map(() => 1)], dtype: dt }];
  }
  if (op === 'Flatten') {
    if (!xs) return [unknown(dt)];
    const axis = normAxis(attrInt(node, 'axis', 1), xs.length);
    return [{ shape: [elementCount(xs.slice(0, axis)), elementCount(xs.slice(axis))], dtype: dt }];
  }
  if (op === 'Reshape') {
    const target = opset >= 5 ? get(node.input[1])?.value : attrInts(node, 'shape');
    if (!xs || !target) return [unknown(dt)];
    const allowZero = attrInt(node, 'allowzero', 0) === 1;
    const out = target.map((d, i) => (d === 0 && !allowZero ? xs[i] : d));
    const known = out.filter((d) => d !== -1);
    const minus = out.indexOf(-1);
    if (minus >= 0) out[minus] = elementCount(xs) / Math.max(1, elementCount(known));
    if (out.some((d) => !Number.isInteger(d) || d < 0)) return [unknown(dt)];
    return [{ shape: out, dtype: dt, value: x?.value }];
  }
  if (op === 'Transpose') {
    if (!xs) return [unknown(dt)];
    const perm = attrInts(node, 'perm') ?? xs.map((_, i) => xs.length - 1 - i);
    return [{ shape: perm.map((p) => xs[p]), dtype: dt, value: xs.length <= 1 ? x?.value : null }];
  }
  if (op === 'Squeeze' || op === 'Unsqueeze') {
    const axes = opset >= 13 ? (node.input[1] ? get(node.input[1])?.value : undefined) : attrInts(node, 'axes');
    if (!xs) return [unknown(dt)];
    let shape: number[];
    if (op === 'Squeeze') {
      if (axes === null) return [unknown(dt)];
      const ax = axes ? axes.map((a) => normAxis(a, xs.length)) : xs.flatMap((d, i) => (d === 1 ? [i] : []));
      shape = xs.filter((_, i) => !ax.includes(i));
    } else {
      if (!axes) return [unknown(dt)];
      const rank = xs.length + axes.length;
      const ax = axes.map((a) => normAxis(a, rank));
      shape = [];
      let src = 0;
      for (let i = 0; i < rank; i++) shape.push(ax.includes(i) ? 1 : xs[src++]);
    }
    return [{ shape, dtype: dt, value: x?.value }];
  }
  if (op === 'Concat') {
    const ins = node.input.filter(Boolean).map((n) => get(n));
    if (ins.some((f) => !f?.shape)) return [unknown(dt)];
    const shapes = ins.map((f) => f!.shape!);
    const rank = shapes[0].length;
    const axis = normAxis(attrInt(node, 'axis', 0), rank);
    const shape = shapes[0].slice();
    shape[axis] = shapes.reduce((s, sh) => s + sh[axis], 0);
    const value = rank === 1 && ins.every((f) => f!.value) ? ins.flatMap((f) => f!.value!) : null;
    return [{ shape, dtype: ins[0]!.dtype, value }];
  }
  if (op === 'Split') {
    if (!xs) return node.output.map(() => unknown(dt));
    const axis = normAxis(attrInt(node, 'axis', 0), xs.length);
    let sizes = opset >= 13 ? (node.input[1] ? get(node.input[1])?.value : undefined) : attrInts(node, 'split');
    if (sizes === null) return node.output.map(() => unknown(dt));
    if (!sizes) {
      const parts = node.output.length;
      const each = Math.ceil(xs[axis] / parts);
      sizes = node.output.map((_, i) => Math.min(each, xs[axis] - each * i));
    }
    return sizes.map((s) => ({ shape: xs.map((d, i) => (i === axis ? s : d)), dtype: dt }));
  }
  if (op === 'Slice') return [sliceFacts(node, get, opset)];
  if (op === 'Gather') {
    const idx = get(node.input[1]);
    if (!xs || !idx?.shape) return [unknown(dt)];
    const axis = normAxis(attrInt(node, 'axis', 0), xs.length);
    const shape = [...xs.slice(0, axis), ...idx.shape, ...xs.slice(axis + 1)];
    let value: number[] | null = null;
    if (xs.length === 1 && x?.value && idx.value) value = idx.value.map((i) => x.value![i < 0 ? i + xs[0] : i]);
    return [{ shape, dtype: dt, value }];
  }
  if (op === 'GatherElements') return [{ shape: get(node.input[1])?.shape ?? null, dtype: dt }];
  if (op.startsWith('Reduce') || op === 'ArgMax' || op === 'ArgMin') {
    if (!xs) return [unknown(dt)];
    const keep = attrInt(node, 'keepdims', 1) === 1;
    let axes: number[] | null | undefined;
    if (op === 'ArgMax' || op === 'ArgMin') axes = [attrInt(node, 'axis', 0)];
    else if ((op === 'ReduceSum' && opset >= 13) || opset >= 18) axes = node.input[1] ? get(node.input[1])?.value : undefined;
    else axes = attrInts(node, 'axes');
    if (axes === null) return [unknown(dt)];
    const ax = axes && axes.length ? axes.map((a) => normAxis(a, xs.length)) : attrInt(node, 'noop_with_empty_axes', 0) ? [] : xs.map((_, i) => i);
    const shape = keep ? xs.map((d, i) => (ax.includes(i) ? 1 : d)) : xs.filter((_, i) => !ax.includes(i));
    let value: number[] | null = null;
    if (op === 'ReduceProd' && x?.value && xs.length === 1 && !keep) value = [x.value.reduce((a, b) => a * b, 1)];
    return [{ shape, dtype: op.startsWith('Arg') ? 7 : dt, value }];
  }
  if (op === 'Expand') {
    const target = get(node.input[1])?.value;
    if (!xs || !target) return [unknown(dt)];
    return [{ shape: broadcastShapes([xs, target]), dtype: dt }];
  }
  if (op === 'Tile') {
    const reps = get(node.input[1])?.value;
    if (!xs || !reps) return [unknown(dt)];
    return [{ shape: xs.map((d, i) => d * reps[i]), dtype: dt }];
  }
  if (op === 'Pad') {
    const pads = opset >= 11 ? get(node.input[1])?.value : attrInts(node, 'pads') ?? attrInts(node, 'paddings');
    if (!xs || !pads) return [unknown(dt)];
    let axes = opset >= 18 && node.input[3] ? get(node.input[3])?.value : xs.map((_, i) => i);
    if (!axes) return [unknown(dt)];
    axes = axes.map((a) => normAxis(a, xs.length));
    const shape = xs.slice();
    axes.forEach((a, i) => (shape[a] += pads[i] + pads[i + axes!.length]));
    return [{ shape, dtype: dt }];
  }
  if (op === 'Resize' || op === 'Upsample') return [resizeFacts(node, get, opset)];
  if (op === 'ConstantOfShape') {
    const target = x?.value;
    const t = attr(node, 'value')?.t;
    const fill = t ? (tensorValues(t, 1)?.[0] ?? 0) : 0;
    if (!target) return [unknown(t?.dataType ?? 1)];
    const n = elementCount(target);
    return [{ shape: target, dtype: t?.dataType ?? 1, value: n <= MAX_VALUE_ELEMENTS ? new Array(n).fill(fill) : null }];
  }
  if (op === 'Range') {
    const [s, l, d] = node.input.map((n) => get(n)?.value?.[0]);
    if (s === undefined || l === undefined || d === undefined || d === 0) return [unknown(dt)];
    const n = Math.max(Math.ceil((l - s) / d), 0);
    const value = n <= MAX_VALUE_ELEMENTS ? Array.from({ length: n }, (_, i) => s + i * d) : null;
    return [{ shape: [n], dtype: dt, value }];
  }
  if (op === 'LSTM' || op === 'GRU' || op === 'RNN') {
    const r = get(node.input[2])?.shape;
    if (!xs || !r) return node.output.map(() => unknown(dt));
    const batchFirst = attrInt(node, 'layout', 0) === 1;
    const [seq, batch] = batchFirst ? [xs[1], xs[0]] : [xs[0], xs[1]];
    const dirs = r[0];
    const hidden = r[2];
    const y = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
    const h = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
    return [{ shape: y, dtype: dt }, { shape: h, dtype: dt }, { shape: h, dtype: dt }];
  }
  if (op === 'TopK') {
    const k = get(node.input[1])?.value?.[0] ?? (opset < 10 ? attrInt(node, 'k', -1) : undefined);
    if (!xs || k === undefined || k < 0) return [unknown(dt), unknown(7)];
    const axis = normAxis(attrInt(node, 'axis', -1), xs.length);
    const shape = xs.map((d, i) => (i === axis ? k : d));
    return [{ shape, dtype: dt }, { shape, dtype: 7 }];
  }
  if (op === 'DepthToSpace' || op === 'SpaceToDepth') {
    if (!xs) return [unknown(dt)];
    const b = attrInt(node, 'blocksize', 1);
    const [n, c, h, w] = xs;
    return [{ shape: op === 'DepthToSpace' ? [n, c / (b * b), h * b, w * b] : [n, c * b * b, h / b, w / b], dtype: dt }];
  }
  if (op === 'Einsum') return [einsumShape(attrString(node, 'equation', ''), node.input.map((n) => get(n)?.shape ?? null), dt)];
  if (op === 'OneHot') {
    const depth = get(node.input[1])?.value?.[0];
    if (!xs || depth === undefined) return [unknown()];
    const axis = normAxis(attrInt(node, 'axis', -1), xs.length + 1);
    const shape = xs.slice();
    shape.splice(axis, 0, depth);
    return [{ shape, dtype: get(node.input[2])?.dtype ?? 0 }];
  }
  return node.output.map(() => unknown());
}

export function matmulShape(a: number[], b: number[]): number[] | null {
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return null;
  const out = [...batch, a2[a2.length - 2], b2[b2.length - 1]];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  return out;
}

function spatialAttrs(node: NodeProto, spatial: number[], kernel: number[]) {
  const k = spatial.length;
  const strides = attrInts(node, 'strides') ?? new Array(k).fill(1);
  const dilations = attrInts(node, 'dilations') ?? new Array(k).fill(1);
  const pads = attrInts(node, 'pads') ?? new Array(2 * k).fill(0);
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  return { strides, dilations, pads, autoPad, kernel };
}

function convShape(node: NodeProto, x: number[], w: number[], transpose: boolean): number[] | null {
  const spatial = x.slice(2);
  const kernel = attrInts(node, 'kernel_shape') ?? w.slice(2);
  const { strides, dilations, pads, autoPad } = spatialAttrs(node, spatial, kernel);
  const group = attrInt(node, 'group', 1);
  const k = spatial.length;
  if (transpose) {
    const outPad = attrInts(node, 'output_padding') ?? new Array(k).fill(0);
    const explicit = attrInts(node, 'output_shape');
    const out = explicit ?? spatial.map((d, i) => {
      if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return d * strides[i];
      return strides[i] * (d - 1) + outPad[i] + ((kernel[i] - 1) * dilations[i] + 1) - pads[i] - pads[i + k];
    });
    return [x[0], w[1] * group, ...out];
  }
  const out = spatial.map((d, i) => {
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(d / strides[i]);
    const eff = (kernel[i] - 1) * dilations[i] + 1;
    const padTotal = autoPad === 'VALID' ? 0 : pads[i] + pads[i + k];
    return Math.floor((d + padTotal - eff) / strides[i]) + 1;
  });
  return [x[0], w[0], ...out];
}

function poolShape(node: NodeProto, x: number[]): number[] | null {
  const spatial = x.slice(2);
  const kernel = attrInts(node, 'kernel_shape');
  if (!kernel) return null;
  const { strides, dilations, pads, autoPad } = spatialAttrs(node, spatial, kernel);
  const ceil = attrInt(node, 'ceil_mode', 0) === 1;
  const k = spatial.length;
  const out = spatial.map((d, i) => {
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(d / strides[i]);
    const eff = (kernel[i] - 1) * dilations[i] + 1;
    const padTotal = autoPad === 'VALID' ? 0 : pads[i] + pads[i + k];
    const q = (d + padTotal - eff) / strides[i];
    let o = (ceil ? Math.ceil(q) : Math.floor(q)) + 1;
    // the last window must start inside the input (or left padding)
    if (ceil && (o - 1) * strides[i] >= d + pads[i]) o -= 1;
    return o;
  });
  return [x[0], x[1], ...out];
}

function sliceFacts(node: NodeProto, get: Lookup, opset: number): TensorFacts {
  const x = get(node.input[0]);
  const xs = x?.shape;
  const dt = x?.dtype ?? 0;
  if (!xs) return unknown(dt);
  let starts: number[] | null | undefined;
  let ends: number[] | null | undefined;
  let axes: number[] | null | undefined;
  let steps: number[] | null | undefined;
  if (opset >= 10) {
    starts = get(node.input[1])?.value;
    ends = get(node.input[2])?.value;
    axes = node.input[3] ? get(node.input[3])?.value : undefined;
    steps = node.input[4] ? get(node.input[4])?.value : undefined;
    if (axes === null || steps === null) return unknown(dt);
  } else {
    starts = attrInts(node, 'starts');
    ends = attrInts(node, 'ends');
    axes = attrInts(node, 'axes');
  }
  if (!starts || !ends) return unknown(dt);
  const ax = (axes ?? starts.map((_, i) => i)).map((a) => normAxis(a, xs.length));
  const shape = xs.slice();
  const ranges = xs.map((d) => ({ start: 0, step: 1, count: d }));
  ax.forEach((a, i) => {
    const d = xs[a];
    const step = steps?.[i] ?? 1;
    const clampS = (v: number) => (v < 0 ? v + d : v);
    let s = clampS(starts![i]);
    let e = clampS(ends![i]);
    if (step > 0) {
      s = Math.max(0, Math.min(d, s));
      e = Math.max(0, Math.min(d, e));
    } else {
      s = Math.max(-1, Math.min(d - 1, s));
      e = Math.max(-1, Math.min(d - 1, e));
    }
    const count = Math.max(0, Math.ceil((e - s) / step));
    shape[a] = count;
    ranges[a] = { start: s, step, count };
  });
  let value: number[] | null = null;
  if (xs.length === 1 && x?.value) {
    const r = ranges[0];
    value = Array.from({ length: r.count }, (_, i) => x.value![r.start + i * r.step]);
  }
  return { shape, dtype: dt, value };
}

function resizeFacts(node: NodeProto, get: Lookup, opset: number): TensorFacts {
  const x = get(node.input[0]);
  const xs = x?.shape;
  const dt = x?.dtype ?? 0;
  if (!xs) return unknown(dt);
  if (node.opType === 'Upsample' && opset < 9) {
    const scales = node.attribute.find((a) => a.name === 'scales')?.floats;
    return scales ? { shape: xs.map((d, i) => Math.floor(d * scales[i])), dtype: dt } : unknown(dt);
  }
  const sizesName = node.opType === 'Resize' ? (opset >= 11 ? node.input[3] : undefined) : undefined;
  const scalesName = node.opType === 'Resize' ? (opset >= 11 ? node.input[2] : node.input[1]) : node.input[1];
  const sizes = sizesName ? get(sizesName)?.value : undefined;
  if (sizes && sizes.length) {
    const axes = attrInts(node, 'axes');
    if (!axes) return { shape: sizes, dtype: dt };
    const shape = xs.slice();
    axes.forEach((a, i) => (shape[normAxis(a, xs.length)] = sizes[i]));
    return { shape, dtype: dt };
  }
  const scales = scalesName ? get(scalesName)?.value : undefined;
  if (!scales || scales.length === 0) return unknown(dt);
  const axes = attrInts(node, 'axes') ?? xs.map((_, i) => i);
  const shape = xs.slice();
  axes.forEach((a, i) => (shape[normAxis(a, xs.length)] = Math.floor(xs[normAxis(a, xs.length)] * scales[i])));
  return { shape, dtype: dt };
}

function einsumShape(equation: string, shapes: Array<number[] | null>, dt: number): TensorFacts {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->');
  if (!lhs || rhs === undefined || eq.includes('.') || shapes.some((s) => !s)) return unknown(dt);
  const sizes = new Map<string, number>();
  lhs.split(',').forEach((term, i) => [...term].forEach((ch, j) => sizes.set(ch, Math.max(sizes.get(ch) ?? 1, shapes[i]![j]))));
  const shape = [...rhs].map((ch) => sizes.get(ch) ?? NaN);
  return shape.some(Number.isNaN) ? unknown(dt) : { shape, dtype: dt };
}
