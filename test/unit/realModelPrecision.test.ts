// Precision transforms on the real models of models/catalog.json (fetched into models/real/ by
// scripts/fetch-models.mjs). Skipped when the files are not there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { declaredElemType, decodeModel, encodeModel } from '../../main/engine/onnx/protoBuild.ts';
import { convertToFp16, convertWeightsToFp16 } from '../../main/engine/onnx/fp16.ts';
import { quantizeDynamicInt8 } from '../../main/engine/onnx/int8.ts';
import { compareOutputs } from '../../main/engine/measure/accuracy.ts';
import { runModel } from './precisionFixtures.ts';
import { createRng } from '../../main/common/stats/rng.ts';

interface CatalogEntry { id: string; defaultPins?: Array<{ name: string; shape?: Array<number | string>; value?: number; range?: [number, number] }> }
const catalogUrl = new URL('../../models/catalog.json', import.meta.url);
const catalog: CatalogEntry[] = existsSync(catalogUrl) ? (JSON.parse(readFileSync(catalogUrl, 'utf8')) as { models: CatalogEntry[] }).models : [];
const fileOf = (id: string) => new URL(`../../models/real/${id}.onnx`, import.meta.url);
const present = catalog.filter((m) => existsSync(fileOf(m.id)));

/** Batch-1 feeds from the model's declared inputs and the catalog's pins. */
function feedsFor(m: ModelProto, entry: CatalogEntry, seed: number): Record<string, ort.Tensor> {
  const rnd = createRng(seed);
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of m.graph!.input) {
    if (m.graph!.initializer.some((t) => t.name === input.name)) continue;
    const pin = entry.defaultPins?.find((p) => p.name === input.name);
    const t = input.type?.value.case === 'tensorType' ? input.type.value.value : undefined;
    const declared = (t?.shape?.dim ?? []).map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : 1));
    const dims = pin?.shape ? pin.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1)) : declared;
    const n = dims.reduce((a, b) => a * b, 1);
    const [lo, hi] = pin?.range ?? [-1, 1];
    if (declaredElemType(input) === 7) feeds[input.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => BigInt(pin?.value ?? 0)), dims);
    else feeds[input.name] = new ort.Tensor('float32', Float32Array.from({ length: n }, () => pin?.value ?? lo + (hi - lo) * rnd()), dims);
  }
  return feeds;
}

describe('precision transforms on the shipped real models', { skip: present.length === 0 ? 'models/real not fetched' : false }, () => {
  for (const entry of present) {
    it(`${entry.id}: fp16 and fp16-weights convert, load and run with float32 outputs`, async () => {
      const m = decodeModel(readFileSync(fileOf(entry.id)));
      const feeds = feedsFor(m, entry, 1);
      const ref = await runModel(m, feeds);
      for (const variant of [convertToFp16(m), convertWeightsToFp16(m)]) {
        const bytes = encodeModel(variant);
        assert.ok(bytes.byteLength < readFileSync(fileOf(entry.id)).byteLength * 0.6, 'about half the size');
        const out = await runModel(bytes, feeds);
        for (const [name, t] of Object.entries(ref)) {
          assert.equal(out[name].type, t.type, `${name} keeps its type`);
          assert.deepEqual(out[name].dims, t.dims, `${name} keeps its shape`);
        }
      }
    });
  }

  it('int8 on the opset-9 text recognizer goes through the contrib op and keeps its predictions', { skip: !present.some((m) => m.id === 'ocr-rec') }, async () => {
    const entry = present.find((m) => m.id === 'ocr-rec')!;
    const m = decodeModel(readFileSync(fileOf(entry.id)));
    const { model: q, report } = quantizeDynamicInt8(m);
    assert.equal(report.form, 'contrib');
    assert.ok(report.quantized.length >= 5, JSON.stringify(report.quantized));
    assert.ok(report.skipped.some((s) => s.opType === 'Conv' && /opset >= 11/.test(s.reason)), 'Conv left in float32 at opset 9, with the reason');
    const feeds = feedsFor(m, entry, 2);
    const acc = compareOutputs(await runModel(m, feeds), await runModel(q, feeds));
    assert.ok(acc.top1Agreement !== undefined && acc.cosine > 0.99, JSON.stringify(acc));
  });

  it('the accuracy guard flags int8 on the mel-spectrogram front end (quiet bins collapse)', { skip: !present.some((m) => m.id === 'oww-melspec') }, async () => {
    const m = decodeModel(readFileSync(fileOf('oww-melspec')));
    const { model: q } = quantizeDynamicInt8(m);
    // A tone: energy in few bins, the rest far below. Dynamic per-tensor activation quantization rounds
    // the quiet bins to zero and the log floor takes them (white-noise inputs do NOT show this).
    const tone = Float32Array.from({ length: 1280 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));
    const feeds = { input: new ort.Tensor('float32', tone, [1, 1280]) };
    const acc = compareOutputs(await runModel(m, feeds), await runModel(q, feeds));
    assert.equal(acc.withinBudget, false, JSON.stringify(acc));
    assert.ok(acc.maxAbsErr > 10, `log-mel error in dB-like units: ${acc.maxAbsErr}`);
  });
});
