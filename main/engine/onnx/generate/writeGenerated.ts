// Write the generated model families to models/generated/<id>.onnx with a sidecar
// <id>.recipe.json (recipe hash, sha256, bytes). A file whose sidecar matches the current recipe
// and whose bytes still hash to the recorded sha256 is left alone, so reruns are near-instant.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGenerated, GENERATED_MODELS, recipeHash, recipeSource, type GeneratedModelSpec } from './registry.ts';

export interface GeneratedFileRecord {
  id: string;
  source: string;
  recipeHash: string;
  sha256: string;
  bytes: number;
}

export function generatedDir(root: string): string {
  return join(root, 'models', 'generated');
}

function upToDate(spec: GeneratedModelSpec, dir: string): boolean {
  const onnx = join(dir, `${spec.id}.onnx`);
  const sidecar = join(dir, `${spec.id}.recipe.json`);
  if (!existsSync(onnx) || !existsSync(sidecar)) return false;
  try {
    const rec = JSON.parse(readFileSync(sidecar, 'utf8')) as GeneratedFileRecord;
    if (rec.recipeHash !== recipeHash(spec)) return false;
    return createHash('sha256').update(readFileSync(onnx)).digest('hex') === rec.sha256;
  } catch {
    return false;
  }
}

/** Generate every shipped family size that is missing or stale. Returns what was (re)written. */
export function writeGeneratedModels(root: string, opts: { force?: boolean; ids?: string[] } = {}): GeneratedFileRecord[] {
  const dir = generatedDir(root);
  mkdirSync(dir, { recursive: true });
  const written: GeneratedFileRecord[] = [];
  for (const spec of GENERATED_MODELS) {
    if (opts.ids && !opts.ids.includes(spec.id)) continue;
    if (!opts.force && upToDate(spec, dir)) continue;
    const bytes = buildGenerated(spec);
    const rec: GeneratedFileRecord = {
      id: spec.id,
      source: recipeSource(spec),
      recipeHash: recipeHash(spec),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
    };
    const onnx = join(dir, `${spec.id}.onnx`);
    writeFileSync(`${onnx}.part`, bytes);
    renameSync(`${onnx}.part`, onnx);
    writeFileSync(join(dir, `${spec.id}.recipe.json`), `${JSON.stringify(rec, null, 2)}\n`);
    written.push(rec);
  }
  return written;
}
