// scripts/fetch-models.mjs against a local tarball (no network): extracts only the listed file,
// verifies its sha256, is a no-op on rerun, and fails loudly with a remedy on a hash mismatch.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A minimal ustar archive (what `npm pack` writes): 512-byte headers, data padded to 512. */
function tarball(files: Record<string, Uint8Array>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0' + '00', 257);
    const sum = h.reduce((a, b) => a + b, 0);
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

let root: string;
const model = Buffer.from('pretend this is an onnx file, long enough to span blocks '.repeat(40));
const sha = createHash('sha256').update(model).digest('hex');
const writeCatalog = (sha256: string) =>
  writeFileSync(
    join(root, 'models', 'catalog.json'),
    JSON.stringify({ models: [{ id: 'fake', name: 'Fake', package: '@acme/fake-models', version: '1.0.0', file: 'assets/fake.onnx', license: 'MIT', sha256, bytes: model.length, description: '', defaultPins: [] }] }),
  );
const run = () => spawnSync(process.execPath, [join(root, 'scripts', 'fetch-models.mjs')], { encoding: 'utf8', env: { ...process.env, npm_execpath: '' } });

before(() => {
  root = mkdtempSync(join(tmpdir(), 'kneepoint-fetch-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'models', '.cache'), { recursive: true });
  copyFileSync(join(import.meta.dirname, '..', '..', 'scripts', 'fetch-models.mjs'), join(root, 'scripts', 'fetch-models.mjs'));
  const tgz = tarball({ 'package/package.json': Buffer.from('{"name":"@acme/fake-models","license":"MIT"}'), 'package/assets/other.onnx': Buffer.alloc(700, 1), 'package/assets/fake.onnx': model });
  writeFileSync(join(root, 'models', '.cache', 'acme-fake-models-1.0.0.tgz'), tgz);
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('fetch-models', () => {
  it('extracts the listed file from the cached tarball and checks its sha256', () => {
    writeCatalog(sha);
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readFileSync(join(root, 'models', 'real', 'fake.onnx')), model);
    assert.equal(existsSync(join(root, 'models', 'real', 'other.onnx')), false);
  });

  it('does nothing on a rerun when every file is in place', () => {
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /all 1 real models present/);
  });

  it('fails with both hashes and what to do when the tarball does not match the catalog', () => {
    rmSync(join(root, 'models', 'real', 'fake.onnx'));
    writeCatalog('0'.repeat(64));
    const r = run();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /fake: sha256 mismatch for @acme\/fake-models@1\.0\.0\/assets\/fake\.onnx/);
    assert.match(r.stderr, new RegExp(`got +${sha}`));
    assert.match(r.stderr, /delete .*acme-fake-models-1\.0\.0\.tgz and rerun/);
    assert.equal(existsSync(join(root, 'models', 'real', 'fake.onnx')), false);
  });
});
