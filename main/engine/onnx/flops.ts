// FLOPs of one forward pass from propagated shapes.
// Convention: 2 FLOPs per multiply-accumulate of the ops that dominate compute: MatMul (including
// attention's Q·Kᵀ and P·V, which are MatMuls between activations), Gemm, Conv, ConvTranspose,
// Einsum, and LSTM/GRU/RNN gate matmuls. Element-wise ops, normalizations, pooling and bias adds
// are not counted. Any counted op whose shapes are unknown, or that sits inside an If/Loop/Scan
// body (branch and trip count unknown), makes the total unknown (null) instead of a silent undercount.
import type { GraphProto, NodeProto } from 'onnx-buf';
import { attrInt, attrString, elementCount, forEachNode, subgraphsOf } from './protoAccess.ts';
import { broadcastShapes, type FactsMap, type Propagation } from './shapePropagation.ts';

export const COUNTED_OPS = new Set([
  'MatMul', 'MatMulInteger', 'QLinearMatMul', 'FusedMatMul', 'Gemm', 'Conv', 'ConvInteger', 'QLinearConv',
  'ConvTranspose', 'Einsum', 'LSTM', 'GRU', 'RNN',
]);

export interface FlopsResult {
  /** total FLOPs of one run at the propagated shapes, null when some counted op could not be sized */
  flops: number | null;
  byOpType: Record<string, number>;
  /** why the total is null: the first few nodes that could not be counted */
  unknown: string[];
}

/** FLOPs of one node given the facts map, or null when its shapes are unknown. */
export function nodeFlops(node: NodeProto, facts: FactsMap): number | null {
  const shape = (i: number) => (node.input[i] ? (facts.get(node.input[i])?.shape ?? null) : null);
  switch (node.opType) {
    case 'MatMul':
    case 'MatMulInteger':
    case 'FusedMatMul':
    case 'QLinearMatMul': {
      const q = node.opType === 'QLinearMatMul';
      const a = shape(0);
      const b = shape(q ? 3 : 1);
      if (!a || !b) return null;
      const a2 = a.length === 1 ? [1, a[0]] : a;
      const b2 = b.length === 1 ? [b[0], 1] : b;
      const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)]);
      if (!batch) return null;
      const m = a2[a2.length - 2];
      const k = a2[a2.length - 1];
      const n = b2[b2.length - 1];
      return 2 * elementCount(batch) * m * k * n;
    }
    case 'Gemm': {
      const a = shape(0);
      const b = shape(1);
      if (!a || !b || a.length !== 2 || b.length !== 2) return null;
      const [m, k] = attrInt(node, 'transA', 0) ? [a[1], a[0]] : a;
      const n = attrInt(node, 'transB', 0) ? b[0] : b[1];
      return 2 * m * k * n;
    }
    case 'Conv':
    case 'ConvInteger':
    case 'QLinearConv': {
      const w = shape(node.opType === 'QLinearConv' ? 3 : 1);
      const y = facts.get(node.output[0])?.shape ?? null;
      if (!w || !y) return null;
      // every output element: Cin/group × kernel MACs
      return 2 * elementCount(y) * elementCount(w.slice(1));
    }
    case 'ConvTranspose': {
      const x = shape(0);
      const w = shape(1);
      if (!x || !w) return null;
      // every input element is scattered into Cout/group × kernel outputs
      return 2 * elementCount(x) * elementCount(w.slice(1));
    }
    case 'LSTM':
    case 'GRU':
    case 'RNN': {
      const x = shape(0);
      const wShape = shape(1);
      const r = shape(2);
      if (!x || !wShape || !r) return null;
      const batchFirst = attrInt(node, 'layout', 0) === 1;
      const [seq, batch] = batchFirst ? [x[1], x[0]] : [x[0], x[1]];
      const [dirs, gatesH, input] = wShape;
      const hidden = r[2];
      return 2 * seq * batch * dirs * gatesH * (input + hidden);
    }
    case 'Einsum': {
      const eq = attrString(node, 'equation', '').replace(/\s+/g, '');
      const lhs = eq.split('->')[0];
      if (!lhs || eq.includes('.')) return null;
      const sizes = new Map<string, number>();
      const terms = lhs.split(',');
      for (let i = 0; i < terms.length; i++) {
        const s = shape(i);
        if (!s) return null;
        [...terms[i]].forEach((ch, j) => sizes.set(ch, Math.max(sizes.get(ch) ?? 1, s[j])));
      }
      // one multiply-add per point of the joint index space (for 2 operands)
      const points = [...sizes.values()].reduce((a, b) => a * b, 1);
      return terms.length >= 2 ? 2 * points * (terms.length - 1) : 0;
    }
    default:
      return 0;
  }
}

/**
 * Count FLOPs over the main graph, descending into If branches whose condition was resolved.
 * Counted ops in other subgraphs (unresolved If, Loop, Scan) make the total unknown.
 */
export function countFlops(graph: GraphProto, prop: Propagation): FlopsResult {
  const byOpType: Record<string, number> = {};
  const unknown: string[] = [];
  let total = 0;
  const visit = (g: GraphProto) => {
    for (const node of g.node) {
      if (COUNTED_OPS.has(node.opType)) {
        const f = nodeFlops(node, prop.facts);
        if (f === null || !Number.isFinite(f)) {
          unknown.push(`${node.opType} ${node.name || node.output[0]} (input shape unknown)`);
        } else {
          total += f;
          byOpType[node.opType] = (byOpType[node.opType] ?? 0) + f;
        }
      }
      const branch = prop.takenBranch.get(node);
      if (branch) {
        visit(branch);
        continue;
      }
      for (const sub of subgraphsOf(node)) {
        forEachNode(sub, (inner) => {
          if (COUNTED_OPS.has(inner.opType)) unknown.push(`${inner.opType} inside ${node.opType} ${node.name || node.output[0]}`);
        });
      }
    }
  };
  visit(graph);
  return { flops: unknown.length ? null : total, byOpType, unknown: [...new Set(unknown)].slice(0, 5) };
}
