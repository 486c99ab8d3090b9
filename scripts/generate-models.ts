// Generate the seeded model families into models/generated/ (run by scripts/prepare.mjs after
// `npm ci`). Deterministic and idempotent: unchanged recipes are skipped. `--force` rewrites all.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedModels } from '../main/engine/onnx/generate/writeGenerated.ts';
import { GENERATED_MODELS } from '../main/engine/onnx/generate/registry.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const written = writeGeneratedModels(root, { force: process.argv.includes('--force') });
for (const r of written) console.log(`generate-models: ${r.id} ← ${r.source} (${(r.bytes / 1e6).toFixed(1)} MB)`);
const secs = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  written.length
    ? `generate-models: wrote ${written.length} of ${GENERATED_MODELS.length} models in ${secs} s`
    : `generate-models: all ${GENERATED_MODELS.length} generated models up to date`,
);
