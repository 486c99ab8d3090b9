import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelProto } from 'onnx-buf';
import ort from 'onnxruntime-node';
import { quantizeDynamicInt8, quantizeSymmetric } from '../../main/engine/onnx/int8.ts';
import { ELEM, opsetVersion } from '../../main/engine/onnx/protoBuild.ts';
import { compareOutputs, DEFAULT_ACCURACY_BUDGET } from '../../main/engine/measure/accuracy.ts';
import { constantWeightsMlp, convModel, floatFeed, mlpModel, runModel } from './precisionFixtures.ts';

async function accuracyOf(ref: ModelProto, q: ModelProto, feeds: Record<string, ort.Tensor>) {
  return compareOutputs(await runModel(ref, feeds), await runModel(q, feeds), DEFAULT_ACCURACY_BUDGET);
}

const ops = (m: ModelProto) => m.graph!.node.map((n) => n.opType);

describe('quantizeSymmetric', () => {
  it('maps the largest magnitude to ±127 per tensor or per channel, zero stays zero', () => {
    const w = Float32Array.from([0.5, -2, 0, 1, 4, -1]); // dims [2, 3], channels on axis 1
    const t = quantizeSymmetric(w, [2, 3], -1);
    assert.deepEqual([...t.scales], [Math.fround(4 / 127)]);
    assert.deepEqual([...t.q], [16, -64, 0, 32, 127, -32]);
    const c = quantizeSymmetric(w, [2, 3], 1);
    assert.deepEqual([...c.scales].map((s) => +(s * 127).toFixed(5)), [1, 4, 1]);
    assert.deepEqual([...c.q], [64, -64, 0, 127, 127, -127]);
    const zero = quantizeSymmetric(new Float32Array(4), [4], -1);
    assert.deepEqual([...zero.q], [0, 0, 0, 0]);
    assert.equal(zero.scales[0], 1);
  });
});

describe('quantizeDynamicInt8', () => {
  for (const perChannel of [false, true]) {
    it(`quantizes MatMul and Gemm (transB, alpha, bias) with standard ops at opset 13 (${perChannel ? 'per channel' : 'per tensor'})`, async () => {
      const m = mlpModel(13);
      const { model: q, report } = quantizeDynamicInt8(m, { perChannel });
      assert.equal(report.form, 'standard');
      assert.deepEqual(report.quantized.map((x) => x.node), ['mm1', 'gemm2', 'gemm3']);
      assert.equal(ops(q).filter((o) => o === 'MatMulInteger').length, 3);
      assert.equal(ops(q).filter((o) => o === 'DynamicQuantizeLinear').length, 3);
      assert.ok(!ops(q).includes('Gemm') && !ops(q).includes('MatMul'));
      assert.ok(q.graph!.initializer.every((t) => !['w1', 'w2', 'w3'].includes(t.name)), 'float weights removed');
      assert.equal(q.graph!.initializer.filter((t) => t.dataType === ELEM.INT8 && t.dims.length === 2).length, 3);
      const acc = await accuracyOf(m, q, { x: floatFeed([16, 64], 1, 21) });
      assert.ok(acc.withinBudget && acc.cosine > 0.999, JSON.stringify(acc));
    });
  }

  it('uses the com.microsoft DynamicQuantizeMatMul contrib op on an opset-9 model (weights in Constant nodes)', async () => {
    const m = constantWeightsMlp(9);
    const { model: q, report } = quantizeDynamicInt8(m, { perChannel: true });
    assert.equal(report.form, 'contrib');
    assert.equal(opsetVersion(q, 'com.microsoft'), 1);
    assert.equal(opsetVersion(q), 9, 'the model opset is unchanged');
    const dq = q.graph!.node.filter((n) => n.opType === 'DynamicQuantizeMatMul');
    assert.equal(dq.length, 2);
    assert.ok(dq.every((n) => n.domain === 'com.microsoft'));
    assert.ok(!q.graph!.node.some((n) => n.opType === 'Constant' && ['w1', 'w2'].includes(n.output[0])), 'float weight Constants removed');
    const acc = await accuracyOf(m, q, { x: floatFeed([8, 64], 1, 22) });
    assert.ok(acc.withinBudget && acc.cosine > 0.999, JSON.stringify(acc));
  });

  it('can be forced to the contrib form at any opset, Gemm bias included', async () => {
    const m = mlpModel(13);
    const { model: q, report } = quantizeDynamicInt8(m, { form: 'contrib' });
    assert.equal(report.form, 'contrib');
    assert.equal(ops(q).filter((o) => o === 'DynamicQuantizeMatMul').length, 3);
    const acc = await accuracyOf(m, q, { x: floatFeed([8, 64], 1, 23) });
    assert.ok(acc.withinBudget, JSON.stringify(acc));
  });

  it('refuses the standard form below opset 11 with an actionable message', () => {
    assert.throws(() => quantizeDynamicInt8(constantWeightsMlp(9), { form: 'standard' }), /opset >= 11.*contrib/);
  });

  it('quantizes Conv through ConvInteger (per tensor and per channel) and stays accurate', async () => {
    const m = convModel();
    for (const perChannel of [false, true]) {
      const { model: q, report } = quantizeDynamicInt8(m, { perChannel });
      assert.deepEqual(report.quantized.map((x) => x.opType), ['Conv', 'Conv']);
      assert.equal(ops(q).filter((o) => o === 'ConvInteger').length, 2);
      const acc = await accuracyOf(m, q, { x: floatFeed([2, 8, 16, 16], 1, 24) });
      assert.ok(acc.withinBudget && acc.cosine > 0.999, JSON.stringify(acc));
    }
  });

  it('leaves Conv in float32 below opset 11 and says why', () => {
    const m = convModel();
    m.opsetImport[0].version = 10n;
    const { report } = quantizeDynamicInt8(m);
    assert.equal(report.quantized.length, 0);
    assert.ok(report.skipped.every((s) => /opset >= 11/.test(s.reason)));
  });

  it('excludes nodes by name and by op type', async () => {
    const m = mlpModel(13);
    const byName = quantizeDynamicInt8(m, { excludeNodeNames: ['gemm3'] });
    assert.deepEqual(byName.report.quantized.map((x) => x.node), ['mm1', 'gemm2']);
    assert.deepEqual(byName.report.skipped, [{ node: 'gemm3', opType: 'Gemm', reason: 'node excluded by name' }]);
    assert.ok(byName.model.graph!.node.some((n) => n.name === 'gemm3' && n.opType === 'Gemm'));
    const byType = quantizeDynamicInt8(m, { excludeOpTypes: ['Gemm'] });
    assert.deepEqual(byType.report.quantized.map((x) => x.node), ['mm1']);
    const acc = await accuracyOf(m, byType.model, { x: floatFeed([4, 64], 1, 25) });
    assert.ok(acc.withinBudget);
  });

  it('leaves alone what it cannot quantize safely: transA, dynamic weights, small weights', async () => {
    const m = mlpModel(13);
    const gemm2 = m.graph!.node.find((n) => n.name === 'gemm2')!;
    gemm2.attribute.push({ ...gemm2.attribute[0], name: 'transA', i: 0n });
    const { report: r0 } = quantizeDynamicInt8(m);
    assert.ok(r0.quantized.some((x) => x.node === 'gemm2'), 'transA = 0 is fine');
    gemm2.attribute[gemm2.attribute.length - 1].i = 1n;
    const { report } = quantizeDynamicInt8(m, { minWeightElements: 2000 });
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.node, s.reason]));
    assert.match(reasons.gemm2, /transA/);
    assert.match(reasons.gemm3, /fewer than 2000/);
    assert.deepEqual(report.quantized.map((x) => x.node), ['mm1']);
    // a MatMul of two activations (attention-style) has no constant weight
    const mm = mlpModel(13);
    mm.graph!.node[0].input[1] = 'x';
    assert.match(quantizeDynamicInt8(mm).report.skipped[0].reason, /not a float32 constant/);
  });
});
