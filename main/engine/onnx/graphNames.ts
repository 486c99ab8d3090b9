// Name bookkeeping shared by the graph transforms: fresh unique names and renaming a tensor's uses,
// including uses from inside If/Loop/Scan subgraphs (outer-scope references).
import type { GraphProto, ModelProto } from 'onnx-buf';
import { subgraphsOf } from './protoAccess.ts';

export class NameSource {
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(m: ModelProto) {
    const visit = (g: GraphProto) => {
      for (const v of [...g.input, ...g.output, ...g.valueInfo]) this.used.add(v.name);
      for (const t of g.initializer) this.used.add(t.name);
      for (const n of g.node) {
        for (const x of [...n.input, ...n.output]) this.used.add(x);
        if (n.name) this.used.add(n.name);
        for (const s of subgraphsOf(n)) visit(s);
      }
    };
    if (m.graph) visit(m.graph);
  }

  /** `base` if unused, else `base_2`, `base_3`, … ; the result is reserved. */
  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  nodeName(prefix: string): string {
    return this.fresh(`${prefix}_${++this.counter}`);
  }
}

/** Replace every use of tensor `from` by `to` in `g`'s nodes and, recursively, in its subgraphs. */
export function renameUses(g: GraphProto, from: string, to: string): void {
  for (const n of g.node) {
    for (let i = 0; i < n.input.length; i++) if (n.input[i] === from) n.input[i] = to;
    for (const s of subgraphsOf(n)) {
      renameUses(s, from, to);
      for (const o of s.output) if (o.name === from && !definesLocally(s, from)) o.name = to;
    }
  }
}

function definesLocally(g: GraphProto, name: string): boolean {
  return g.input.some((v) => v.name === name) || g.initializer.some((t) => t.name === name)
    || g.node.some((n) => n.output.includes(name));
}
