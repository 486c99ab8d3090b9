import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { toOrtSessionOptions } from '../../main/engine/measure/sessionOptions.ts';
import { findProfileFile, parseOrtProfile, readOpProfile } from '../../main/engine/measure/profile.ts';
import { encodeModel } from '../../main/engine/onnx/protoBuild.ts';
import { floatFeed, mlpModel } from './precisionFixtures.ts';

describe('toOrtSessionOptions', () => {
  it('maps every session setting, spinning as string config entries', () => {
    const o = toOrtSessionOptions({
      spec: { graphOptimizationLevel: 'basic', executionMode: 'parallel', interOpThreads: 2, spinning: false, memoryArena: false, profile: true },
      threads: 3, provider: 'cpu', profileFilePrefix: '/tmp/p',
    });
    assert.deepEqual(o, {
      executionProviders: ['cpu'], intraOpNumThreads: 3, graphOptimizationLevel: 'basic', executionMode: 'parallel',
      interOpNumThreads: 2, enableCpuMemArena: false,
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      enableProfiling: true, profileFilePrefix: '/tmp/p',
    });
  });

  it('leaves ORT defaults alone when nothing is asked, and names one provider only', () => {
    assert.deepEqual(toOrtSessionOptions({ threads: 1, provider: 'cuda' }), { executionProviders: ['cuda'], intraOpNumThreads: 1 });
  });

  it('produces options ORT accepts (spinning off, arena off, parallel, all levels)', async () => {
    const bytes = encodeModel(mlpModel());
    for (const level of ['disabled', 'basic', 'extended', 'all'] as const) {
      const s = await ort.InferenceSession.create(bytes, toOrtSessionOptions({
        spec: { graphOptimizationLevel: level, executionMode: 'parallel', interOpThreads: 1, spinning: false, memoryArena: false }, threads: 1, provider: 'cpu',
      }));
      const out = await s.run({ x: floatFeed([2, 64], 1, 1) });
      assert.deepEqual(out.y.dims, [2, 10]);
      await s.release();
    }
  });
});

describe('operator profile', () => {
  it('parses a real ORT profile: time per op type and the top nodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-prof-'));
    try {
      const prefix = join(dir, 'mlp');
      const s = await ort.InferenceSession.create(encodeModel(mlpModel()), toOrtSessionOptions({
        spec: { profile: true, graphOptimizationLevel: 'disabled' }, threads: 1, provider: 'cpu', profileFilePrefix: prefix,
      }));
      for (let i = 0; i < 3; i++) await s.run({ x: floatFeed([4, 64], 1, i) });
      s.endProfiling();
      await s.release();
      const file = findProfileFile(prefix);
      assert.ok(file && file.startsWith(`${prefix}_`) && file.endsWith('.json'));
      const p = await readOpProfile(prefix);
      assert.equal(existsSync(file), false, 'profile file removed after reading');
      const byType = Object.fromEntries(p.byOpType.map((o) => [o.opType, o]));
      assert.deepEqual(Object.keys(byType).sort(), ['Gemm', 'MatMul', 'Relu']);
      assert.equal(byType.Gemm.calls, 6, '2 Gemm nodes × 3 runs');
      assert.equal(byType.MatMul.calls, 3);
      assert.ok(Math.abs(p.byOpType.reduce((a, o) => a + o.pct, 0) - 100) < 1e-6);
      assert.deepEqual(p.topNodes.map((n) => n.name).sort(), ['gemm2', 'gemm3', 'mm1', 'relu1', 'relu2']);
      assert.ok(p.topNodes.every((n, i) => i === 0 || p.topNodes[i - 1].totalMs >= n.totalMs), 'sorted slowest first');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores session events and caps the node list', () => {
    const ev = (name: string, op: string, dur: number) => ({ cat: 'Node', name: `${name}_kernel_time`, dur, args: { op_name: op } });
    const events = [{ cat: 'Session', name: 'session_initialization', dur: 99999 }, ...Array.from({ length: 12 }, (_, i) => ev(`n${i}`, i % 2 ? 'Add' : 'Mul', (i + 1) * 1000))];
    const p = parseOrtProfile({ traceEvents: events }, 10);
    assert.equal(p.topNodes.length, 10);
    assert.equal(p.topNodes[0].name, 'n11');
    assert.equal(p.topNodes[0].totalMs, 12);
    assert.deepEqual(p.byOpType.map((o) => [o.opType, o.totalMs, o.calls]), [['Add', 42, 6], ['Mul', 36, 6]]);
    assert.deepEqual(parseOrtProfile('nonsense'), { byOpType: [], topNodes: [] });
  });
});
