// How plan figures read in the Plan view, Learn and the report: latency at the SLA percentile,
// percentages that keep a tiny load and a near-full headroom visible.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import type { Plan } from '../../main/common/plan/index.ts';
import { headroomFigure, latencyAtSla, percentFigure, plansSlaPercentile, scalesPerRequest, utilizationFigure } from '../../main/common/plan/planFigures.ts';
import type { SweepRunResult } from '../../main/common/types.ts';

const root = new URL('../../', import.meta.url);
const curve = (model: string) => JSON.parse(readFileSync(new URL(`test/fixtures/curves/${model}.json`, root), 'utf8')) as SweepRunResult;
const workload = (name: string) => parseWorkloadYaml(readFileSync(new URL(`workloads/${name}.yaml`, root), 'utf8'), `workloads/${name}.yaml`);

function plan(over: Partial<Plan>): Plan {
  return {
    mode: 'realtime', variant: 'fixed', feasible: true, config: null, replicas: 2, monthlyCostUsd: 1, costPerMillionUsd: 1,
    monthlyInferences: 1e6, predicted: null, utilization: 0.5, headroomPct: 50, bindingConstraint: 'x', arithmetic: [], ...over,
  };
}

describe('plan figures', () => {
  it('percentages keep one decimal and never round 99.7 to 100 or 0.33 to 0', () => {
    assert.equal(percentFigure(99.7), '99.7');
    assert.equal(percentFigure(0.33), '0.3');
    assert.equal(percentFigure(93.6), '93.6');
    assert.equal(percentFigure(50), '50');
    assert.equal(percentFigure(0.04), '<0.1');
    assert.equal(percentFigure(99.96), '>99.9');
    assert.equal(percentFigure(0), '0');
    assert.equal(percentFigure(100), '100');
  });

  it('headroom of a load the planner rounded to 100.0% still reads under 100', () => {
    assert.equal(headroomFigure(plan({ utilization: 0.0004, headroomPct: 100 })), '>99.9');
    assert.equal(headroomFigure(plan({ utilization: 0.0033, headroomPct: 99.7 })), '99.7');
    assert.equal(utilizationFigure(plan({ utilization: 0.0033, headroomPct: 99.7 })), '0.3');
  });

  it('a serverless plan without a concurrency limit has no utilisation or headroom to show', () => {
    const sv = plan({ variant: 'serverless', replicas: 0, utilization: 0, headroomPct: 100 });
    assert.equal(scalesPerRequest(sv), true);
    assert.equal(headroomFigure(sv), null);
    assert.equal(utilizationFigure(sv), null);
    const limited = { ...sv, concurrencyLimit: 10, concurrencyAtPeak: 2.5, utilization: 0.25, headroomPct: 75 };
    assert.equal(headroomFigure(limited), '75');
  });

  it('latency is taken at the SLA percentile when the plan has one, else p99', () => {
    const p95 = { p50Ms: 3, p99Ms: 9, p99BandMs: [8, 10] as [number, number], slaPercentile: 95, slaPercentileMs: 6, slaBandMs: [5.5, 6.5] as [number, number] };
    assert.deepEqual(latencyAtSla(p95), { percentile: 95, ms: 6, bandMs: [5.5, 6.5] });
    assert.deepEqual(latencyAtSla({ p50Ms: 3, p99Ms: 9, p99BandMs: [8, 10] }), { percentile: 99, ms: 9, bandMs: [8, 10] });
    assert.equal(plansSlaPercentile([plan({}), plan({ predicted: p95 })]), 95);
    assert.equal(plansSlaPercentile([plan({})], 90), 90);
  });

  it('a real p95 plan (receipt-ocr) is labelled p95, and the worked example reads 6.4% / 93.6%', () => {
    const r = planWorkload(curve('ocr-det'), workload('receipt-ocr'), { skipSensitivity: true });
    assert.equal(plansSlaPercentile(r.plans), 95);
    const rt = planWorkload(curve('mlp-large'), workload('nightly-recs'), { skipSensitivity: true }).plans.find((p) => p.mode === 'realtime')!;
    assert.equal(utilizationFigure(rt), '6.4');
    assert.equal(headroomFigure(rt), '93.6');
  });
});
