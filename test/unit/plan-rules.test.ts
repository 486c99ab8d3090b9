// Cost formulas and decision rules of the planner (PLANNER.md), including the edge cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import type { Plan, Workload } from '../../main/common/plan/index.ts';
import { decide, TIE_FRACTION } from '../../main/common/plan/decide.ts';
import { breakEvenRatePerSec } from '../../main/common/plan/costServerless.ts';
import type { SweepRunResult } from '../../main/common/types.ts';

const root = new URL('../../', import.meta.url);
const curve = (model: string) => JSON.parse(readFileSync(new URL(`test/fixtures/curves/${model}.json`, root), 'utf8')) as SweepRunResult;
const workload = (name: string) => parseWorkloadYaml(readFileSync(new URL(`workloads/${name}.yaml`, root), 'utf8'), `workloads/${name}.yaml`);
const fast = { skipSensitivity: true };

function plan(mode: Plan['mode'], monthlyCostUsd: number | null, feasible = true): Plan {
  return {
    mode, variant: 'fixed', feasible, config: null, replicas: 1, monthlyCostUsd, costPerMillionUsd: monthlyCostUsd === null ? null : monthlyCostUsd / 10,
    monthlyInferences: 1e7, predicted: null, utilization: 0.5, headroomPct: 50, bindingConstraint: 'test', arithmetic: [],
  };
}
const w0 = workload('product-page-recs');

describe('decision rules', () => {
  it('cheapest feasible plan wins when the others cost more than 15% more', () => {
    const d = decide([plan('realtime', 100), plan('deferred', 116), plan('batch', 200, false)], w0);
    assert.equal(d.verdict, 'realtime');
    assert.equal(d.tieBreak, false);
  });

  it('within 15% the simpler mode wins: batch, then deferred, then real-time', () => {
    assert.equal(TIE_FRACTION, 0.15);
    assert.equal(decide([plan('realtime', 100), plan('deferred', 114.9)], w0).verdict, 'deferred');
    const d = decide([plan('realtime', 100), plan('deferred', 105), plan('batch', 114)], w0);
    assert.equal(d.verdict, 'batch');
    assert.equal(d.tieBreak, true);
    assert.equal(decide([plan('hybrid', 100), plan('realtime', 110)], w0).verdict, 'realtime');
  });

  it('no feasible plan → infeasible', () => {
    assert.equal(decide([plan('realtime', null, false), plan('batch', null, false)], w0).verdict, 'infeasible');
  });

  it('over budget → infeasible, but a feasible plan within budget is still chosen', () => {
    const w = { ...w0, budget: { monthlyUsd: 90 } };
    const over = decide([plan('realtime', 100), plan('deferred', 120)], w);
    assert.equal(over.verdict, 'infeasible');
    assert.equal(over.budgetExceeded, true);
    assert.equal(over.cheapest?.mode, 'realtime');
    assert.equal(decide([plan('realtime', 100), plan('hybrid', 80)], w).verdict, 'hybrid');
    assert.equal(decide([plan('realtime', 100)], { ...w0, budget: { perMillionUsd: 5 } }).verdict, 'infeasible');
  });

  it('without prices the simplest feasible mode is chosen and cost stays unknown', () => {
    const d = decide([plan('realtime', null), plan('deferred', null)], w0);
    assert.equal(d.verdict, 'deferred');
    assert.equal(d.costUnknown, true);
  });
});

describe('planWorkload edge cases', () => {
  it('budget exceeded: infeasible under budget with the cheapest relaxation', () => {
    // the budget is set just at what a looser SLA costs (read from the unbudgeted plan's cost-vs-SLA
    // curve), so it is under the plan as written and a relaxation fits, whatever the fleet costs
    const base = workload('recs-hybrid');
    const unbudgeted = planWorkload(curve('mlp-large'), base);
    const looser = unbudgeted.sensitivity.sla.find((p) => p.slaMs > base.sla.slaMs && p.monthlyCostUsd !== null && p.monthlyCostUsd < unbudgeted.plans[0].monthlyCostUsd!);
    assert.ok(looser, JSON.stringify(unbudgeted.sensitivity.sla));
    const w: Workload = { ...base, budget: { monthlyUsd: looser.monthlyCostUsd! } };
    const r = planWorkload(curve('mlp-large'), w);
    assert.equal(r.verdict, 'infeasible');
    assert.equal(r.budgetExceeded, true);
    assert.ok(r.relaxations.length > 0);
    const fit = r.relaxations.find((x) => x.fitsBudget);
    assert.ok(fit, JSON.stringify(r.relaxations));
    assert.ok(fit.monthlyCostUsd !== null && fit.monthlyCostUsd <= looser.monthlyCostUsd!);
    assert.match(r.explanation[0], /Infeasible under budget/);
    assert.match(r.explanation.join('\n'), /Cheapest relaxation that fits the budget/);
  });

  it('SLA below the network time: real-time infeasible, says nothing is left for the model', () => {
    const w: Workload = { ...w0, sla: { ...w0.sla, slaMs: 20 } };
    const r = planWorkload(curve('mlp-small'), w, fast);
    assert.equal(r.verdict, 'infeasible');
    const rt = r.plans.find((p) => p.mode === 'realtime')!;
    assert.match(rt.reason!, /leaving nothing for the model/);
    assert.equal(r.relaxations[0].lever, 'looser-sla');
  });

  it('SLA below zero-load latency: the gap in ms equals zero-load − budget', () => {
    const w = workload('interactive-classifier');
    const r = planWorkload(curve('bert-small'), w, fast);
    const int8 = curve('bert-small').points.find((p) => p.config.precision === 'int8' && p.config.batch === 1)!;
    const p95 = int8.quantilesMs![95];
    assert.equal(r.slaGapMs, Math.round((p95 - (w.sla.slaMs - w.overheads.networkMs - w.overheads.preProcessMs)) * 100) / 100);
  });

  it('payload over the synchronous limit: real-time out, deferred in; over the function limit: serverless out', () => {
    const base = workload('receipt-ocr');
    const w: Workload = {
      ...base, callers: { synchronous: true, acceptsAsync: false },
      payload: { ...base.payload, requestBytes: 8e6, syncMaxBytes: 5e6 },
    };
    const r = planWorkload(curve('ocr-det'), w, fast);
    const rt = r.plans.find((p) => p.mode === 'realtime')!;
    assert.equal(rt.feasible, false);
    assert.match(rt.reason!, /over the 5 MB a synchronous endpoint accepts/);
    const def = r.plans.find((p) => p.mode === 'deferred')!;
    assert.equal(def.feasible, true);
    assert.equal(r.verdict, 'deferred');
    const sv = def.alternatives!.find((a) => a.variant === 'serverless')!;
    assert.equal(sv.feasible, false);
    assert.match(sv.reason!, /payload limit/);
  });

  it('no costs given: plans still carry replicas, capacity and latency; cost is unknown', () => {
    const w: Workload = { ...w0, instances: w0.instances.map(({ pricePerHourUsd: _p, ...it }) => it), serverless: undefined };
    const r = planWorkload(curve('mlp-small'), w, fast);
    assert.equal(r.costUnknown, true);
    assert.equal(r.verdict, 'realtime');
    const rt = r.plans[0];
    assert.equal(rt.monthlyCostUsd, null);
    assert.equal(rt.costPerMillionUsd, null);
    assert.ok(rt.replicas >= 2 && rt.capacityPerReplicaPerSec! > 0 && rt.predicted!.p99Ms > 0);
    assert.match(r.explanation.join('\n'), /cost is unknown/);
  });

  it('no instance catalog: plans on the measured machine', () => {
    const w: Workload = { ...w0, instances: [], serverless: undefined };
    const r = planWorkload(curve('mlp-small'), w, fast);
    assert.equal(r.plans[0].config?.instanceType, 'measured-machine');
    assert.equal(r.uncertaintyPct, 0);
  });

  it('precisions over the accuracy budget are not used', () => {
    const run = curve('mlp-small');
    const spoiled = { ...run, points: run.points.map((p) => (p.config.precision === 'int8' ? { ...p, accuracy: { ...p.accuracy!, withinBudget: false } } : p)) };
    const r = planWorkload(spoiled, w0, fast);
    for (const p of r.plans) if (p.config) assert.notEqual(p.config.precision, 'int8');
  });
});

describe('cost formulas', () => {
  it('real-time fixed: n = ceil(peak·(1+growth)/X_slo) + spares; cost = n·price·730', () => {
    const w: Workload = { ...workload('voice-vad'), autoscaling: { enabled: false, scaleLagS: 0, minReplicas: 1 }, serverless: undefined };
    const r = planWorkload(curve('silero-vad'), w, fast);
    const rt = r.plans[0];
    assert.equal(rt.variant, 'fixed');
    const peak = 60000 * (2.0 / (w.traffic!.dailyProfile!.reduce((a, b) => a + b) / 24)) * 1.2;
    const n = Math.ceil(peak / rt.capacityPerReplicaPerSec!) + 1;
    assert.ok(Math.abs(rt.replicas - n) <= 1, `${rt.replicas} vs ${n}`); // X_slo is reported rounded
    const price = w.instances.find((i) => i.name === rt.config!.instanceType)!.pricePerHourUsd!;
    assert.equal(rt.monthlyCostUsd, Math.round(rt.replicas * price * 730 * 100) / 100);
    assert.equal(rt.costPerMillionUsd, Math.round((rt.monthlyCostUsd! / (60000 * 3600 * 730 / 1e6)) * 1e4) / 1e4);
  });

  it('autoscaled real-time costs Σ replicas(hour) · price · 730/24 and never more than fixed', () => {
    const r = planWorkload(curve('silero-vad'), { ...workload('voice-vad'), serverless: undefined }, fast);
    const rt = r.plans[0];
    assert.equal(rt.variant, 'autoscaled');
    const sum = rt.replicasByHour!.reduce((a, b) => a + b, 0);
    assert.equal(rt.monthlyCostUsd, Math.round(sum * 0.0893 * (730 / 24) * 100) / 100);
    const fixed = rt.alternatives!.find((a) => a.variant === 'fixed')!;
    assert.ok(fixed.monthlyCostUsd! >= rt.monthlyCostUsd!);
  });

  it('scheduled batch: replicas, billed run time and runs per month by hand', () => {
    const w = workload('weekly-churn');
    const run = curve('mlp-small');
    const r = planWorkload(run, w, fast);
    const b = r.plans[0];
    const best = Math.max(...run.points.map((p) => p.samplesPerSec)); // int8 batch 256 on the 2-core machine
    const usable = 8 * 3600 - 20 * 60 - 60;
    const n = Math.ceil(12e6 / (best * usable));
    const runS = Math.ceil(20 * 60 + 60 + 12e6 / (n * best));
    assert.equal(b.replicas, n);
    assert.equal(b.monthlyCostUsd, Math.round((730 / 168) * n * 0.0893 * (runS / 3600) * 100) / 100);
  });

  it('serverless break-even: always-on (2 replicas) = serverless per request', () => {
    const be = breakEvenRatePerSec({ costPerRequestUsd: 1e-6, pricePerHourUsd: 0.1, xSloPerSec: 1000, peakToMean: 1, growth: 0, minReplicas: 1, spares: 1 });
    assert.ok(be !== null && Math.abs(be - (2 * 0.1 * 730) / (3600 * 730 * 1e-6)) < 1e-3, String(be));
    assert.equal(breakEvenRatePerSec({ costPerRequestUsd: null, pricePerHourUsd: 0.1, xSloPerSec: 1, peakToMean: 1, growth: 0, minReplicas: 1, spares: 1 }), null);
  });

  it('deferred: a longer deadline never costs more', () => {
    const w = workload('medical-scans');
    const r = planWorkload(curve('cnn-medium'), w);
    const costs = r.sensitivity.deadline.filter((p) => p.monthlyCostUsd !== null).map((p) => p.monthlyCostUsd!);
    for (let i = 1; i < costs.length; i++) assert.ok(costs[i] <= costs[i - 1] + 1e-9, JSON.stringify(r.sensitivity.deadline));
  });
});
