// The precision variants of a model as a user sees them: converted copies in the variant cache and
// the user's own registered files ('custom'), each with its size, hash and FLOPs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelInfo, Precision } from '../../common/types.ts';
import { invalidInput } from '../../common/errors.ts';
import { registerCustomVariant, variantCacheDir, type VariantFile } from '../onnx/variants.ts';
import { inspectCached } from './catalog.ts';
import type { EngineContext } from '../engineContext.ts';

export type VariantInfo = NonNullable<ModelInfo['variants']>[number];

/** The newest custom variant registered for this model, or an error saying how to register one. */
export function customVariant(ctx: EngineContext, model: ModelInfo): VariantFile {
  const [v] = ctx.store.listCustomVariants(model.sha256);
  if (!v) throw invalidInput(`${model.id} has no custom variant: register your own file with \`kneepoint models add-variant ${model.id} PATH\``);
  if (!existsSync(v.path)) throw invalidInput(`the custom variant of ${model.id} at ${v.path} no longer exists: register it again with \`kneepoint models add-variant\``);
  return { precision: 'custom', path: v.path, bytes: v.bytes, sha256: v.sha256 };
}

/** Register a user's pre-converted file as the 'custom' precision of a model. */
export async function addCustomVariant(ctx: EngineContext, model: ModelInfo, path: string, label?: string): Promise<VariantInfo> {
  const rec = await registerCustomVariant(model.sha256, path, label);
  ctx.store.addCustomVariant({ modelSha256: model.sha256, path: rec.path, sha256: rec.sha256, bytes: rec.bytes, label });
  return (await listVariants(ctx, model)).find((v) => v.sha256 === rec.sha256)!;
}

/** Converted variants already in the cache, plus registered custom ones, with size and FLOPs per sample. */
export async function listVariants(ctx: EngineContext, model: ModelInfo): Promise<VariantInfo[]> {
  const out: VariantInfo[] = [];
  const dir = join(variantCacheDir(ctx.dataDir), model.sha256.slice(0, 16));
  const found: Array<{ precision: Precision; path: string; bytes: number; sha256: string; label?: string }> = [];
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.onnx.json')).sort()) {
      const meta = JSON.parse(readFileSync(join(dir, f), 'utf8')) as VariantFile;
      const path = join(dir, f.replace(/\.json$/, ''));
      if (existsSync(path)) found.push({ precision: meta.precision, path, bytes: meta.bytes, sha256: meta.sha256 });
    }
  }
  for (const v of ctx.store.listCustomVariants(model.sha256)) {
    if (existsSync(v.path)) found.push({ precision: 'custom', path: v.path, bytes: v.bytes, sha256: v.sha256, ...(v.label ? { label: v.label } : {}) });
  }
  for (const v of found) {
    const flops = await inspectCached(v.path, model.defaultPins ?? []).then((r) => r.flopsPerSample, () => null);
    out.push({ ...v, flopsPerSample: flops });
  }
  return out;
}
