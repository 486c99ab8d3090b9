// Small read helpers over onnx-buf messages: node attributes, tensor dims and (small) tensor values,
// and walking into If/Loop/Scan subgraphs.
import type { AttributeProto, GraphProto, NodeProto, TensorProto } from 'onnx-buf';
import { dtypeBits } from './dtypes.ts';

export function attr(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}

export function attrInt(node: NodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a ? Number(a.i) : fallback;
}

export function attrInts(node: NodeProto, name: string): number[] | undefined {
  const a = attr(node, name);
  return a ? a.ints.map(Number) : undefined;
}

export function attrFloat(node: NodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a ? a.f : fallback;
}

export function attrString(node: NodeProto, name: string, fallback: string): string {
  const a = attr(node, name);
  return a ? new TextDecoder().decode(a.s) : fallback;
}

export function tensorDims(t: TensorProto): number[] {
  return t.dims.map(Number);
}

export function elementCount(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Storage bytes of a tensor's data: raw bytes when present, else elements × element size. */
export function tensorDataBytes(t: TensorProto): number {
  if (t.rawData.length > 0) return t.rawData.length;
  return Math.ceil((elementCount(tensorDims(t)) * dtypeBits(t.dataType)) / 8);
}

/**
 * Numeric values of a tensor as plain numbers, or null when it is larger than `maxElements`
 * or stored in a form we do not decode (external data, strings, fp16/bf16 raw).
 */
export function tensorValues(t: TensorProto, maxElements = 64): number[] | null {
  const n = elementCount(tensorDims(t));
  if (n > maxElements) return null;
  if (t.int64Data.length) return t.int64Data.map(Number);
  if (t.int32Data.length && t.dataType !== 10 && t.dataType !== 16) return t.int32Data.slice();
  if (t.floatData.length) return t.floatData.slice();
  if (t.doubleData.length) return t.doubleData.slice();
  if (t.uint64Data.length) return t.uint64Data.map(Number);
  const raw = t.rawData;
  if (raw.length === 0) return n === 0 ? [] : null;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    switch (t.dataType) {
      case 1: out.push(view.getFloat32(i * 4, true)); break;
      case 11: out.push(view.getFloat64(i * 8, true)); break;
      case 7: out.push(Number(view.getBigInt64(i * 8, true))); break;
      case 13: out.push(Number(view.getBigUint64(i * 8, true))); break;
      case 6: out.push(view.getInt32(i * 4, true)); break;
      case 12: out.push(view.getUint32(i * 4, true)); break;
      case 2: case 9: out.push(view.getUint8(i)); break;
      case 3: out.push(view.getInt8(i)); break;
      case 4: out.push(view.getUint16(i * 2, true)); break;
      case 5: out.push(view.getInt16(i * 2, true)); break;
      default: return null;
    }
  }
  return out;
}

/** Subgraphs held by a node's attributes (If then/else, Loop/Scan body). */
export function subgraphsOf(node: NodeProto): GraphProto[] {
  const out: GraphProto[] = [];
  for (const a of node.attribute) {
    if (a.g) out.push(a.g);
    out.push(...a.graphs);
  }
  return out;
}

/** Visit every node of a graph, descending into subgraphs. */
export function forEachNode(graph: GraphProto, visit: (node: NodeProto, depth: number) => void, depth = 0): void {
  for (const node of graph.node) {
    visit(node, depth);
    for (const g of subgraphsOf(node)) forEachNode(g, visit, depth + 1);
  }
}
