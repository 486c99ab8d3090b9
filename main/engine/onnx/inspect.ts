// Inspect an .onnx file: the ModelInfo fields that come from the file itself (I/O, batch dims,
// opsets, op histogram, parameters, FLOPs per sample, size and hash). Pure reading: no session.
import type { GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf';
import type { InputPin, ModelInfo, TensorInfo } from '../../common/types.ts';
import { dtypeName } from './dtypes.ts';
import { countFlops } from './flops.ts';
import { concreteInputShapes, detectBatchLayout } from './inputShapes.ts';
import { loadOnnxModel } from './parseModel.ts';
import { attrInt, elementCount, forEachNode, tensorDataBytes, tensorDims, tensorValues } from './protoAccess.ts';
import { propagateShapes } from './shapePropagation.ts';

export type InspectResult = Pick<
  ModelInfo,
  'sha256' | 'bytes' | 'inputs' | 'outputs' | 'opsets' | 'params' | 'paramBytes' | 'flopsPerSample' | 'dynamicBatch' | 'batchDims' | 'opHistogram'
> & {
  irVersion: number;
  producer: string;
  /** FLOPs per sample split by op type (MatMul, Gemm, Conv, …) */
  flopsByOpType: Record<string, number>;
  /** why flopsPerSample is null (the nodes that could not be sized), absent when it is known */
  flopsNote?: string;
  /** input shapes used for FLOPs: batch = 1 and the pins / defaults for other dynamic dims */
  shapesForFlops: Record<string, number[] | null>;
  /** what the graph does with each input beyond arithmetic (absent for plain data inputs) */
  inputRoles: Record<string, InputRole>;
};

/**
 * An input whose value changes which computation runs, or which rows are read: random values for
 * it would measure a branch or a lookup the model never sees in use.
 */
export interface InputRole {
  /** compared with these constants (Equal, Less, …), or used directly, where the result picks a branch (If), values (Where) or a trip (Loop) */
  selects?: { constants: number[]; via: string };
  /** compared with these constants without reaching control flow (still: its value is not data) */
  comparedWith?: number[];
  /** used as Gather indices into a table of this many rows (ids must be 0 … rows-1) */
  gatherRows?: number;
}

export interface InspectOptions {
  /** pins (e.g. a catalog entry's defaultPins) that give concrete sizes to dynamic non-batch dims */
  pins?: InputPin[];
}

export function tensorInfo(vi: ValueInfoProto): TensorInfo {
  const tt = vi.type?.value.case === 'tensorType' ? vi.type.value.value : undefined;
  if (!tt) {
    const kind = vi.type?.value.case ?? 'unknown';
    return { name: vi.name, type: kind === 'unknown' ? 'unknown' : kind.replace('Type', ''), shape: [] };
  }
  const shape = (tt.shape?.dim ?? []).map((d) => {
    if (d.value.case === 'dimValue' && d.value.value >= 0n) return Number(d.value.value);
    if (d.value.case === 'dimParam' && d.value.value !== '') return d.value.value;
    return null;
  });
  return { name: vi.name, type: dtypeName(tt.elemType), shape };
}

/** Graph inputs that are real inputs (old IR versions also list initializers as inputs). */
export function graphInputs(graph: GraphProto): ValueInfoProto[] {
  const inits = new Set(graph.initializer.map((t) => t.name));
  return graph.input.filter((vi) => !inits.has(vi.name));
}

/** Parameters = elements of initializers (all graphs) and Constant-node tensors (paddle2onnx keeps weights there). */
export function countParams(graph: GraphProto): { params: number; paramBytes: number } {
  let params = 0;
  let paramBytes = 0;
  const addGraph = (g: GraphProto) => {
    for (const t of g.initializer) {
      params += elementCount(tensorDims(t));
      paramBytes += tensorDataBytes(t);
    }
    for (const s of g.sparseInitializer) {
      const n = s.values ? elementCount(tensorDims(s.values)) : 0;
      params += n;
      paramBytes += s.values ? tensorDataBytes(s.values) : 0;
    }
  };
  addGraph(graph);
  forEachNode(graph, (node) => {
    for (const a of node.attribute) {
      for (const g of [a.g, ...a.graphs]) if (g) addGraph(g);
    }
    if (node.opType !== 'Constant' || node.domain !== '') return;
    for (const a of node.attribute) {
      if (a.t) {
        params += elementCount(tensorDims(a.t));
        paramBytes += tensorDataBytes(a.t);
      } else if (a.name === 'value_floats' || a.name === 'value_ints') {
        const n = a.name === 'value_floats' ? a.floats.length : a.ints.length;
        params += n;
        paramBytes += n * (a.name === 'value_floats' ? 4 : 8);
      } else if (a.name === 'value_float' || a.name === 'value_int') {
        params += 1;
        paramBytes += a.name === 'value_float' ? 4 : 8;
      }
    }
  });
  return { params, paramBytes };
}

export function opHistogram(graph: GraphProto): Record<string, number> {
  const hist: Record<string, number> = {};
  forEachNode(graph, (node) => {
    const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
    hist[key] = (hist[key] ?? 0) + 1;
  });
  return Object.fromEntries(Object.entries(hist).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

const PASS_THROUGH = new Set(['Cast', 'Identity', 'Squeeze', 'Unsqueeze', 'Reshape', 'Flatten', 'Expand', 'CastLike']);
const COMPARISONS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual']);
const BOOL_OPS = new Set(['Not', 'And', 'Or', 'Xor', ...PASS_THROUGH]);

/** Which graph inputs select branches, are compared with constants, or index a Gather table. */
export function inputRoles(graph: GraphProto, inputs: readonly string[]): Record<string, InputRole> {
  const consumers = new Map<string, NodeProto[]>();
  const constants = new Map<string, TensorProto>();
  for (const t of graph.initializer) constants.set(t.name, t);
  forEachNode(graph, (node) => {
    for (const i of node.input) if (i) (consumers.get(i) ?? consumers.set(i, []).get(i)!).push(node);
    if (node.opType === 'Constant' && node.domain === '') {
      const t = node.attribute.find((a) => a.name === 'value')?.t;
      if (t && node.output[0]) constants.set(node.output[0], t);
    }
  });
  /** names reachable from `start` through ops that only reshape or convert it */
  const derived = (start: string, through: Set<string>): Set<string> => {
    const seen = new Set([start]);
    const queue = [start];
    while (queue.length) {
      const name = queue.shift()!;
      for (const n of consumers.get(name) ?? []) {
        if (!through.has(n.opType) || n.input[0] !== name) continue;
        for (const o of n.output) if (o && !seen.has(o)) { seen.add(o); queue.push(o); }
      }
    }
    return seen;
  };
  /** the control-flow op a boolean reaches: If's condition, Where's condition, Loop's condition */
  const controlOf = (names: Set<string>): string | undefined => {
    for (const name of names) {
      for (const n of consumers.get(name) ?? []) {
        if (n.opType === 'If' && n.input[0] === name) return 'If';
        if (n.opType === 'Where' && n.input[0] === name) return 'Where';
        if (n.opType === 'Loop' && (n.input[1] === name || n.input[0] === name)) return 'Loop';
      }
    }
    return undefined;
  };
  const out: Record<string, InputRole> = {};
  for (const input of inputs) {
    const role: InputRole = {};
    const names = derived(input, PASS_THROUGH);
    const compared: number[] = [];
    let via: string | undefined;
    for (const name of names) {
      for (const n of consumers.get(name) ?? []) {
        if (COMPARISONS.has(n.opType)) {
          const other = n.input[0] === name ? n.input[1] : n.input[0];
          const t = other ? constants.get(other) : undefined;
          const vals = t ? tensorValues(t, 16) : null;
          if (vals) compared.push(...vals);
          const cf = controlOf(derived(n.output[0], BOOL_OPS));
          if (cf && !via) via = `${n.opType} → ${cf}`;
        } else if (n.opType === 'Gather' && n.input[1] === name) {
          const table = constants.get(n.input[0]);
          const dims = table ? tensorDims(table) : [];
          const axis = attrInt(n, 'axis', 0);
          const rows = dims[axis < 0 ? dims.length + axis : axis];
          if (rows !== undefined && rows > 0) role.gatherRows = Math.min(role.gatherRows ?? rows, rows);
        }
      }
    }
    const direct = controlOf(names);
    if (via || direct) role.selects = { constants: [...new Set(compared)], via: via ?? direct! };
    else if (compared.length) role.comparedWith = [...new Set(compared)];
    if (role.selects || role.comparedWith || role.gatherRows !== undefined) out[input] = role;
  }
  return out;
}

function defaultOpset(model: ModelProto): number {
  const o = model.opsetImport.find((x) => x.domain === '' || x.domain === 'ai.onnx');
  return o ? Number(o.version) : 1;
}

/**
 * Inspect an ONNX file. Throws `invalidInput` (with what is wrong and what to do) for a missing,
 * empty, truncated or non-ONNX file and for pins that do not match the model's inputs.
 */
export async function inspectOnnxFile(path: string, opts: InspectOptions = {}): Promise<InspectResult> {
  const { model, fileBytes, sha256 } = await loadOnnxModel(path);
  const graph = model.graph!;
  const inputs = graphInputs(graph).map(tensorInfo);
  const outputs = graph.output.map(tensorInfo);
  const layout = detectBatchLayout(inputs);
  const shapes = concreteInputShapes(inputs, layout, opts.pins ?? [], 1);
  const values = new Map<string, number[]>();
  for (const pin of opts.pins ?? []) {
    const s = shapes.get(pin.name);
    if (pin.value !== undefined && s && elementCount(s) <= 64) values.set(pin.name, new Array(elementCount(s)).fill(pin.value));
  }
  const prop = propagateShapes(graph, shapes, defaultOpset(model), values);
  const flops = countFlops(graph, prop);
  // a fixed batch dim > 1 (e.g. [4,3,224,224]) means one run is several samples
  let samplesPerRun = 1;
  if (!layout.dynamicBatch) {
    for (const t of inputs) {
      const bd = layout.batchDims[t.name];
      const s = shapes.get(t.name);
      if (bd !== null && bd !== undefined && s) samplesPerRun = Math.max(samplesPerRun, s[bd]);
    }
  }
  const unresolved = inputs.filter((t) => shapes.get(t.name) === null).map((t) => t.name);
  let flopsNote: string | undefined;
  if (flops.flops === null) {
    flopsNote = unresolved.length
      ? `input shape not concrete for ${unresolved.join(', ')}: pin a shape for its dynamic dims`
      : `could not size: ${flops.unknown.join('; ')}`;
  }
  const { params, paramBytes } = countParams(graph);
  const perSample = (x: number) => x / samplesPerRun;
  return {
    sha256,
    bytes: fileBytes,
    inputs,
    outputs,
    opsets: model.opsetImport.map((o) => ({ domain: o.domain === '' ? 'ai.onnx' : o.domain, version: Number(o.version) })),
    params,
    paramBytes,
    flopsPerSample: flops.flops === null ? null : perSample(flops.flops),
    dynamicBatch: layout.dynamicBatch,
    batchDims: layout.batchDims,
    opHistogram: opHistogram(graph),
    irVersion: Number(model.irVersion),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    flopsByOpType: Object.fromEntries(Object.entries(flops.byOpType).map(([k, v]) => [k, perSample(v)])),
    ...(flopsNote ? { flopsNote } : {}),
    shapesForFlops: Object.fromEntries(shapes),
    inputRoles: inputRoles(graph, inputs.map((t) => t.name)),
  };
}
