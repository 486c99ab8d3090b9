import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import {
  AccuracyAccumulator, compareOutputs, cosineSimilarity, DEFAULT_ACCURACY_BUDGET, looksLikeClassScores, maxAbsError,
  meanAbsError, measureAccuracy, top1Agreement,
} from '../../main/engine/measure/accuracy.ts';
import { encodeModel } from '../../main/engine/onnx/protoBuild.ts';
import { convertToFp16 } from '../../main/engine/onnx/fp16.ts';
import { quantizeDynamicInt8 } from '../../main/engine/onnx/int8.ts';
import { floatFeed, mlpModel } from './precisionFixtures.ts';

const t = (dims: number[], data: number[]) => ({ type: 'float32', dims, data: Float32Array.from(data) });

describe('accuracy metrics', () => {
  it('computes max/mean abs error and cosine on known vectors', () => {
    assert.equal(maxAbsError([1, 2, 3], [1, 2.5, 2]), 1);
    assert.equal(meanAbsError([1, 2, 3], [1, 2.5, 2]), 0.5);
    assert.equal(cosineSimilarity([1, 0], [0, 1]), 0);
    assert.equal(cosineSimilarity([1, 2], [2, 4]), 1);
    assert.equal(cosineSimilarity([1, 2], [-1, -2]), -1);
    assert.equal(cosineSimilarity([0, 0], [0, 0]), 1);
    assert.equal(cosineSimilarity([0, 0], [1, 0]), 0);
  });

  it('treats a NaN or infinity the reference does not have as unbounded error', () => {
    assert.equal(maxAbsError([1, 2], [1, NaN]), Infinity);
    assert.equal(maxAbsError([1, NaN], [1, NaN]), 0);
    assert.equal(cosineSimilarity([1, 2], [1, Infinity]), 0);
    const r = compareOutputs({ y: t([2], [1, 2]) }, { y: t([2], [1, NaN]) });
    assert.equal(r.withinBudget, false);
  });

  it('measures top-1 agreement on outputs that look like class scores', () => {
    assert.ok(looksLikeClassScores([4, 10]));
    assert.ok(looksLikeClassScores([1, 40, 6625]));
    assert.ok(!looksLikeClassScores([4]));
    assert.ok(!looksLikeClassScores([4, 1]));
    assert.ok(!looksLikeClassScores([1, 3, 32, 32]));
    assert.equal(top1Agreement([0, 1, 5, 2, 3, 0], [0, 1, 5, 9, 0, 0], 3), 0.5);
    assert.equal(top1Agreement([0, 1, 5, 2, 3, 0], [0, 2, 1, 9, 0, 0], 3), 0);
    const r = compareOutputs({ logits: t([2, 3], [0, 1, 5, 2, 3, 0]) }, { logits: t([2, 3], [0, 1, 5, 3, 2, 0]) });
    assert.equal(r.top1Agreement, 0.5);
    assert.equal(r.withinBudget, false, 'half the rows disagree: over the default 0.95 budget');
    const vec = compareOutputs({ y: t([6], [0, 1, 5, 2, 3, 0]) }, { y: t([6], [0, 1, 5, 2, 3, 0]) });
    assert.equal(vec.top1Agreement, undefined, 'a flat vector is not class scores');
  });

  it('applies every part of the budget', () => {
    const ref = { y: t([4], [1, 2, 3, 4]) };
    const close = { y: t([4], [1.01, 2, 3, 4]) };
    assert.equal(compareOutputs(ref, close).withinBudget, true);
    assert.equal(compareOutputs(ref, close, { ...DEFAULT_ACCURACY_BUDGET, maxAbsErr: 0.001 }).withinBudget, false);
    assert.equal(compareOutputs(ref, { y: t([4], [4, 3, 2, 1]) }).withinBudget, false, 'cosine 0.67 < 0.99');
  });

  it('pools feeds: max over all, mean over all elements, worst output cosine; decodes float16 outputs', () => {
    const acc = new AccuracyAccumulator();
    acc.add({ a: t([2], [1, 1]), b: t([2], [1, 0]) }, { a: t([2], [1, 1]), b: t([2], [1, 0]) });
    acc.add({ a: t([2], [1, 1]), b: t([2], [1, 0]) }, { a: t([2], [1, 3]), b: t([2], [0, 1]) });
    const r = acc.result();
    assert.equal(r.maxAbsErr, 2);
    assert.equal(r.meanAbsErr, (2 + 1 + 1) / 8);
    assert.equal(r.cosine, 0.5, 'output b: dot 1, norms √2·√2');
    const half = compareOutputs({ y: t([2], [1, -2]) }, { y: { type: 'float16', dims: [2], data: Uint16Array.of(0x3c00, 0xc000) } });
    assert.equal(half.maxAbsErr, 0);
  });
});

describe('measureAccuracy', () => {
  it('runs the reference and a variant on the same feeds: fp16 and int8 of an MLP are within budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-acc-'));
    try {
      const m = mlpModel(13);
      const ref = join(dir, 'fp32.onnx');
      writeFileSync(ref, encodeModel(m));
      const feeds = [1, 2, 3].map((seed) => ({ x: floatFeed([8, 64], 1, seed) }));
      for (const [name, variant] of [['fp16', convertToFp16(m)], ['int8', quantizeDynamicInt8(m).model]] as const) {
        const path = join(dir, `${name}.onnx`);
        writeFileSync(path, encodeModel(variant));
        const r = await measureAccuracy(ref, path, feeds);
        assert.ok(r.withinBudget, `${name}: ${JSON.stringify(r)}`);
        assert.ok(r.maxAbsErr > 0 && r.cosine > 0.999 && r.top1Agreement !== undefined, `${name}: ${JSON.stringify(r)}`);
      }
      const same = await measureAccuracy(ref, ref, feeds);
      assert.deepEqual(same, { maxAbsErr: 0, meanAbsErr: 0, cosine: 1, top1Agreement: 1, withinBudget: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an empty feed list', async () => {
    await assert.rejects(measureAccuracy('a.onnx', 'b.onnx', [] as Array<Record<string, ort.Tensor>>), /at least one feed/);
  });
});
