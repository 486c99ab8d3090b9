// Precision variants of a model, built once and cached on disk by (model sha256, transform, options):
//   <cacheDir>/<model sha256 prefix>/<precision>-<options hash>.onnx  (+ .json sidecar with sha256, report)
// The cache key includes the transform version, so a changed converter rebuilds its variants.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Precision } from '../../common/types.ts';
import { invalidInput, notFound } from '../../common/errors.ts';
import { decodeModel, encodeModel } from './protoBuild.ts';
import { convertToFp16, convertWeightsToFp16, FP16_TRANSFORM_VERSION } from './fp16.ts';
import type { Fp16Options, Fp16WeightsOptions } from './fp16.ts';
import { INT8_TRANSFORM_VERSION, quantizeDynamicInt8 } from './int8.ts';
import type { Int8Options, Int8Report } from './int8.ts';

export interface VariantOptions {
  fp16?: Fp16Options;
  fp16Weights?: Fp16WeightsOptions;
  /** perChannel is set by the precision ('int8' = per tensor, 'int8-per-channel'); other fields apply */
  int8?: Omit<Int8Options, 'perChannel'>;
}

export interface VariantFile {
  precision: Precision;
  path: string;
  bytes: number;
  sha256: string;
  /** int8 only: what was quantized and what was left in float32, with reasons */
  int8Report?: Int8Report;
  /** true when served from the cache */
  cached?: boolean;
}

export interface CustomVariantRecord {
  precision: 'custom';
  baseModelSha256: string;
  path: string;
  bytes: number;
  sha256: string;
  label?: string;
}

/** Where variants live under the app's data directory. */
export function variantCacheDir(dataDir: string): string {
  return join(dataDir, 'variants');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** JSON with sorted keys, so equal options hash equally. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function transformKey(precision: Precision, opts: VariantOptions): { version: number; options: unknown } {
  switch (precision) {
    case 'fp16': return { version: FP16_TRANSFORM_VERSION, options: opts.fp16 ?? {} };
    case 'fp16-weights': return { version: FP16_TRANSFORM_VERSION, options: opts.fp16Weights ?? {} };
    case 'int8': case 'int8-per-channel': return { version: INT8_TRANSFORM_VERSION, options: opts.int8 ?? {} };
    default: throw invalidInput(`no transform for precision "${precision}"`);
  }
}

/** The cache key part of a variant's file name (transform version + options). */
export function variantOptionsHash(precision: Precision, opts: VariantOptions = {}): string {
  return createHash('sha256').update(stableJson({ precision, ...transformKey(precision, opts) })).digest('hex').slice(0, 12);
}

function transform(bytes: Uint8Array, precision: Precision, opts: VariantOptions): { bytes: Uint8Array; int8Report?: Int8Report } {
  const model = decodeModel(bytes);
  if (precision === 'fp16') return { bytes: encodeModel(convertToFp16(model, opts.fp16)) };
  if (precision === 'fp16-weights') return { bytes: encodeModel(convertWeightsToFp16(model, opts.fp16Weights)) };
  const { model: q, report } = quantizeDynamicInt8(model, { ...opts.int8, perChannel: precision === 'int8-per-channel' });
  return { bytes: encodeModel(q), int8Report: report };
}

/**
 * The model file for `precision`: the original for fp32, else a converted copy built on first use and
 * cached under `cacheDir` by (sha256, transform, options). `sha256` is the original file's hash (the
 * caller knows it from the catalog or the store). Conversion runs on the calling thread (pure CPU, a
 * fraction of a second to a few seconds for the shipped models). 'custom' variants are registered
 * with `registerCustomVariant`, not built here.
 */
export async function getVariant(modelPath: string, sha256: string, precision: Precision, opts: VariantOptions = {},
  cacheDir: string): Promise<VariantFile> {
  if (precision === 'fp32') {
    const st = await stat(modelPath).catch(() => { throw notFound(`model file not found: ${modelPath}`); });
    return { precision, path: resolve(modelPath), bytes: st.size, sha256 };
  }
  if (precision === 'custom') throw invalidInput('a custom variant is a file the user registers (registerCustomVariant), not a transform');
  const dir = join(cacheDir, sha256.slice(0, 16));
  const file = join(dir, `${precision}-${variantOptionsHash(precision, opts)}.onnx`);
  const sidecar = `${file}.json`;
  if (existsSync(file) && existsSync(sidecar)) {
    const meta = JSON.parse(await readFile(sidecar, 'utf8')) as VariantFile;
    const st = await stat(file);
    if (st.size === meta.bytes) return { ...meta, path: file, cached: true };
  }
  const original = await readFile(modelPath).catch(() => { throw notFound(`model file not found: ${modelPath}`); });
  const out = transform(original, precision, opts);
  const record: VariantFile = { precision, path: file, bytes: out.bytes.byteLength, sha256: sha256Hex(out.bytes) };
  if (out.int8Report) record.int8Report = out.int8Report;
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, out.bytes);
  await rename(tmp, file); // atomic: a concurrent reader sees the old file or the whole new one
  await writeFile(sidecar, JSON.stringify({ ...record, sourceSha256: sha256, options: opts, createdAt: new Date().toISOString() }, null, 2));
  return { ...record, cached: false };
}

/**
 * Record a user's own pre-converted file (e.g. a vendor int8 model) as a variant of a model: checks
 * that it is a readable ONNX model and returns its hash and size. Storing the record is the store's job.
 */
export async function registerCustomVariant(baseModelSha256: string, variantPath: string, label?: string): Promise<CustomVariantRecord> {
  const path = resolve(variantPath);
  const bytes = await readFile(path).catch(() => { throw notFound(`variant file not found: ${variantPath}`); });
  try {
    const m = decodeModel(bytes);
    if (!m.graph) throw new Error('no graph');
  } catch (err) {
    throw invalidInput(`${variantPath} is not an ONNX model (${err instanceof Error ? err.message : String(err)})`);
  }
  const record: CustomVariantRecord = { precision: 'custom', baseModelSha256, path, bytes: bytes.byteLength, sha256: sha256Hex(bytes) };
  if (label) record.label = label;
  return record;
}
