// Build and (de)serialize small ONNX models in memory with onnx-buf: used by the transforms (new
// nodes and tensors), the provider probe (a 1-node model) and by tests and benches (hand-built graphs).
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema, AttributeProto_AttributeType as AT, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema,
  OperatorSetIdProtoSchema, TensorProtoSchema, TensorShapeProtoSchema, TensorShapeProto_DimensionSchema,
  TypeProtoSchema, TypeProto_TensorSchema, ValueInfoProtoSchema,
} from 'onnx-buf';
import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf';

/** ONNX TensorProto.DataType values used by the transforms. */
export const ELEM = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

export function decodeModel(bytes: Uint8Array): ModelProto {
  return fromBinary(ModelProtoSchema, bytes);
}

export function encodeModel(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}

export function rawTensor(name: string, dataType: number, dims: number[], raw: Uint8Array): TensorProto {
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return create(TensorProtoSchema, { name, dataType, dims: dims.map(BigInt), rawData: copy });
}

export function floatTensor(name: string, dims: number[], data: ArrayLike<number>): TensorProto {
  const f = Float32Array.from(data as ArrayLike<number>);
  return rawTensor(name, ELEM.FLOAT, dims, new Uint8Array(f.buffer));
}

export function float16BitsTensor(name: string, dims: number[], bits: Uint16Array): TensorProto {
  return rawTensor(name, ELEM.FLOAT16, dims, new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength));
}

export function int8Tensor(name: string, dims: number[], data: Int8Array): TensorProto {
  return rawTensor(name, ELEM.INT8, dims, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

export function uint8Tensor(name: string, dims: number[], data: Uint8Array): TensorProto {
  return rawTensor(name, ELEM.UINT8, dims, data);
}

export function int64Tensor(name: string, dims: number[], data: Array<number | bigint>): TensorProto {
  const b = BigInt64Array.from(data.map((v) => BigInt(v)));
  return rawTensor(name, ELEM.INT64, dims, new Uint8Array(b.buffer));
}

/** dims: numbers for fixed dims, strings for named dynamic dims, null for unnamed; omit for unknown rank. */
export function valueInfo(name: string, elemType: number, dims?: Array<number | string | null>): ValueInfoProto {
  const shape = dims === undefined ? undefined : create(TensorShapeProtoSchema, {
    dim: dims.map((d) => create(TensorShapeProto_DimensionSchema, {
      value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) }
        : typeof d === 'string' ? { case: 'dimParam', value: d } : { case: undefined },
    })),
  });
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType, shape }) } }),
  });
}

export const attrInt = (name: string, v: number | bigint): AttributeProto =>
  create(AttributeProtoSchema, { name, type: AT.INT, i: BigInt(v) });
export const attrFloat = (name: string, v: number): AttributeProto =>
  create(AttributeProtoSchema, { name, type: AT.FLOAT, f: v });
export const attrInts = (name: string, v: Array<number | bigint>): AttributeProto =>
  create(AttributeProtoSchema, { name, type: AT.INTS, ints: v.map((x) => BigInt(x)) });
export const attrFloats = (name: string, v: number[]): AttributeProto =>
  create(AttributeProtoSchema, { name, type: AT.FLOATS, floats: v });
export const attrString = (name: string, v: string): AttributeProto =>
  create(AttributeProtoSchema, { name, type: AT.STRING, s: new TextEncoder().encode(v) });
export const attrTensor = (name: string, t: TensorProto): AttributeProto =>
  create(AttributeProtoSchema, { name, type: AT.TENSOR, t });
export const attrGraph = (name: string, g: GraphProto): AttributeProto =>
  create(AttributeProtoSchema, { name, type: AT.GRAPH, g });

export function node(opType: string, inputs: string[], outputs: string[], attributes: AttributeProto[] = [],
  opts: { name?: string; domain?: string } = {}): NodeProto {
  return create(NodeProtoSchema, {
    opType, input: inputs, output: outputs, attribute: attributes, name: opts.name ?? '', domain: opts.domain ?? '',
  });
}

export function graph(parts: { name?: string; nodes: NodeProto[]; inputs: ValueInfoProto[]; outputs: ValueInfoProto[];
  initializers?: TensorProto[] }): GraphProto {
  return create(GraphProtoSchema, {
    name: parts.name ?? 'g', node: parts.nodes, input: parts.inputs, output: parts.outputs, initializer: parts.initializers ?? [],
  });
}

export function model(g: GraphProto, opts: { opset?: number; irVersion?: number; extraOpsets?: Record<string, number> } = {}): ModelProto {
  const opsetImport = [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opts.opset ?? 17) })];
  for (const [domain, version] of Object.entries(opts.extraOpsets ?? {})) {
    opsetImport.push(create(OperatorSetIdProtoSchema, { domain, version: BigInt(version) }));
  }
  return create(ModelProtoSchema, { irVersion: BigInt(opts.irVersion ?? 8), producerName: 'kneepoint', opsetImport, graph: g });
}

/** The model's opset for a domain ('' and 'ai.onnx' are the default domain); 0 when not imported. */
export function opsetVersion(m: ModelProto, domain = ''): number {
  const wanted = domain === 'ai.onnx' ? '' : domain;
  const found = m.opsetImport.find((o) => (o.domain === 'ai.onnx' ? '' : o.domain) === wanted);
  return found ? Number(found.version) : 0;
}

/** Make sure the model imports `domain` (e.g. com.microsoft for contrib ops). */
export function ensureOpset(m: ModelProto, domain: string, version: number): void {
  if (!m.opsetImport.some((o) => o.domain === domain)) {
    m.opsetImport.push(create(OperatorSetIdProtoSchema, { domain, version: BigInt(version) }));
  }
}

/** Element type declared on a ValueInfo, or 0 when absent / not a tensor. */
export function declaredElemType(v: ValueInfoProto): number {
  return v.type?.value.case === 'tensorType' ? v.type.value.value.elemType : 0;
}

export function setDeclaredElemType(v: ValueInfoProto, elemType: number): void {
  if (v.type?.value.case === 'tensorType') v.type.value.value.elemType = elemType;
}
