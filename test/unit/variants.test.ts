import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getVariant, registerCustomVariant, sha256Hex, variantOptionsHash } from '../../main/engine/onnx/variants.ts';
import { decodeModel, encodeModel } from '../../main/engine/onnx/protoBuild.ts';
import { floatFeed, mlpModel, runModel } from './precisionFixtures.ts';

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-var-'));
    try { await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
}

describe('variant cache', () => {
  it('builds each precision once, caches it by (sha256, transform, options), and the files run', withDir(async (dir) => {
    const bytes = encodeModel(mlpModel());
    const src = join(dir, 'mlp.onnx');
    writeFileSync(src, bytes);
    const sha = sha256Hex(bytes);
    const cache = join(dir, 'variants');
    const fp32 = await getVariant(src, sha, 'fp32', {}, cache);
    assert.equal(fp32.bytes, bytes.byteLength);
    for (const precision of ['fp16', 'fp16-weights', 'int8', 'int8-per-channel'] as const) {
      const first = await getVariant(src, sha, precision, {}, cache);
      assert.equal(first.cached, false);
      assert.ok(first.path.startsWith(join(cache, sha.slice(0, 16))));
      assert.equal(sha256Hex(readFileSync(first.path)), first.sha256);
      assert.ok(first.bytes < bytes.byteLength * (precision.startsWith('int8') ? 0.4 : 0.6), `${precision} is smaller`);
      const again = await getVariant(src, sha, precision, {}, cache);
      assert.equal(again.cached, true);
      assert.equal(again.sha256, first.sha256);
      const out = await runModel(readFileSync(first.path), { x: floatFeed([2, 64], 1, 3) });
      assert.deepEqual(out.y.dims, [2, 10]);
    }
    const int8 = await getVariant(src, sha, 'int8', {}, cache);
    assert.equal(int8.int8Report?.quantized.length, 3);
    const excluded = await getVariant(src, sha, 'int8', { int8: { excludeOpTypes: ['Gemm'] } }, cache);
    assert.notEqual(excluded.path, int8.path, 'other options, other file');
    assert.equal(excluded.int8Report?.quantized.length, 1);
  }));

  it('hashes options independently of key order', () => {
    assert.equal(variantOptionsHash('int8', { int8: { excludeOpTypes: ['Conv'], form: 'contrib' } }),
      variantOptionsHash('int8', { int8: { form: 'contrib', excludeOpTypes: ['Conv'] } }));
    assert.notEqual(variantOptionsHash('int8'), variantOptionsHash('int8-per-channel'));
  });

  it('refuses custom as a transform and registers a user file instead', withDir(async (dir) => {
    const src = join(dir, 'm.onnx');
    writeFileSync(src, encodeModel(mlpModel()));
    await assert.rejects(getVariant(src, 'ab', 'custom', {}, dir), /registerCustomVariant/);
    const mine = join(dir, 'vendor-int8.onnx');
    writeFileSync(mine, encodeModel(decodeModel(readFileSync(src))));
    const rec = await registerCustomVariant('base-sha', mine, 'vendor int8');
    assert.deepEqual({ ...rec, sha256: rec.sha256.length }, { precision: 'custom', baseModelSha256: 'base-sha', path: mine, bytes: readFileSync(mine).byteLength, sha256: 64, label: 'vendor int8' });
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a model at all');
    await assert.rejects(registerCustomVariant('base-sha', junk), /not an ONNX model/);
    await assert.rejects(registerCustomVariant('base-sha', join(dir, 'missing.onnx')), /not found/);
  }));
});
