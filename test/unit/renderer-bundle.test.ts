// The renderer bundle ships only the UI: built the way scripts/build.mjs builds it, its inputs are
// renderer/src, main/common and npm packages, never test code, a fake engine, or engine-side files
// (main/engine, main/web, main/cli, node: built-ins).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('the renderer bundle contains no test-only or engine-side code', async () => {
  const r = await build({
    entryPoints: [join(ROOT, 'renderer/src/main.ts')], bundle: true, write: false, metafile: true,
    outdir: join(ROOT, 'renderer/dist-check'), format: 'iife', platform: 'browser', target: ['chrome120'], logLevel: 'silent', absWorkingDir: ROOT,
  });
  const inputs = Object.keys(r.metafile.inputs);
  assert.ok(inputs.some((f) => f.startsWith('renderer/src/')), 'the bundle was built from the renderer');
  // the shipped example workloads are data the Learn and Plan views show
  const allowed = /^(renderer\/src\/|main\/common\/|node_modules\/|workloads\/[^/]+\.yaml$)/;
  const outside = inputs.filter((f) => !allowed.test(f));
  assert.deepEqual(outside, [], 'only the UI, the shared contract and npm packages belong in the bundle');
  const testOnly = inputs.filter((f) => /(^|\/)(test|tests|__tests__|fixtures)\/|\.test\.ts$|fake/i.test(f) && !f.startsWith('node_modules/'));
  assert.deepEqual(testOnly, []);
  const text = r.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => f.text).join('\n');
  for (const marker of ['createFakeApi', 'KNEEPOINT_FAKE', 'node:test', 'node:assert']) assert.ok(!text.includes(marker), `bundle contains ${marker}`);
});
