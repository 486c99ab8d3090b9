// electron-builder.yml is valid against electron-builder's own JSON schema and keeps the choices
// the packaging depends on (ENVIRONMENT.md): no native rebuild, natives and worker entries unpacked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Ajv } from 'ajv';

const root = fileURLToPath(new URL('../../', import.meta.url));
const config = parse(readFileSync(root + 'electron-builder.yml', 'utf8'));

test('electron-builder.yml validates against app-builder-lib/scheme.json', () => {
  const schema = JSON.parse(readFileSync(root + 'node_modules/app-builder-lib/scheme.json', 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const validate = ajv.compile(schema);
  const ok = validate(config);
  assert.ok(ok, ajv.errorsText(validate.errors, { separator: '\n' }));
});

test('an unknown key is rejected by the same validation (the check has teeth)', () => {
  const schema = JSON.parse(readFileSync(root + 'node_modules/app-builder-lib/scheme.json', 'utf8'));
  const validate = new Ajv({ strict: false, allowUnionTypes: true }).compile(schema);
  assert.equal(validate({ ...config, npmRebuld: false }), false);
});

test('targets Linux AppImage+deb, macOS dmg and Windows nsis', () => {
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.win.target, ['nsis']);
});

test('no native rebuild; native files and engine entry files are unpacked from the asar', () => {
  assert.equal(config.npmRebuild, false);
  for (const p of ['**/*.node', '**/libonnxruntime*', 'main/engine/**']) assert.ok(config.asarUnpack.includes(p), `asarUnpack has ${p}`);
});

test('the packaged app contains the bundles package.json points at', () => {
  const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8'));
  assert.equal(pkg.main, 'main/electron/dist/main.cjs');
  assert.ok(config.files.includes('main/electron/dist/**'));
  assert.ok(config.files.includes('renderer/dist/**'));
});

test('Electron fuses are set at packaging time: no RunAsNode, no --inspect, no NODE_OPTIONS; cookies encrypted; asar only, integrity checked', () => {
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableNodeCliInspectArguments: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  });
  // electron-builder flips them with the @electron/fuses it depends on: it must be installed
  const fusesPkg = JSON.parse(readFileSync(root + 'node_modules/@electron/fuses/package.json', 'utf8'));
  assert.ok(Number(fusesPkg.version.split('.')[0]) >= 1);
});
