// Input synthesis: turn a model's input metadata plus the user's pins into concrete, seeded
// tensors for a given batch size. Runs inside the inference worker (it needs the session's metadata)
// and in the engine for error messages.
import { readFileSync } from 'node:fs';
import type { InputPin, TensorInfo } from '../../common/types.ts';
import { invalidInput } from '../../common/errors.ts';
import { createRng } from '../../common/stats/rng.ts';

export interface InputPlan {
  name: string;
  type: string;
  shape: number[];
  batchDim: number | null;
  source:
    | { kind: 'value'; value: number }
    | { kind: 'random'; min: number; max: number; integer: boolean }
    | { kind: 'file'; path: string };
  /** what was guessed rather than given, for the point's notes */
  guessed: string[];
}

/**
 * A pin the engine derived from the graph rather than one the user gave. `unpinnedError`: this
 * input must not be synthesized (its value decides control flow): measuring refuses with this
 * text until a value, range or file is pinned for it.
 */
export type DerivedPin = InputPin & { unpinnedError?: string };

export type TypedData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array | Int16Array;

const BATCH_NAMES = /^(n|b|bs|batch|batch_size|batchsize|p2o\.DynamicDimension\.0|unk__\d+|dynamic_batch)$/i;
/** Default size for a dynamic non-batch dim nobody pinned. */
export const DEFAULT_FREE_DIM = 32;

function isBatchMarker(d: number | string | null | undefined): boolean {
  return d === 'N' || d === 'n' || d === -1;
}

/** Which dim of each input is the batch dim (pins first, then the shared batch dim name, then dim 0). */
export function detectBatchDims(inputs: TensorInfo[], pins: InputPin[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const first = inputs.find((i) => i.shape.length > 0 && typeof i.shape[0] !== 'number');
  const batchName = first && typeof first.shape[0] === 'string' ? first.shape[0] : null;
  for (const inp of inputs) {
    const pin = pins.find((p) => p.name === inp.name);
    const pinned = pin?.shape?.findIndex(isBatchMarker) ?? -1;
    if (pinned >= 0) { out[inp.name] = pinned; continue; }
    if (pin?.shape) { out[inp.name] = null; continue; }
    const byName = batchName ? inp.shape.findIndex((d) => d === batchName) : -1;
    if (byName >= 0) { out[inp.name] = byName; continue; }
    const d0 = inp.shape[0];
    out[inp.name] = inp.shape.length > 0 && (d0 === null || (typeof d0 === 'string' && (BATCH_NAMES.test(d0) || !batchName))) ? 0 : null;
  }
  return out;
}

function defaultRange(type: string): { min: number; max: number; integer: boolean } {
  if (type === 'bool') return { min: 0, max: 1, integer: true };
  if (/^u?int/.test(type)) return { min: 0, max: 99, integer: true };
  return { min: 0, max: 1, integer: false };
}

/** Resolve concrete shapes and value sources for one batch size. Throws invalidInput on bad pins. */
export function planInputs(inputs: TensorInfo[], pins: InputPin[], batch: number, batchDimsHint?: Record<string, number | null>): InputPlan[] {
  for (const p of pins) {
    if (!inputs.some((i) => i.name === p.name)) {
      throw invalidInput(`--input ${p.name}: the model has no input named "${p.name}" (inputs: ${inputs.map((i) => i.name).join(', ')})`);
    }
  }
  const batchDims = batchDimsHint ?? detectBatchDims(inputs, pins);
  if (batch !== 1 && inputs.length > 0 && inputs.every((i) => (batchDims[i.name] ?? null) === null)) {
    const fixed = inputs.find((i) => typeof i.shape[0] === 'number');
    throw invalidInput(fixed
      ? `the model's input ${fixed.name} has a fixed batch of ${fixed.shape[0]} (${fmtShape(fixed.shape)}): sweep it with --batch ${fixed.shape[0]}, or re-export it with a dynamic batch dim`
      : `no input of this model has a batch dim: sweep it with --batch 1, or mark the batch dim with N in a pinned shape (--input NAME=shape:N,…)`);
  }
  return inputs.map((inp) => {
    const pin = pins.find((p) => p.name === inp.name);
    const guessed: string[] = [];
    const bd = batchDims[inp.name] ?? null;
    let shape: number[];
    if (pin?.shape) {
      if (pin.shape.length !== inp.shape.length) {
        throw invalidInput(`--input ${inp.name}: shape has ${pin.shape.length} dims but the model's input ${inp.name} has ${inp.shape.length} (${fmtShape(inp.shape)})`);
      }
      shape = pin.shape.map((d, i) => {
        if (isBatchMarker(d)) return batch;
        const n = typeof d === 'number' ? d : Number(d);
        if (!Number.isInteger(n) || n < 1) throw invalidInput(`--input ${inp.name}: dim ${i} "${d}" is not a positive integer (use N for the batch dim)`);
        const fixed = inp.shape[i];
        if (typeof fixed === 'number' && fixed > 0 && fixed !== n) {
          throw invalidInput(`--input ${inp.name}: dim ${i} is fixed at ${fixed} in the model, not ${n}`);
        }
        return n;
      });
    } else {
      shape = inp.shape.map((d, i) => {
        if (i === bd) return batch;
        if (typeof d === 'number' && d > 0) return d;
        guessed.push(`dim ${i} (${d ?? 'unnamed'}) = ${DEFAULT_FREE_DIM}`);
        return DEFAULT_FREE_DIM;
      });
    }
    if (bd !== null && typeof inp.shape[bd] === 'number' && inp.shape[bd] !== batch && (inp.shape[bd] as number) > 0) {
      throw invalidInput(`the model's input ${inp.name} has a fixed batch of ${inp.shape[bd]}: sweep it with --batch ${inp.shape[bd]}`);
    }
    const unpinned = (pin as DerivedPin | undefined)?.unpinnedError;
    if (unpinned && pin?.file === undefined && pin?.value === undefined && pin?.range === undefined) throw invalidInput(unpinned);
    let source: InputPlan['source'];
    if (pin?.file) source = { kind: 'file', path: pin.file };
    else if (pin?.value !== undefined) source = { kind: 'value', value: pin.value };
    else if (pin?.range) source = { kind: 'random', min: pin.range[0], max: pin.range[1], integer: !/float|double/.test(inp.type) };
    else source = { kind: 'random', ...defaultRange(inp.type) };
    return { name: inp.name, type: inp.type, shape, batchDim: bd, source, guessed };
  });
}

export function fmtShape(shape: Array<number | string | null>): string {
  return `[${shape.map((d) => d ?? '?').join(',')}]`;
}

export function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const BYTES: Record<string, number> = { float32: 4, float64: 8, int64: 8, int32: 4, uint8: 1, int8: 1, bool: 1, float16: 2, int16: 2, uint16: 2 };
export function planBytes(plan: InputPlan[]): number {
  return plan.reduce((s, p) => s + elementCount(p.shape) * (BYTES[p.type] ?? 4), 0);
}

function f32ToF16Bits(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | (mant >>> 13);
}

function allocate(type: string, n: number): TypedData {
  switch (type) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'int32': return new Int32Array(n);
    case 'int16': return new Int16Array(n);
    case 'uint16': case 'float16': return new Uint16Array(n);
    case 'int8': return new Int8Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
    default: throw invalidInput(`input type ${type} is not supported for synthesis: provide the input with --input NAME=file:PATH`);
  }
}

function setValue(arr: TypedData, type: string, i: number, v: number): void {
  if (type === 'int64') (arr as BigInt64Array)[i] = BigInt(Math.round(v));
  else if (type === 'float16') (arr as Uint16Array)[i] = f32ToF16Bits(v);
  else (arr as Float32Array)[i] = v;
}

function loadFile(p: InputPlan): TypedData {
  const path = (p.source as { path: string }).path;
  let buf: Buffer;
  try { buf = readFileSync(path); } catch (e) {
    throw invalidInput(`--input ${p.name}: cannot read ${path}: ${(e as Error).message}`);
  }
  const n = elementCount(p.shape);
  const arr = allocate(p.type, n);
  if (path.endsWith('.json')) {
    const parsed = JSON.parse(buf.toString('utf8')) as unknown;
    const flat = (Array.isArray(parsed) ? parsed : (parsed as { data: unknown[] }).data).flat(Infinity) as number[];
    if (flat.length === 0) throw invalidInput(`--input ${p.name}: ${path} holds no numbers`);
    // Repeat the samples to fill the requested batch (real samples rotate through the batch).
    for (let i = 0; i < n; i++) setValue(arr, p.type, i, Number(flat[i % flat.length]));
    return arr;
  }
  const src = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const dst = new Uint8Array(arr.buffer);
  if (src.length === 0) throw invalidInput(`--input ${p.name}: ${path} is empty`);
  for (let i = 0; i < dst.length; i++) dst[i] = src[i % src.length];
  return arr;
}

/** Fill one tensor's data for a plan entry, seeded. */
export function synthesize(p: InputPlan, seed: number): TypedData {
  if (p.source.kind === 'file') return loadFile(p);
  const n = elementCount(p.shape);
  const arr = allocate(p.type, n);
  if (p.source.kind === 'value') {
    for (let i = 0; i < n; i++) setValue(arr, p.type, i, p.source.value);
    return arr;
  }
  const { min, max, integer } = p.source;
  const rnd = createRng(seed);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    setValue(arr, p.type, i, integer ? Math.min(max, Math.floor(min + u * (max - min + 1))) : min + u * (max - min));
  }
  return arr;
}

/** One line per input telling how it was fed and how to pin it: used in error messages. */
export function describePlan(plan: InputPlan[]): string {
  return plan.map((p) => {
    const src = p.source.kind === 'value' ? `value ${p.source.value}` : p.source.kind === 'file' ? `file ${p.source.path}`
      : `random ${p.source.integer ? 'integers' : 'floats'} in [${p.source.min}, ${p.source.max}]`;
    return `${p.name} ${p.type}${fmtShape(p.shape)} (${src}${p.guessed.length ? `; guessed ${p.guessed.join(', ')}` : ''})`;
  }).join('; ');
}

export const PIN_HELP = 'pin inputs with --input NAME=VALUE (fixed value, e.g. sr=16000), --input NAME=shape:N,3,224,224, ' +
  '--input NAME=range:MIN,MAX (integer ids) or --input NAME=file:PATH (real samples), or under inputs: in the workload';

/**
 * PIN_HELP for one failure: when onnxruntime says an index was outside a Gather table ("must be
 * within the inclusive range [-1000,999]"), the range to pin comes from that table, and the
 * integer inputs fed random values are the ones to pin.
 */
export function pinHelp(errorMessage: string, plan: InputPlan[]): string {
  const m = /within the inclusive range \[\s*-?\d+\s*,\s*(\d+)\s*\]/.exec(errorMessage);
  if (!m) return PIN_HELP;
  const maxId = Number(m[1]);
  const ids = plan.filter((p) => p.source.kind === 'random' && p.source.integer && p.source.max > maxId);
  const names = ids.length ? ids : plan.filter((p) => p.source.kind === 'random' && p.source.integer);
  if (!names.length) return PIN_HELP;
  return `an id is past the end of a lookup table of ${maxId + 1} rows: pin ${names.map((p) => `--input ${p.name}=range:0,${maxId}`).join(' ')} ` +
    `(or real ids with --input NAME=file:PATH); ${PIN_HELP}`;
}
