// Each shipped workload, planned against a stored fixture curve of its model, gives the verdict
// its header comment explains (fixtures: test/fixtures/curves, authored numbers, not this machine's).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import type { SweepRunResult } from '../../main/common/types.ts';

const root = new URL('../../', import.meta.url);
const curve = (model: string) => JSON.parse(readFileSync(new URL(`test/fixtures/curves/${model}.json`, root), 'utf8')) as SweepRunResult;
const workload = (name: string) => parseWorkloadYaml(readFileSync(new URL(`workloads/${name}.yaml`, root), 'utf8'), `workloads/${name}.yaml`);

const expected: Record<string, { verdict: string; variant?: string }> = {
  'product-page-recs': { verdict: 'realtime' },
  'nightly-recs': { verdict: 'batch' },
  'recs-hybrid': { verdict: 'hybrid' },
  'medical-scans': { verdict: 'deferred', variant: 'scale-to-zero' },
  'receipt-ocr': { verdict: 'deferred', variant: 'serverless' },
  'voice-vad': { verdict: 'realtime' },
  'weekly-churn': { verdict: 'batch' },
  'interactive-classifier': { verdict: 'infeasible' },
};

describe('shipped workloads', () => {
  it('every file in workloads/ is covered and says its verdict in the header comment', () => {
    const files = readdirSync(new URL('workloads/', root)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    assert.deepEqual(files.sort(), Object.keys(expected).sort());
    for (const f of files) {
      const text = readFileSync(new URL(`workloads/${f}.yaml`, root), 'utf8');
      const header = text.split('\n').filter((l) => l.startsWith('#')).join(' ').toUpperCase();
      const word = { realtime: 'REAL-TIME', batch: 'BATCH', hybrid: 'HYBRID', deferred: 'DEFERRED', infeasible: 'INFEASIBLE' }[expected[f].verdict]!;
      assert.ok(header.includes(word), `${f}.yaml header should explain why it lands on ${word}`);
    }
  });

  for (const [name, exp] of Object.entries(expected)) {
    it(`${name} lands on ${exp.verdict}`, () => {
      const w = workload(name);
      const r = planWorkload(curve(w.model.id), w);
      assert.equal(r.verdict, exp.verdict, r.explanation.join('\n'));
      assert.equal(r.plans.length, 4);
      assert.deepEqual(r.plans.map((p) => p.mode).sort(), ['batch', 'deferred', 'hybrid', 'realtime']);
      if (exp.verdict !== 'infeasible') {
        const chosen = r.plans[0];
        assert.equal(chosen.mode, exp.verdict);
        assert.equal(chosen.feasible, true);
        assert.ok(chosen.monthlyCostUsd !== null && chosen.monthlyCostUsd > 0);
        assert.ok(chosen.config);
        if (exp.variant) assert.equal(chosen.variant, exp.variant);
      }
      for (const p of r.plans) if (!p.feasible) assert.ok(p.reason && p.reason.length > 10, `${p.mode} says why it is infeasible`);
      assert.ok(r.explanation.length >= 3);
      assert.equal(r.sensitivity.sla.length, 10);
      assert.equal(r.sensitivity.deadline.length, 9);
    });
  }

  it('the infeasible classifier names the SLA gap and the levers', () => {
    const w = workload('interactive-classifier');
    const r = planWorkload(curve('bert-small'), w);
    // fastest on the authored fixture: int8 batch 1 at ~12.6 ms p95 against a 2 ms budget (8 ms SLA − 5 ms network − 1 ms tokenization)
    assert.ok(r.slaGapMs !== undefined && r.slaGapMs > 10 && r.slaGapMs < 11, `gap ${r.slaGapMs}`);
    const levers = r.relaxations.map((x) => x.lever);
    for (const l of ['lower-precision', 'smaller-batch', 'faster-hardware']) assert.ok(levers.includes(l as never), `lever ${l}`);
    assert.match(r.explanation.join('\n'), /misses the SLA by/);
    // a looser SLA makes it feasible again (the cost-vs-SLA curve shows where)
    assert.equal(r.sensitivity.sla.find((p) => p.slaMs === 50)?.verdict, 'realtime');
  });

  it('real-time plans provision for the peak, report a p99 band and the serverless break-even', () => {
    const w = workload('product-page-recs');
    const r = planWorkload(curve('mlp-small'), w);
    const rt = r.plans[0];
    assert.ok(rt.predicted);
    const [lo, hi] = rt.predicted.p99BandMs;
    assert.ok(lo <= rt.predicted.p99Ms && rt.predicted.p99Ms <= hi);
    assert.ok(rt.predicted.p99Ms <= w.sla.slaMs);
    assert.ok(rt.usableUtilization! > 0 && rt.usableUtilization! <= 1);
    assert.ok(r.breakEvenRatePerSec !== null && r.breakEvenRatePerSec < w.traffic!.meanRatePerSec!);
    assert.equal(r.uncertaintyPct, 40);
    assert.match(r.explanation.join('\n'), /±40%/);
  });
});
