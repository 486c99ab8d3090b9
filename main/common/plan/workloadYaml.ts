// Workload YAML <-> Workload. Errors read `file:line: field: what to fix` so a person can go
// straight to the line. Pure TypeScript (the UI form uses the same functions).
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { invalidInput } from '../errors.ts';
import { workloadSchema } from './workloadSchema.ts';
import type { Workload } from './workloadSchema.ts';

export interface ParseWorkloadOptions {
  /** catalog ids the engine knows; when given, an unknown `model.id` that is not an .onnx path is an error */
  knownModelIds?: readonly string[];
}

type Path = ReadonlyArray<PropertyKey>;

/**
 * A workload is a few KB of hand-written YAML; 1 MiB leaves a traced daily profile plenty of room
 * while a mistaken 50 MB file is refused at once instead of being parsed for half a minute.
 */
export const MAX_WORKLOAD_BYTES = 2 ** 20;

function tooLarge(fileName: string, bytes: number): Error {
  return invalidInput(`${fileName}: ${bytes} bytes is over the ${MAX_WORKLOAD_BYTES}-byte (1 MiB) limit for a workload file; ` +
    'a workload is a few KB of YAML (see workloads/ for examples): is this the right file?');
}

/**
 * The file's bytes as text: UTF-8 only (a BOM is allowed). Invalid bytes are refused with their
 * offset rather than replaced by U+FFFD, which would change a name or a number without a word.
 */
export function decodeWorkloadBytes(bytes: Uint8Array, fileName: string): string {
  if (bytes.length > MAX_WORKLOAD_BYTES) throw tooLarge(fileName, bytes.length);
  const bad = firstInvalidUtf8Offset(bytes);
  if (bad !== undefined) {
    const line = 1 + bytes.subarray(0, bad).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
    throw invalidInput(`${fileName}:${line}: not valid UTF-8 at byte offset ${bad} (0x${bytes[bad].toString(16).padStart(2, '0')}); ` +
      'save the workload as UTF-8 text');
  }
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8Offset(b: Uint8Array): number | undefined {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let n: number; let min: number; let max = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; }
    else if (c === 0xe0) { n = 2; min = 0xa0; }
    else if (c >= 0xe1 && c <= 0xef) { n = 2; min = 0x80; if (c === 0xed) max = 0x9f; }
    else if (c === 0xf0) { n = 3; min = 0x90; }
    else if (c >= 0xf1 && c <= 0xf4) { n = 3; min = 0x80; if (c === 0xf4) max = 0x8f; }
    else return i;
    // the second byte has the tight bounds (no overlongs, surrogates or code points past U+10FFFF)
    if (i + 1 >= b.length || b[i + 1] < min || b[i + 1] > max) return i;
    for (let k = 2; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return undefined;
}

/**
 * Parses and validates a workload file. Throws an invalid-input KneepointError whose message has
 * one line per problem, each `fileName:line: field.path: what to fix`.
 */
export function parseWorkloadYaml(text: string, fileName: string, opts: ParseWorkloadOptions = {}): Workload {
  // UTF-16 length ≤ UTF-8 bytes, so this refuses nothing a file of the same text would pass
  if (text.length > MAX_WORKLOAD_BYTES) throw tooLarge(fileName, new TextEncoder().encode(text).length);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => `${fileName}:${e.linePos?.[0]?.line ?? lineOf(e.pos[0])}: YAML: ${firstLine(e.message)}`);
    throw invalidInput(lines.join('\n'));
  }
  const raw = toJsGuarded(doc, fileName, lineOf);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidInput(`${fileName}:1: the workload must be a YAML mapping (name:, model:, sla:, callers:, traffic: …)`);
  }
  const result = workloadSchema.safeParse(raw);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(describeIssue(issue, doc, raw, fileName, lineOf));
  } else if (opts.knownModelIds) {
    const id = result.data.model.id;
    if (!/\.onnx$/i.test(id) && !opts.knownModelIds.includes(id)) {
      const near = closest(id, opts.knownModelIds);
      problems.push(`${fileName}:${lineOf(nodeAt(doc, ['model', 'id'])?.range?.[0])}: model.id: unknown model "${id}"` +
        `${near ? ` (did you mean "${near}"?)` : ''}; use a catalog id (kneepoint models) or a path to an .onnx file`);
    }
  }
  if (problems.length > 0) throw invalidInput(problems.join('\n'));
  return (result as { data: Workload }).data;
}

/**
 * A workload is a small hand-written file: a handful of aliases at most. yaml refuses to expand
 * more than MAX_ALIAS_EXPANSIONS (a "billion laughs" file would take the process down); that refusal
 * is bad input, reported at the line of the first alias.
 */
const MAX_ALIAS_EXPANSIONS = 100;

function toJsGuarded(doc: Document, fileName: string, lineOf: (o: number | undefined) => number): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    let firstAlias: number | undefined;
    visit(doc, { Alias(_key, node) { if (isAlias(node)) { firstAlias = node.range?.[0]; return visit.BREAK; } return undefined; } });
    throw invalidInput(`${fileName}:${lineOf(firstAlias)}: YAML: aliases expand to too much data (${firstLine(err.message)}); ` +
      `a workload needs no nested aliases: write the values out`);
  }
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, raw: unknown, fileName: string, lineOf: (o: number | undefined) => number): string {
  const path = issue.path;
  const field = path.map(String).join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const parts: string[] = [];
    for (const key of issue.keys) {
      const keyNode = keyNodeAt(doc, [...path, key]);
      const known = knownKeysAt(path);
      const near = closest(key, known);
      const where = path.length ? `${field}.${key}` : key;
      parts.push(`${fileName}:${lineOf(keyNode?.range?.[0])}: ${where}: unknown key${near ? ` (did you mean "${near}"?)` : ''}; ` +
        `allowed here: ${known.join(', ')}`);
    }
    return parts.join('\n');
  }
  const { node, exact } = nearestNode(doc, path);
  const line = lineOf(node?.range?.[0]);
  const value = valueAt(raw, path);
  let what = issue.message;
  if (issue.code === 'invalid_type') {
    if (value === undefined) {
      what = `missing; add \`${String(path[path.length - 1])}:\`${hintFor(path)}`;
    } else if (issue.expected === 'number' && typeof value === 'string') {
      what = unitHint(path, value);
    } else {
      what = `expected ${issue.expected}, got ${describe(value)}`;
    }
  } else if (issue.code === 'too_small') {
    const bound = Number(issue.minimum);
    if (issue.origin === 'number') {
      what = `must be ${issue.inclusive ? '>=' : '>'} ${bound}, got ${describe(value)}` +
        (typeof value === 'number' && value < 0 ? ' (negative values make no sense here)' : '');
    } else if (issue.origin === 'array') {
      what = path[path.length - 1] === 'dailyProfile' && Array.isArray(value)
        ? `needs exactly ${bound} entries (one per hour, hour 0 = midnight), got ${value.length}`
        : `needs at least ${bound} entries`;
    }
  } else if (issue.code === 'too_big') {
    if (issue.origin === 'array' && Array.isArray(value)) {
      what = `needs exactly ${issue.maximum} entries (one per hour, hour 0 = midnight), got ${value.length}`;
    } else {
      what = `must be ${issue.inclusive ? '<=' : '<'} ${Number(issue.maximum)}, got ${describe(value)}`;
    }
  } else if (issue.code === 'invalid_value') {
    what = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}`;
  }
  void exact;
  return `${fileName}:${line}: ${field}: ${what}`;
}

function hintFor(path: Path): string {
  const key = String(path[path.length - 1]);
  const hints: Record<string, string> = {
    sla: ' with percentile: 99 and slaMs: <end-to-end limit in ms>',
    slaMs: ' <end-to-end latency limit in milliseconds, e.g. 50>',
    callers: ' with synchronous: true|false',
    synchronous: ' true when callers block on the answer',
    model: ' with id: <catalog id or .onnx path>',
    id: ' <catalog id or .onnx path>',
    name: ' <a short name>',
  };
  return hints[key] ?? '';
}

/** `slaMs: "50ms"`: say which number to write instead. */
function unitHint(path: Path, value: string): string {
  const key = String(path[path.length - 1]);
  const m = /^\s*(-?[0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([a-zA-Z%/$µ]+)?\s*$/.exec(value);
  if (!m) return `expected a number, got the text ${JSON.stringify(value)}`;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  if (!unit) return `write the number without quotes: ${key}: ${n}`;
  const toSeconds: Record<string, number> = { ms: 1e-3, s: 1, sec: 1, m: 60, min: 60, h: 3600, hr: 3600, d: 86400, day: 86400 };
  const fieldUnit = /Ms$/.test(key) ? 1e-3 : /S$/.test(key) ? 1 : /Min$/.test(key) ? 60 : /H$/.test(key) ? 3600 : undefined;
  if (fieldUnit !== undefined && toSeconds[unit] !== undefined) {
    const converted = Number(((n * toSeconds[unit]) / fieldUnit).toPrecision(12));
    return `the unit is in the field name; write a plain number: ${key}: ${converted} (not ${JSON.stringify(value)})`;
  }
  return `the unit is in the field name; write a plain number: ${key}: ${n} (not ${JSON.stringify(value)})`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v && typeof v === 'object') return 'a mapping';
  return String(v);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function valueAt(raw: unknown, path: Path): unknown {
  let cur: unknown = raw;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg as string];
  }
  return cur;
}

function childOf(node: unknown, seg: PropertyKey): { key?: YamlNode; value?: YamlNode } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(seg)) {
        return { key: pair.key as YamlNode, value: (pair.value ?? undefined) as YamlNode | undefined };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item ? { value: item as YamlNode } : undefined;
  }
  return undefined;
}

/** The deepest existing node along the path (the parent when a key is missing). */
function nearestNode(doc: Document, path: Path): { node: YamlNode | undefined; exact: boolean } {
  let cur = doc.contents as YamlNode | null;
  let last: YamlNode | undefined = cur ?? undefined;
  let lastKey: YamlNode | undefined;
  for (const seg of path) {
    const child = childOf(cur, seg);
    // a missing key: point at the key of the mapping it belongs in (`sla:`), not at its first entry
    if (!child) return { node: lastKey ?? last, exact: false };
    last = child.value ?? child.key ?? last;
    lastKey = child.key ?? child.value;
    cur = child.value ?? null;
  }
  return { node: last, exact: true };
}

function nodeAt(doc: Document, path: Path): YamlNode | undefined {
  const r = nearestNode(doc, path);
  return r.exact ? r.node : undefined;
}

function keyNodeAt(doc: Document, path: Path): YamlNode | undefined {
  const parent = nearestNode(doc, path.slice(0, -1));
  const child = childOf(parent.node, path[path.length - 1]);
  return child?.key ?? parent.node;
}

/** Keys the schema allows at a path (for "did you mean" on unknown keys). */
function knownKeysAt(path: Path): string[] {
  let schema: unknown = workloadSchema;
  for (const seg of [...path, null]) {
    schema = unwrap(schema);
    if (seg === null) break;
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return [];
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[String(seg)];
    else if (def.type === 'array') schema = def.element;
    else return [];
  }
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return schema;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else return schema;
  }
  return schema;
}

function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) { bestD = d; best = o; }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/**
 * Writes a workload as YAML. With `originalYaml` (the file the form was loaded from), only the
 * fields that changed are rewritten in that document, so its comments, key order and unchanged
 * defaults survive; without it, a fresh document with every field (defaults included) is produced.
 * Comments attached to a list that changes (e.g. a new dailyProfile) are kept on the key, not on
 * the items.
 */
export function workloadToYaml(w: Workload, originalYaml?: string): string {
  if (originalYaml === undefined) {
    const doc = parseDocument('{}');
    doc.contents = doc.createNode(stripUndefined(w)) as typeof doc.contents;
    return doc.toString({ lineWidth: 0 });
  }
  const doc = parseDocument(originalYaml);
  const before = workloadSchema.safeParse(doc.toJS());
  const old: unknown = before.success ? before.data : doc.toJS();
  applyDiff(doc, [], old, stripUndefined(w));
  return doc.toString({ lineWidth: 0 });
}

function applyDiff(doc: Document, path: PropertyKey[], oldV: unknown, newV: unknown): void {
  if (isPlainObject(oldV) && isPlainObject(newV) && (path.length === 0 || doc.hasIn(path))) {
    for (const key of Object.keys(oldV)) {
      if (!(key in newV) && doc.hasIn([...path, key])) doc.deleteIn([...path, key]);
    }
    for (const [key, value] of Object.entries(newV)) applyDiff(doc, [...path, key], oldV[key], value);
    return;
  }
  if (JSON.stringify(oldV) === JSON.stringify(newV)) return;
  const existing = path.length ? doc.getIn(path, true) : undefined;
  if (isScalar(existing) && (newV === null || typeof newV !== 'object')) {
    existing.value = newV; // in place: keeps the line's comment
    return;
  }
  doc.setIn(path, doc.createNode(newV));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stripUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
