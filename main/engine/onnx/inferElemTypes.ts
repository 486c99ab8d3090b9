// Element-type inference (dtype only, no shapes) over an ONNX graph. The precision transforms need to
// know which tensors are float32 in the original model, and most models carry no value_info.
import type { GraphProto, NodeProto } from 'onnx-buf';
import { declaredElemType, ELEM } from './protoBuild.ts';

export type ElemTypes = Map<string, number>;

const BOOL_OPS = new Set(['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor',
  'IsNaN', 'IsInf', 'RegexFullMatch']);
const INT64_OPS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin', 'NonMaxSuppression']);
/** ops whose output type comes from an attribute (attribute name, default when absent: 0 = same as input 0) */
export const DTYPE_ATTR: Record<string, { attr: string; fallback: number }> = {
  EyeLike: { attr: 'dtype', fallback: 0 },
  RandomNormalLike: { attr: 'dtype', fallback: 0 },
  RandomUniformLike: { attr: 'dtype', fallback: 0 },
  Bernoulli: { attr: 'dtype', fallback: 0 },
  RandomNormal: { attr: 'dtype', fallback: ELEM.FLOAT },
  RandomUniform: { attr: 'dtype', fallback: ELEM.FLOAT },
  Multinomial: { attr: 'dtype', fallback: ELEM.INT32 },
  HannWindow: { attr: 'output_datatype', fallback: ELEM.FLOAT },
  HammingWindow: { attr: 'output_datatype', fallback: ELEM.FLOAT },
  BlackmanWindow: { attr: 'output_datatype', fallback: ELEM.FLOAT },
  MelWeightMatrix: { attr: 'output_datatype', fallback: ELEM.FLOAT },
};

function intAttr(node: NodeProto, name: string): number | undefined {
  const a = node.attribute.find((x) => x.name === name);
  return a ? Number(a.i) : undefined;
}

/** Subgraph output types: declared where present, else inferred. */
function subgraphOutputTypes(sub: GraphProto, scope: ElemTypes, inputTypes: number[]): number[] {
  const inner = inferElemTypes(sub, scope, inputTypes);
  return sub.output.map((o) => declaredElemType(o) || (inner.get(o.name) ?? 0));
}

function outputTypes(node: NodeProto, types: ElemTypes): number[] {
  const t = (i: number) => (node.input[i] ? types.get(node.input[i]) ?? 0 : 0);
  const firstKnown = () => {
    for (const name of node.input) if (name && types.get(name)) return types.get(name)!;
    return 0;
  };
  const n = node.output.length;
  const all = (v: number) => new Array<number>(n).fill(v);
  const op = node.opType;
  if (node.domain === 'com.microsoft') {
    if (op === 'DynamicQuantizeMatMul' || op === 'MatMulIntegerToFloat') return all(ELEM.FLOAT);
    return all(firstKnown());
  }
  if (op === 'Constant') {
    const a = node.attribute[0];
    if (!a) return all(0);
    if (a.t) return all(a.t.dataType);
    if (a.name === 'value_float' || a.name === 'value_floats') return all(ELEM.FLOAT);
    if (a.name === 'value_int' || a.name === 'value_ints') return all(ELEM.INT64);
    if (a.name === 'value_string' || a.name === 'value_strings') return all(8);
    return all(0);
  }
  if (op === 'Cast') return all(intAttr(node, 'to') ?? 0);
  if (op === 'CastLike') return all(t(1));
  if (BOOL_OPS.has(op)) return all(ELEM.BOOL);
  if (INT64_OPS.has(op)) return all(ELEM.INT64);
  if (op === 'ConstantOfShape') {
    const a = node.attribute.find((x) => x.name === 'value');
    return all(a?.t ? a.t.dataType : ELEM.FLOAT);
  }
  const dt = DTYPE_ATTR[op];
  if (dt) return all(intAttr(node, dt.attr) ?? (dt.fallback || t(0)));
  switch (op) {
    case 'Where': return all(t(1));
    case 'OneHot': return all(t(2));
    case 'TopK': case 'MaxPool': case 'Unique': return [t(0), ...new Array<number>(n - 1).fill(ELEM.INT64)];
    case 'Dropout': return [t(0), ELEM.BOOL].slice(0, n);
    case 'LayerNormalization': return [t(0), ELEM.FLOAT, ELEM.FLOAT].slice(0, n);
    case 'QuantizeLinear': return all(t(2) || (intAttr(node, 'output_dtype') ?? ELEM.UINT8));
    case 'DequantizeLinear': return all(t(1));
    case 'DynamicQuantizeLinear': return [ELEM.UINT8, ELEM.FLOAT, ELEM.UINT8];
    case 'MatMulInteger': case 'ConvInteger': return all(ELEM.INT32);
    case 'QLinearMatMul': case 'QLinearConv': return all(t(node.input.length - 1));
    case 'If': {
      const g = node.attribute.find((a) => a.name === 'then_branch')?.g;
      return g ? subgraphOutputTypes(g, types, []) : all(0);
    }
    case 'Loop': {
      const g = node.attribute.find((a) => a.name === 'body')?.g;
      if (!g) return all(0);
      const carried = node.input.slice(2).map((_, i) => t(i + 2));
      return subgraphOutputTypes(g, types, [ELEM.INT64, ELEM.BOOL, ...carried]).slice(1);
    }
    case 'Scan': {
      const g = node.attribute.find((a) => a.name === 'body')?.g;
      return g ? subgraphOutputTypes(g, types, node.input.map((_, i) => t(i))) : all(0);
    }
    default: return all(firstKnown());
  }
}

/**
 * Element types of every tensor visible in `graph`: its inputs, initializers and node outputs, on top
 * of the enclosing scope. Declared types (inputs, outputs, value_info) win over inferred ones.
 * `inputTypes` fills subgraph inputs that declare no type (allowed for Loop/Scan bodies).
 * 0 means unknown (sequences, maps, ops we do not model).
 */
export function inferElemTypes(graph: GraphProto, outer: ReadonlyMap<string, number> = new Map(), inputTypes: number[] = []): ElemTypes {
  const types: ElemTypes = new Map(outer);
  graph.input.forEach((v, i) => types.set(v.name, declaredElemType(v) || (inputTypes[i] ?? 0)));
  for (const t of graph.initializer) types.set(t.name, t.dataType);
  const declared = new Map<string, number>();
  for (const v of [...graph.valueInfo, ...graph.output]) {
    const e = declaredElemType(v);
    if (e) declared.set(v.name, e);
  }
  for (const node of graph.node) {
    const out = outputTypes(node, types);
    node.output.forEach((name, i) => {
      if (name) types.set(name, declared.get(name) ?? out[i] ?? 0);
    });
  }
  return types;
}
