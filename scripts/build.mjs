// Bundles the UI (renderer/src/main.ts → renderer/dist/app.{js,css}) and the Electron main and
// preload (→ main/electron/dist/{main,preload}.cjs) with esbuild. Idempotent and fast (well under
// a few seconds); run by `npm run build`, `npm test` and scripts/prepare.mjs.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const common = { bundle: true, logLevel: 'warning', legalComments: 'none', sourcemap: 'linked' };

const jobs = [
  build({
    ...common,
    entryPoints: { app: join(root, 'renderer/src/main.ts') },
    outdir: join(root, 'renderer/dist'),
    format: 'iife',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    // the UI must never pull Node built-ins; fail the build if something tries
    external: [],
  }),
];
if (existsSync(join(root, 'main/electron/main.ts'))) {
  jobs.push(build({
    ...common,
    entryPoints: { main: join(root, 'main/electron/main.ts'), preload: join(root, 'main/electron/preload.ts') },
    outdir: join(root, 'main/electron/dist'),
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
  }));
}
await Promise.all(jobs);
if (!process.env.KNEEPOINT_QUIET) console.error(`build: renderer and electron bundles in ${Date.now() - started} ms`);
