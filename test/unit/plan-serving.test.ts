// The planner with a serving calibration (per-batch overhead of the real serving path and the
// machine's jitter, as `kneepoint load` / `validate` measure them): every real-time service model
// includes it, the cache keeps calibrated and bare results apart, and the plan says which it used.
// Fixture curves (test/fixtures/curves), so the figures do not depend on this machine.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import type { Plan, PlanResult, ServingCalibration } from '../../main/common/plan/index.ts';
import type { SweepRunResult } from '../../main/common/types.ts';

const root = new URL('../../', import.meta.url);
const curve = (model: string) => JSON.parse(readFileSync(new URL(`test/fixtures/curves/${model}.json`, root), 'utf8')) as SweepRunResult;
const workload = (name: string) => parseWorkloadYaml(readFileSync(new URL(`workloads/${name}.yaml`, root), 'utf8'), `workloads/${name}.yaml`);
const realtime = (r: PlanResult): Plan => r.plans.find((p) => p.mode === 'realtime')!;
const fast = { skipSensitivity: true };

// voice-vad: 60 000 req/s mean on a ~0.2 ms model, so the fleet size is set by load, not the minimum
const vad = workload('voice-vad');
const vadCurves = curve(vad.model.id);
const largeOverhead: ServingCalibration = { overheadMs: 1, source: 'validate run run_test (fixture)' };

describe('planning with a serving calibration', () => {
  it('a large per-batch overhead lowers capacity per replica and raises the cost', () => {
    const bare = planWorkload(vadCurves, vad, fast);
    const served = planWorkload(vadCurves, vad, { ...fast, serving: largeOverhead });
    const b = realtime(bare);
    const s = realtime(served);
    assert.equal(bare.verdict, 'realtime');
    assert.equal(served.verdict, 'realtime', served.explanation.join('\n'));
    assert.ok(s.capacityPerReplicaPerSec! < b.capacityPerReplicaPerSec!, `capacity per replica ${s.capacityPerReplicaPerSec} vs bare ${b.capacityPerReplicaPerSec}`);
    assert.ok(s.replicas > b.replicas, `replicas ${s.replicas} vs bare ${b.replicas}`);
    assert.ok(s.monthlyCostUsd! > b.monthlyCostUsd!, `cost ${s.monthlyCostUsd} vs bare ${b.monthlyCostUsd}`);
    assert.ok(s.predicted!.p50Ms > b.predicted!.p50Ms, 'every batch pays the overhead, so even the median is slower');
  });

  it('the cost-vs-SLA curve includes the overhead too', () => {
    const bare = planWorkload(vadCurves, vad);
    const served = planWorkload(vadCurves, vad, { serving: { overheadMs: 5, source: 'load run run_test' } });
    const at = (r: PlanResult, slaMs: number) => r.sensitivity.sla.find((p) => p.slaMs === slaMs)!.monthlyCostUsd;
    assert.ok(at(served, 50)! > at(bare, 50)!, `at 50 ms: ${at(served, 50)} vs bare ${at(bare, 50)}`);
    // a 5 ms overhead + 8 ms network leaves too little of a 10 ms SLA for batches to form
    assert.ok(at(bare, 10) !== null && (at(served, 10) === null || at(served, 10)! > at(bare, 10)!));
  });

  it('calibrated and bare capacity searches are cached apart; an equal calibration hits the same entry', () => {
    const bare1 = realtime(planWorkload(vadCurves, vad, fast));
    const served1 = realtime(planWorkload(vadCurves, vad, { ...fast, serving: largeOverhead }));
    const bare2 = realtime(planWorkload(vadCurves, vad, fast));
    const served2 = realtime(planWorkload(vadCurves, vad, { ...fast, serving: { ...largeOverhead } }));
    assert.equal(bare2.capacityPerReplicaPerSec, bare1.capacityPerReplicaPerSec);
    assert.equal(served2.capacityPerReplicaPerSec, served1.capacityPerReplicaPerSec);
    assert.notEqual(served1.capacityPerReplicaPerSec, bare1.capacityPerReplicaPerSec);
    const otherJitter = realtime(planWorkload(vadCurves, vad, { ...fast, serving: { ...largeOverhead, jitterQuantilesMs: spikyJitter(20) } }));
    assert.notEqual(otherJitter.capacityPerReplicaPerSec, served1.capacityPerReplicaPerSec, 'jitter is part of the key');
  });

  it('machine jitter above the SLA makes real time infeasible where bare run() times meet it', () => {
    const w = workload('product-page-recs'); // p99 ≤ 50 ms
    const run = curve(w.model.id);
    assert.equal(realtime(planWorkload(run, w, fast)).feasible, true);
    const r = planWorkload(run, w, { ...fast, serving: { overheadMs: 0.1, jitterQuantilesMs: spikyJitter(60), source: 'validate run run_noisy' } });
    const rt = realtime(r);
    assert.equal(rt.feasible, false, r.explanation.join('\n'));
    assert.match(rt.reason!, /no configuration meets p99 ≤ 50 ms/);
    assert.equal(r.serving!.jitterP99Ms, 60);
  });

  it('the zero-load screen counts the overhead: one request plus the overhead over the budget rules real time out', () => {
    const w = workload('product-page-recs');
    const r = planWorkload(curve(w.model.id), w, { ...fast, serving: { overheadMs: 200, source: 'load run run_slow' } });
    const rt = realtime(r);
    assert.equal(rt.feasible, false);
    assert.match(rt.reason!, /even one request alone takes 200 ms/);
    assert.ok(r.slaGapMs! > 150, `gap ${r.slaGapMs}`);
  });
});

describe('what the plan says and stores about the calibration', () => {
  it('a calibration is stored with the plan and named in the explanation and the arithmetic', () => {
    const r = planWorkload(vadCurves, vad, { ...fast, serving: { overheadMs: 0.08, jitterQuantilesMs: spikyJitter(0.5), source: 'validate run run_abc (2025-01-02 10:00:00)' } });
    assert.equal(r.serving!.overheadMs, 0.08);
    assert.equal(r.serving!.jitterP99Ms, 0.5);
    assert.equal(r.serving!.jitterQuantilesMs!.length, 101);
    assert.match(r.serving!.source, /validate run run_abc/);
    assert.ok(r.explanation.includes('Serving overhead 0.08 ms per batch and machine jitter (p99 0.5 ms per request) from validate run run_abc (2025-01-02 10:00:00) are included in the real-time predictions.'),
      r.explanation.join('\n'));
    assert.ok(realtime(r).arithmetic.some((l) => /serving overhead 0\.08 ms per batch.*jitter \(p99 0\.5 ms\).*validate run run_abc/.test(l)), realtime(r).arithmetic.join('\n'));
  });

  it('null (looked, none measured) says predictions assume no serving overhead', () => {
    const r = planWorkload(vadCurves, vad, { ...fast, serving: null });
    assert.equal(r.serving, null);
    const line = r.explanation.find((l) => l.startsWith('No load or validate run'));
    assert.ok(line, r.explanation.join('\n'));
    assert.match(line, /of silero-vad here: predictions assume no serving overhead beyond the bare run\(\) time/);
    assert.match(line, /kneepoint validate --model silero-vad/);
    assert.deepEqual(realtime(r).capacityPerReplicaPerSec, realtime(planWorkload(vadCurves, vad, fast)).capacityPerReplicaPerSec, 'null plans on bare run() times');
  });

  it('without the option the result has no serving field and says nothing about it', () => {
    const r = planWorkload(vadCurves, vad, fast);
    assert.equal('serving' in r, false);
    assert.ok(!r.explanation.some((l) => /serving overhead/i.test(l)));
  });
});

/** 101 jitter quantiles: 0.05 ms for the body, `tailMs` from q99 up (p99 = tailMs). */
function spikyJitter(tailMs: number): number[] {
  return Array.from({ length: 101 }, (_, i) => (i < 99 ? 0.05 : tailMs));
}
