// Dynamic int8 quantization of MatMul / Gemm (and Conv) weights, symmetric, per tensor or per output
// channel. Activations are quantized at run time (DynamicQuantizeLinear), so no calibration data.
//
// Forms:
// - standard (ai.onnx opset >= 11): DynamicQuantizeLinear + MatMulInteger / ConvInteger + Cast + Mul
//   (+ Add for a bias). ORT fuses the MatMul form into DynamicQuantizeMatMul at load.
// - contrib (any opset): com.microsoft DynamicQuantizeMatMul(A, W_q, W_scale, W_zp, bias). ORT-only.
// Conv has no contrib form on the CPU provider: below opset 11 it stays float32 (reported as skipped).
// Only the top-level graph is quantized; nodes inside If/Loop/Scan bodies stay float32.
import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { invalidInput } from '../../common/errors.ts';
import {
  attrInt, decodeModel, ELEM, encodeModel, ensureOpset, floatTensor, int8Tensor, node, opsetVersion, uint8Tensor,
} from './protoBuild.ts';
import { NameSource } from './graphNames.ts';
import { readFloat32, tensorShape } from './tensorData.ts';

export type QuantizableOp = 'MatMul' | 'Gemm' | 'Conv';

export interface Int8Options {
  /** one scale per output channel (MatMul/Gemm column, Conv filter) instead of one per tensor */
  perChannel?: boolean;
  /** 'auto' (default): standard ops when opset >= 11, else the com.microsoft contrib op */
  form?: 'auto' | 'standard' | 'contrib';
  /** op types to quantize; default MatMul, Gemm and Conv */
  opTypes?: QuantizableOp[];
  /** leave these nodes (by name) in float32 */
  excludeNodeNames?: string[];
  /** leave these op types in float32 */
  excludeOpTypes?: string[];
  /** weights smaller than this stay float32 (quantizing tiny MatMuls costs more than it saves); default 256 */
  minWeightElements?: number;
  /** 7-bit weights (±63): avoids int16 saturation in u8×s8 kernels on CPUs without VNNI; default false */
  reduceRange?: boolean;
}

export interface Int8Report {
  form: 'standard' | 'contrib';
  quantized: Array<{ node: string; opType: string }>;
  skipped: Array<{ node: string; opType: string; reason: string }>;
}

export const INT8_TRANSFORM_VERSION = 1;

interface Weight { tensor: TensorProto; values: Float32Array; dims: number[] }

/** Symmetric int8 quantization of `values` laid out with `channels` along `axis` of `dims` (axis -1 = per tensor). */
export function quantizeSymmetric(values: Float32Array, dims: number[], axis: number, qmax = 127): { q: Int8Array; scales: Float32Array } {
  const channels = axis < 0 ? 1 : dims[axis];
  const inner = axis < 0 ? 1 : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => (axis < 0 ? 0 : Math.floor(i / inner) % channels);
  const maxAbs = new Float32Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = channelOf(i);
    const a = Math.abs(values[i]);
    if (a > maxAbs[c]) maxAbs[c] = a;
  }
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i] / scales[channelOf(i)]);
    q[i] = Math.max(-qmax, Math.min(qmax, v));
  }
  return { q, scales };
}

function transpose2d(v: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c];
  return out;
}

function attrOf(n: NodeProto, name: string) {
  return n.attribute.find((a) => a.name === name);
}

class GraphQuantizer {
  readonly g: GraphProto;
  readonly names: NameSource;
  readonly opts: Required<Omit<Int8Options, 'form'>>;
  readonly form: 'standard' | 'contrib';
  readonly report: Int8Report;
  readonly out: NodeProto[] = [];
  readonly newInits: TensorProto[] = [];
  private readonly activations = new Map<string, { q: string; scale: string; zp: string }>();
  private readonly consumers = new Map<string, number>();
  private readonly consumedWeights = new Map<string, number>();
  private readonly constNodes = new Map<string, NodeProto>();

  constructor(g: GraphProto, names: NameSource, opts: Int8Options, form: 'standard' | 'contrib') {
    this.g = g;
    this.names = names;
    this.form = form;
    this.opts = {
      perChannel: opts.perChannel ?? false,
      opTypes: opts.opTypes ?? ['MatMul', 'Gemm', 'Conv'],
      excludeNodeNames: opts.excludeNodeNames ?? [],
      excludeOpTypes: opts.excludeOpTypes ?? [],
      minWeightElements: opts.minWeightElements ?? 256,
      reduceRange: opts.reduceRange ?? false,
    };
    this.report = { form, quantized: [], skipped: [] };
    const countUses = (graph: GraphProto) => {
      for (const n of graph.node) {
        for (const i of n.input) this.consumers.set(i, (this.consumers.get(i) ?? 0) + 1);
        for (const a of n.attribute) for (const s of a.g ? [a.g, ...a.graphs] : a.graphs) countUses(s);
      }
      for (const o of graph.output) this.consumers.set(o.name, (this.consumers.get(o.name) ?? 0) + 1);
    };
    countUses(g);
    for (const n of g.node) if (n.opType === 'Constant' && n.domain === '' && n.attribute[0]?.t) this.constNodes.set(n.output[0], n);
  }

  private weight(name: string): Weight | undefined {
    const t = this.g.initializer.find((x) => x.name === name) ?? this.constNodes.get(name)?.attribute[0]?.t;
    if (!t || t.dataType !== ELEM.FLOAT) return undefined;
    if (this.g.input.some((v) => v.name === name)) return undefined; // overridable by the caller: not a constant
    return { tensor: t, values: readFloat32(t), dims: tensorShape(t) };
  }

  private useWeight(name: string): void {
    this.consumedWeights.set(name, (this.consumedWeights.get(name) ?? 0) + 1);
  }

  private skip(n: NodeProto, reason: string): void {
    this.report.skipped.push({ node: n.name, opType: n.opType, reason });
    this.out.push(n);
  }

  private init(base: string, t: (name: string) => TensorProto): string {
    const name = this.names.fresh(base);
    this.newInits.push(t(name));
    return name;
  }

  private emit(op: string, inputs: string[], outputs: string[], attrs: NodeProto['attribute'] = [], opts: { name?: string; domain?: string } = {}): void {
    this.out.push(node(op, inputs, outputs, attrs, { name: opts.name ?? this.names.nodeName(`kp_${op}`), domain: opts.domain }));
  }

  private quantizedActivation(a: string): { q: string; scale: string; zp: string } {
    let act = this.activations.get(a);
    if (!act) {
      act = { q: this.names.fresh(`${a}__q`), scale: this.names.fresh(`${a}__scale`), zp: this.names.fresh(`${a}__zp`) };
      this.emit('DynamicQuantizeLinear', [a], [act.q, act.scale, act.zp]);
      this.activations.set(a, act);
    }
    return act;
  }

  /** Quantized weight initializers: values [.., channels on `axis`], returns names and scales. */
  private quantWeight(base: string, values: Float32Array, dims: number[], axis: number, alpha = 1) {
    const qmax = this.opts.reduceRange ? 63 : 127;
    const { q, scales } = quantizeSymmetric(values, dims, this.opts.perChannel ? axis : -1, qmax);
    const scaled = scales.map((s) => s * alpha);
    const perChannel = this.opts.perChannel;
    const wq = this.init(`${base}__int8`, (n) => int8Tensor(n, dims, q));
    const scaleDims = perChannel ? [scaled.length] : [];
    const scale = this.init(`${base}__scale`, (n) => floatTensor(n, scaleDims, scaled));
    const zp = this.init(`${base}__zp`, (n) => int8Tensor(n, scaleDims, new Int8Array(scaled.length)));
    return { wq, scale, zp, scales: scaled };
  }

  run(): Int8Report {
    for (const n of this.g.node) {
      const op = n.opType as QuantizableOp;
      if (n.domain !== '' || !this.opts.opTypes.includes(op)) { this.out.push(n); continue; }
      if (this.opts.excludeOpTypes.includes(op)) { this.skip(n, 'op type excluded'); continue; }
      if (n.name && this.opts.excludeNodeNames.includes(n.name)) { this.skip(n, 'node excluded by name'); continue; }
      const w = this.weight(n.input[1]);
      if (!w) { this.skip(n, 'weight is not a float32 constant'); continue; }
      if (w.values.length < this.opts.minWeightElements) { this.skip(n, `weight has fewer than ${this.opts.minWeightElements} elements`); continue; }
      const reason = op === 'Conv' ? this.conv(n, w) : this.matmul(n, w, op === 'Gemm');
      if (reason) { this.skip(n, reason); continue; }
      this.useWeight(n.input[1]);
      this.report.quantized.push({ node: n.name, opType: op });
    }
    return this.report;
  }

  /** MatMul(A, W) or Gemm(A, W, C); returns a reason when the node is left alone. */
  private matmul(n: NodeProto, w: Weight, isGemm: boolean): string | undefined {
    if (w.dims.length !== 2) return `weight has rank ${w.dims.length}, not 2`;
    let [k, cols] = w.dims;
    let values = w.values;
    let alpha = 1;
    let bias: string | undefined;
    let biasIsVector = false;
    if (isGemm) {
      if (Number(attrOf(n, 'transA')?.i ?? 0n) !== 0) return 'Gemm with transA is not handled';
      if (Number(attrOf(n, 'transB')?.i ?? 0n) !== 0) { values = transpose2d(values, k, cols); [k, cols] = [cols, k]; }
      alpha = attrOf(n, 'alpha')?.f ?? 1;
      const beta = attrOf(n, 'beta')?.f ?? 1;
      if (n.input[2]) {
        const c = this.weight(n.input[2]);
        if (c) {
          const scaled = c.values.map((v) => v * beta);
          biasIsVector = c.dims.length <= 2 && c.values.length === cols && (c.dims.length === 1 || c.dims[0] === 1);
          const dims = biasIsVector ? [cols] : c.dims;
          bias = this.init(`${n.input[2]}__bias`, (nm) => floatTensor(nm, dims, scaled));
          this.useWeight(n.input[2]);
        } else if (beta === 1) {
          bias = n.input[2];
        } else {
          return 'Gemm with a non-constant C and beta != 1 is not handled';
        }
      }
    }
    const base = n.input[1];
    const { wq, scale, zp } = this.quantWeight(base, values, [k, cols], 1, alpha);
    const y = n.output[0];
    const label = n.name || this.names.nodeName(n.opType);
    if (this.form === 'contrib') {
      const preBias = bias && !biasIsVector ? this.names.fresh(`${y}__nobias`) : y;
      const inputs = [n.input[0], wq, scale, zp];
      if (bias && biasIsVector) inputs.push(bias);
      this.emit('DynamicQuantizeMatMul', inputs, [preBias], [], { name: label, domain: 'com.microsoft' });
      if (preBias !== y) this.emit('Add', [preBias, bias!], [y]);
      return undefined;
    }
    const act = this.quantizedActivation(n.input[0]);
    const yInt = this.names.fresh(`${y}__int32`);
    const yFloat = this.names.fresh(`${y}__f32`);
    const combined = this.names.fresh(`${y}__scale`);
    const scaledOut = bias ? this.names.fresh(`${y}__nobias`) : y;
    this.emit('MatMulInteger', [act.q, wq, act.zp, zp], [yInt], [], { name: label });
    this.emit('Cast', [yInt], [yFloat], [attrInt('to', ELEM.FLOAT)]);
    this.emit('Mul', [act.scale, scale], [combined]);
    this.emit('Mul', [yFloat, combined], [scaledOut]);
    if (bias) this.emit('Add', [scaledOut, bias], [y]);
    return undefined;
  }

  /** Conv(X, W, B) → ConvInteger + Cast + Mul (+ Add). */
  private conv(n: NodeProto, w: Weight): string | undefined {
    if (this.form !== 'standard') return 'Conv needs ai.onnx opset >= 11 (ConvInteger + DynamicQuantizeLinear); no contrib form on CPU';
    const m = w.dims[0];
    const spatial = w.dims.length - 2;
    const { q, scales } = quantizeSymmetric(w.values, w.dims, this.opts.perChannel ? 0 : -1, this.opts.reduceRange ? 63 : 127);
    // uint8 codes with zero point 128 (same values as symmetric int8): the ConvInteger form ORT's CPU
    // provider has supported longest.
    const qu = Uint8Array.from(q, (v) => v + 128);
    const base = n.input[1];
    const wq = this.init(`${base}__uint8`, (nm) => uint8Tensor(nm, w.dims, qu));
    const zp = this.init(`${base}__zp`, (nm) => uint8Tensor(nm, [], Uint8Array.of(128)));
    const bcast = [1, scales.length === 1 ? 1 : m, ...new Array<number>(spatial).fill(1)];
    const scale = this.init(`${base}__scale`, (nm) => floatTensor(nm, bcast, scales));
    const act = this.quantizedActivation(n.input[0]);
    const y = n.output[0];
    const yInt = this.names.fresh(`${y}__int32`);
    const yFloat = this.names.fresh(`${y}__f32`);
    const combined = this.names.fresh(`${y}__scale`);
    let bias: string | undefined;
    if (n.input[2]) {
      const b = this.weight(n.input[2]);
      if (b) {
        bias = this.init(`${n.input[2]}__bias`, (nm) => floatTensor(nm, [1, m, ...new Array<number>(spatial).fill(1)], b.values));
        this.useWeight(n.input[2]);
      } else {
        return 'Conv bias is not a constant';
      }
    }
    const scaledOut = bias ? this.names.fresh(`${y}__nobias`) : y;
    const attrs = n.attribute.filter((a) => ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'].includes(a.name));
    this.emit('ConvInteger', [act.q, wq, act.zp, zp], [yInt], attrs, { name: n.name || undefined });
    this.emit('Cast', [yInt], [yFloat], [attrInt('to', ELEM.FLOAT)]);
    this.emit('Mul', [act.scale, scale], [combined]);
    this.emit('Mul', [yFloat, combined], [scaledOut]);
    if (bias) this.emit('Add', [scaledOut, bias], [y]);
    return undefined;
  }

  /** Drop float weights that no remaining node uses. */
  finish(): void {
    const unused = (name: string) => (this.consumedWeights.get(name) ?? 0) > 0 && this.consumedWeights.get(name) === this.consumers.get(name);
    this.g.initializer = [...this.g.initializer.filter((t) => !unused(t.name)), ...this.newInits];
    this.g.node = this.out.filter((n) => !(n.opType === 'Constant' && n.domain === '' && unused(n.output[0])));
  }
}

/**
 * Dynamic int8 quantization of a float32 model's MatMul/Gemm/Conv weights. Pure: `model` is not
 * modified. The report lists what was quantized and why other candidates were left in float32.
 */
export function quantizeDynamicInt8(model: ModelProto, opts: Int8Options = {}): { model: ModelProto; report: Int8Report } {
  const m = clone(ModelProtoSchema, model);
  if (!m.graph) throw invalidInput('model has no graph');
  const opset = opsetVersion(m);
  const wanted = opts.form ?? 'auto';
  if (wanted === 'standard' && opset < 11) {
    throw invalidInput(`int8 standard ops need ai.onnx opset >= 11 (model has ${opset}); use form 'contrib' or 'auto'`);
  }
  const form = wanted === 'auto' ? (opset >= 11 ? 'standard' : 'contrib') : wanted;
  const q = new GraphQuantizer(m.graph, new NameSource(m), opts, form);
  const report = q.run();
  q.finish();
  if (report.quantized.length > 0 && form === 'contrib') ensureOpset(m, 'com.microsoft', 1);
  return { model: m, report };
}

/** Bytes in, bytes out: convenience for the variant cache. */
export function int8Bytes(bytes: Uint8Array, opts: Int8Options = {}): { bytes: Uint8Array; report: Int8Report } {
  const { model, report } = quantizeDynamicInt8(decodeModel(bytes), opts);
  return { bytes: encodeModel(model), report };
}
