// A small builder for ONNX graphs with onnx-buf, used by the generated model families.
// Weights come from a seeded PRNG so the same recipe always gives byte-identical files.
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import type { AttributeProto, NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf';
import { DT } from '../dtypes.ts';
import { mulberry32 } from '../../../common/stats/rng.ts';

export type AttrValue =
  | { int: number }
  | { ints: number[] }
  | { float: number }
  | { floats: number[] }
  | { string: string };

export const attrs = {
  int: (v: number): AttrValue => ({ int: v }),
  ints: (v: number[]): AttrValue => ({ ints: v }),
  float: (v: number): AttrValue => ({ float: v }),
  string: (v: string): AttrValue => ({ string: v }),
};

function makeAttr(name: string, v: AttrValue): AttributeProto {
  // AttributeType: FLOAT=1 INT=2 STRING=3 FLOATS=6 INTS=7
  if ('int' in v) return create(AttributeProtoSchema, { name, type: 2, i: BigInt(v.int) });
  if ('ints' in v) return create(AttributeProtoSchema, { name, type: 7, ints: v.ints.map(BigInt) });
  if ('float' in v) return create(AttributeProtoSchema, { name, type: 1, f: v.float });
  if ('floats' in v) return create(AttributeProtoSchema, { name, type: 6, floats: v.floats });
  return create(AttributeProtoSchema, { name, type: 3, s: new TextEncoder().encode(v.string) });
}

function valueInfo(name: string, elemType: number, shape: Array<number | string>): ValueInfoProto {
  const dim = shape.map((d) =>
    create(TensorShapeProto_DimensionSchema, {
      value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
    }),
  );
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType, shape: create(TensorShapeProtoSchema, { dim }) }) },
    }),
  });
}

export class SeededGraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  private readonly rand: () => number;
  private counter = 0;

  constructor(seed: number) {
    this.rand = mulberry32(seed);
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, elemType: number, shape: Array<number | string>): string {
    this.inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  output(name: string, elemType: number, shape: Array<number | string>): void {
    this.outputs.push(valueInfo(name, elemType, shape));
  }

  /** Standard-normal samples (Box–Muller) scaled by `std`. */
  private normal(n: number, std: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const u = 1 - this.rand();
      const v = this.rand();
      const r = Math.sqrt(-2 * Math.log(u));
      out[i] = r * Math.cos(2 * Math.PI * v) * std;
      if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v) * std;
    }
    return out;
  }

  /** A float32 initializer from explicit data (little-endian raw bytes). */
  floatTensor(prefix: string, dims: number[], data: Float32Array): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(data.byteLength);
    raw.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.initializers.push(create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DT.FLOAT, rawData: raw }));
    return name;
  }

  /** Random weight with std = gain / sqrt(fanIn) (He-style), so activations stay finite through depth. */
  weight(prefix: string, dims: number[], fanIn: number, gain = Math.SQRT2): string {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.floatTensor(prefix, dims, this.normal(n, gain / Math.sqrt(fanIn)));
  }

  /** Small random bias. */
  bias(prefix: string, size: number): string {
    return this.floatTensor(prefix, [size], this.normal(size, 0.02));
  }

  filled(prefix: string, dims: number[], value: number): string {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.floatTensor(prefix, dims, new Float32Array(n).fill(value));
  }

  scalarFloat(prefix: string, value: number): string {
    return this.floatTensor(prefix, [], new Float32Array([value]));
  }

  int64(prefix: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.fresh(prefix);
    this.initializers.push(create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DT.INT64, int64Data: values.map(BigInt) }));
    return name;
  }

  /** Add a node; returns its output names (one unless `outputs` > 1). */
  node(opType: string, inputs: string[], attributes: Record<string, AttrValue> = {}, outputs = 1): string[] {
    const base = this.fresh(opType.toLowerCase());
    const out = Array.from({ length: outputs }, (_, i) => (outputs === 1 ? base : `${base}_${i}`));
    this.nodes.push(
      create(NodeProtoSchema, {
        name: base,
        opType,
        input: inputs,
        output: out,
        attribute: Object.entries(attributes).map(([k, v]) => makeAttr(k, v)),
      }),
    );
    return out;
  }

  /** Shorthand for a single-output node. */
  op(opType: string, inputs: string[], attributes: Record<string, AttrValue> = {}): string {
    return this.node(opType, inputs, attributes)[0];
  }

  /** Rename the last node's output so the graph output has a stable, readable name. */
  renameLastOutput(name: string): void {
    const last = this.nodes[this.nodes.length - 1];
    last.output[0] = name;
  }

  /** Serialize as an ONNX model (ir_version 8, opset 17 by default). */
  toBytes(opts: { graphName: string; docString: string; metadata: Record<string, string>; opset?: number }): Uint8Array {
    const graph = create(GraphProtoSchema, {
      name: opts.graphName,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    });
    const model = create(ModelProtoSchema, {
      irVersion: 8n,
      producerName: 'kneepoint',
      producerVersion: '1',
      docString: opts.docString,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opts.opset ?? 17) })],
      metadataProps: Object.entries(opts.metadata).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
      graph,
    });
    return toBinary(ModelProtoSchema, model);
  }
}
