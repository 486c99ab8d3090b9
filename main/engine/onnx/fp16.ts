// float32 → float16 model conversion (onnx-buf ModelProto in, new ModelProto out).
//
// Two variants:
// - `convertToFp16`: every float32 tensor becomes float16 (initializers, Constant nodes, Cast-to-float,
//   dtype attributes, subgraphs), graph I/O stays float32 behind inserted Casts, and inputs that ONNX
//   or ORT require in float32 (Resize scales/roi, Upsample scales, ops with no float16 type such as
//   Range) get a Cast back to float32. On the CPU provider ORT computes fp16 nodes in fp32 behind its
//   own Casts, so this mostly halves the file; on GPUs it halves the compute precision.
// - `convertWeightsToFp16`: only stored weights become float16, each followed by a Cast to float32;
//   compute is unchanged (ORT folds the Casts at load).
import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { invalidInput } from '../../common/errors.ts';
import { float32ArrayToFloat16Bits } from './float16.ts';
import {
  attrInt, attrTensor, declaredElemType, decodeModel, ELEM, encodeModel, float16BitsTensor, node,
  opsetVersion, setDeclaredElemType,
} from './protoBuild.ts';
import { DTYPE_ATTR, inferElemTypes } from './inferElemTypes.ts';
import type { ElemTypes } from './inferElemTypes.ts';
import { NameSource, renameUses } from './graphNames.ts';
import { subgraphsOf } from './protoAccess.ts';
import { tensorElementCount, toFloat16Tensor } from './tensorData.ts';

export interface Fp16Options {
  /** op types to compute in float32 (inputs cast to fp32, outputs back to fp16), on top of the built-in list */
  keepFp32OpTypes?: string[];
  /** node names to compute in float32 */
  keepFp32NodeNames?: string[];
}

export interface Fp16WeightsOptions {
  /** weights with fewer elements stay float32 (scalars gain nothing and lose precision); default 16 */
  minElements?: number;
}

/** Bumped whenever a transform's output changes, so cached variants are rebuilt. */
export const FP16_TRANSFORM_VERSION = 1;

/** Inputs that must stay float32 whatever the model's precision, by op type: input indices. */
function fp32InputSlots(n: NodeProto, opset: number): number[] {
  if (n.domain !== '' && n.domain !== 'ai.onnx') return [];
  if (n.opType === 'Resize') return opset >= 11 ? [1, 2] : [1];
  if (n.opType === 'Upsample') return [1];
  return [];
}

/** Ops whose ONNX type constraints have no float16: they run in float32 between Casts. */
function builtinFp32Op(n: NodeProto, opset: number): boolean {
  if (n.domain === 'ai.onnx.ml') return true;
  if (n.domain !== '' && n.domain !== 'ai.onnx') return false;
  if (n.opType === 'Range' || n.opType === 'NonMaxSuppression' || n.opType === 'Celu') return true;
  return n.opType === 'CumSum' && opset < 14;
}

interface Ctx {
  opset: number;
  names: NameSource;
  keepOps: Set<string>;
  keepNames: Set<string>;
  pinned: Set<NodeProto>;
}

const isFp32Op = (ctx: Ctx, n: NodeProto) => ctx.keepOps.has(n.opType) || (n.name !== '' && ctx.keepNames.has(n.name)) || builtinFp32Op(n, ctx.opset);

/** For every tensor name: does each use need float32? (uses inside subgraphs included; graph outputs need the model's type) */
function collectUses(g: GraphProto, ctx: Ctx, uses: Map<string, boolean[]>): void {
  const add = (name: string, fp32: boolean) => {
    if (!name) return;
    const list = uses.get(name);
    if (list) list.push(fp32); else uses.set(name, [fp32]);
  };
  for (const n of g.node) {
    const slots = fp32InputSlots(n, ctx.opset);
    const wholeNode = isFp32Op(ctx, n);
    n.input.forEach((name, i) => add(name, wholeNode || slots.includes(i)));
    for (const s of subgraphsOf(n)) {
      collectUses(s, ctx, uses);
      for (const o of s.output) add(o.name, false);
    }
  }
}

function castNode(ctx: Ctx, input: string, output: string, to: number): NodeProto {
  return node('Cast', [input], [output], [attrInt('to', to)], { name: ctx.names.nodeName('kp_cast') });
}

/** Subgraph input types as the parent node feeds them (Loop/Scan bodies may leave them undeclared). */
function bodyInputTypes(n: NodeProto, types: ElemTypes): number[] {
  const t = (name: string) => (name ? types.get(name) ?? 0 : 0);
  if (n.opType === 'Loop') return [ELEM.INT64, ELEM.BOOL, ...n.input.slice(2).map(t)];
  if (n.opType === 'Scan') return n.input.map(t);
  return [];
}

function convertGraph(g: GraphProto, ctx: Ctx, outerOrig: ElemTypes, outerNew: ElemTypes, isTop: boolean, inputTypes: number[]): void {
  const orig = inferElemTypes(g, outerOrig, inputTypes);
  const uses = new Map<string, boolean[]>();
  collectUses(g, ctx, uses);
  for (const o of g.output) (uses.get(o.name) ?? uses.set(o.name, []).get(o.name)!).push(false);

  // Float32 sources whose every use needs float32 stay float32: no Cast pair around them.
  const sources: string[] = g.initializer.filter((t) => t.dataType === ELEM.FLOAT).map((t) => t.name);
  for (const n of g.node) {
    const isConst = n.opType === 'Constant' && n.domain === '';
    const isCastToFloat = n.opType === 'Cast' && !ctx.pinned.has(n) && n.attribute.some((a) => a.name === 'to' && Number(a.i) === ELEM.FLOAT);
    if ((isConst || isCastToFloat) && orig.get(n.output[0]) === ELEM.FLOAT) sources.push(n.output[0]);
  }
  const kept = new Set(sources.filter((s) => { const u = uses.get(s); return u !== undefined && u.length > 0 && u.every(Boolean); }));

  const graphInputs = new Set(g.input.map((v) => v.name));
  const newTypes: ElemTypes = new Map(outerNew);
  for (const [name, t] of orig) {
    if (outerOrig.has(name) && !graphInputs.has(name) && !g.initializer.some((x) => x.name === name)) continue;
    const stayFloat = kept.has(name) || (isTop && graphInputs.has(name) && !g.initializer.some((x) => x.name === name));
    newTypes.set(name, t === ELEM.FLOAT && !stayFloat ? ELEM.FLOAT16 : t);
  }
  for (const n of ctx.pinned) if (g.node.includes(n)) newTypes.set(n.output[0], ELEM.FLOAT);

  g.initializer = g.initializer.map((t) => (t.dataType === ELEM.FLOAT && !kept.has(t.name) ? toFloat16Tensor(t) : t));
  for (const v of g.input) {
    if (!isTop || g.initializer.some((t) => t.name === v.name)) {
      if (declaredElemType(v) === ELEM.FLOAT) setDeclaredElemType(v, newTypes.get(v.name) ?? ELEM.FLOAT);
    }
  }

  const out: NodeProto[] = [];
  for (const n of g.node) {
    const after: NodeProto[] = [];
    if (isFp32Op(ctx, n)) {
      n.input.forEach((name, i) => {
        if (name && newTypes.get(name) === ELEM.FLOAT16) {
          const cast = ctx.names.fresh(`${name}__fp32`);
          out.push(castNode(ctx, name, cast, ELEM.FLOAT));
          n.input[i] = cast;
        }
      });
      n.output.forEach((name, i) => {
        if (name && orig.get(name) === ELEM.FLOAT) {
          const raw = ctx.names.fresh(`${name}__fp32`);
          n.output[i] = raw;
          after.push(castNode(ctx, raw, name, ELEM.FLOAT16));
        }
      });
    } else {
      for (const i of fp32InputSlots(n, ctx.opset)) {
        const name = n.input[i];
        if (name && newTypes.get(name) === ELEM.FLOAT16) {
          const cast = ctx.names.fresh(`${name}__fp32`);
          out.push(castNode(ctx, name, cast, ELEM.FLOAT));
          n.input[i] = cast;
        }
      }
      rewriteNodeTypes(n, ctx, orig, kept);
    }
    for (const s of subgraphsOf(n)) convertGraph(s, ctx, orig, newTypes, false, bodyInputTypes(n, orig));
    out.push(n, ...after);
  }
  g.node = out;

  if (!isTop) {
    for (const v of [...g.input, ...g.output]) {
      if (declaredElemType(v) === ELEM.FLOAT) setDeclaredElemType(v, newTypes.get(v.name) ?? ELEM.FLOAT16);
    }
  }
  g.valueInfo = []; // stale: types changed and ORT re-infers shapes anyway
}

/** Switch the float32 a node creates (Constant payloads, Cast targets, dtype attributes) to float16. */
function rewriteNodeTypes(n: NodeProto, ctx: Ctx, orig: ElemTypes, kept: Set<string>): void {
  if (n.domain !== '' && n.domain !== 'ai.onnx') return;
  const outFloat = n.output[0] !== undefined && orig.get(n.output[0]) === ELEM.FLOAT && !kept.has(n.output[0]);
  if (!outFloat) {
    // a kept Constant may still use value_float(s): that is float32 already
    return;
  }
  if (n.opType === 'Constant') {
    const a = n.attribute[0];
    if (a?.t) a.t = toFloat16Tensor(a.t);
    else if (a && (a.name === 'value_float' || a.name === 'value_floats')) {
      const values = a.name === 'value_float' ? [a.f] : a.floats;
      const dims = a.name === 'value_float' ? [] : [values.length];
      n.attribute = [attrTensor('value', float16BitsTensor('', dims, float32ArrayToFloat16Bits(values)))];
    }
  } else if (n.opType === 'Cast' && !ctx.pinned.has(n)) {
    const to = n.attribute.find((x) => x.name === 'to');
    if (to) to.i = BigInt(ELEM.FLOAT16);
  } else if (n.opType === 'ConstantOfShape') {
    const a = n.attribute.find((x) => x.name === 'value');
    if (a?.t) a.t = toFloat16Tensor(a.t);
    else n.attribute.push(attrTensor('value', float16BitsTensor('', [1], new Uint16Array(1))));
  } else if (DTYPE_ATTR[n.opType]) {
    const name = DTYPE_ATTR[n.opType].attr;
    n.attribute = n.attribute.filter((x) => x.name !== name);
    n.attribute.push(attrInt(name, ELEM.FLOAT16));
  }
}

/** Keep float32 graph I/O: Cast float inputs to fp16 at the start, Cast fp16 results back at the end. */
function wrapGraphIo(g: GraphProto, ctx: Ctx): void {
  const orig = inferElemTypes(g);
  const initializers = new Set(g.initializer.map((t) => t.name));
  const inputNames = new Set(g.input.map((v) => v.name));
  const front: NodeProto[] = [];
  for (const v of g.input) {
    if (initializers.has(v.name) || declaredElemType(v) !== ELEM.FLOAT) continue;
    const half = ctx.names.fresh(`${v.name}__fp16`);
    renameUses(g, v.name, half);
    front.push(castNode(ctx, v.name, half, ELEM.FLOAT));
  }
  const back: NodeProto[] = [];
  const done = new Set<string>();
  for (const v of g.output) {
    if (done.has(v.name) || inputNames.has(v.name) || orig.get(v.name) !== ELEM.FLOAT) continue;
    done.add(v.name);
    const half = ctx.names.fresh(`${v.name}__fp16`);
    renameUses(g, v.name, half);
    const producer = g.node.find((n) => n.output.includes(v.name));
    if (producer) producer.output[producer.output.indexOf(v.name)] = half;
    const init = g.initializer.find((t) => t.name === v.name);
    if (init) init.name = half;
    const cast = castNode(ctx, half, v.name, ELEM.FLOAT);
    ctx.pinned.add(cast);
    back.push(cast);
  }
  g.node = [...front, ...g.node, ...back];
}

function makeCtx(m: ModelProto, opts: Fp16Options): Ctx {
  return {
    opset: opsetVersion(m),
    names: new NameSource(m),
    keepOps: new Set(opts.keepFp32OpTypes ?? []),
    keepNames: new Set(opts.keepFp32NodeNames ?? []),
    pinned: new Set(),
  };
}

function requireFloatModel(m: ModelProto): GraphProto {
  if (!m.graph) throw invalidInput('model has no graph');
  return m.graph;
}

/**
 * Convert a float32 model to float16 compute with float32 graph inputs and outputs. Pure: `model` is
 * not modified. Throws for models with external data.
 */
export function convertToFp16(model: ModelProto, opts: Fp16Options = {}): ModelProto {
  const m = clone(ModelProtoSchema, model);
  const g = requireFloatModel(m);
  const ctx = makeCtx(m, opts);
  wrapGraphIo(g, ctx);
  convertGraph(g, ctx, new Map(), new Map(), true, []);
  return m;
}

/**
 * Store float32 weights (initializers and Constant nodes with at least `minElements` values) as
 * float16, each followed by a Cast back to float32: half the file, same compute. Pure.
 */
export function convertWeightsToFp16(model: ModelProto, opts: Fp16WeightsOptions = {}): ModelProto {
  const m = clone(ModelProtoSchema, model);
  const g = requireFloatModel(m);
  const names = new NameSource(m);
  const minElements = opts.minElements ?? 16;
  const visit = (graph: GraphProto, isTop: boolean) => {
    const graphInputs = new Set(graph.input.map((v) => v.name));
    const front: NodeProto[] = [];
    graph.initializer = graph.initializer.map((t) => {
      // an initializer listed as a top-level input can be overridden by the caller: leave its type alone
      if (t.dataType !== ELEM.FLOAT || tensorElementCount(t) < minElements || (isTop && graphInputs.has(t.name))) return t;
      const half = names.fresh(`${t.name}__fp16`);
      front.push(node('Cast', [half], [t.name], [attrInt('to', ELEM.FLOAT)], { name: names.nodeName('kp_cast') }));
      return toFloat16Tensor(t, half);
    });
    const out: NodeProto[] = [...front];
    for (const n of graph.node) {
      out.push(n);
      const t: TensorProto | undefined = n.opType === 'Constant' && n.domain === '' ? n.attribute[0]?.t : undefined;
      if (t && n.attribute[0].name === 'value' && t.dataType === ELEM.FLOAT && tensorElementCount(t) >= minElements) {
        const target = n.output[0];
        const half = names.fresh(`${target}__fp16`);
        n.attribute[0].t = toFloat16Tensor(t);
        n.output[0] = half;
        out.push(node('Cast', [half], [target], [attrInt('to', ELEM.FLOAT)], { name: names.nodeName('kp_cast') }));
      }
      for (const s of subgraphsOf(n)) visit(s, false);
    }
    graph.node = out;
  };
  visit(g, true);
  return m;
}

/** Bytes in, bytes out: convenience for the variant cache. */
export function fp16Bytes(bytes: Uint8Array, mode: 'fp16' | 'fp16-weights', opts: Fp16Options & Fp16WeightsOptions = {}): Uint8Array {
  const m = decodeModel(bytes);
  return encodeModel(mode === 'fp16' ? convertToFp16(m, opts) : convertWeightsToFp16(m, opts));
}
