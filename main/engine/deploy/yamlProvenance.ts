// One YAML document with a header comment and, next to each sourced value, where it came from.
import { Document, isScalar } from 'yaml';

export interface Annotation {
  path: Array<string | number>;
  why: string;
}

export function yamlDocument(value: unknown, header: string[], annotations: Annotation[]): string {
  const doc = new Document(value);
  if (header.length) doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  for (const a of annotations) {
    const node = doc.getIn(a.path, true);
    if (!isScalar(node)) throw new Error(`no scalar at ${a.path.join('.')} to annotate`);
    node.comment = ` ${a.why.replace(/\s+/g, ' ')}`;
  }
  return doc.toString({ lineWidth: 0 });
}
