// The Plan view's levers and what-if profile on real planner output (real-bert-small curves and
// the shipped workloads): the nearest feasible SLA comes from the cost-vs-SLA curve, a fact such
// as "already at batch 1" is not offered as a lever, and the peak/mean slider reshapes a daily
// profile to the asked peak without changing its shape's order.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import type { SweepRunResult } from '../../main/common/types.ts';
import { isLever, nearestFeasibleSla, scaleDailyProfile } from '../../renderer/src/views/planLeverMath.ts';

const root = new URL('../../', import.meta.url);
const workload = (name: string) => parseWorkloadYaml(readFileSync(new URL(`workloads/${name}.yaml`, root), 'utf8'), `${name}.yaml`);
const curves = (name: string) => JSON.parse(readFileSync(new URL(`test/fixtures/curves/${name}.json`, root), 'utf8')) as SweepRunResult;

it('interactive-classifier (infeasible at p95 8 ms): the nearest feasible SLA is the first larger one on the cost curve', () => {
  const r = planWorkload(curves('real-bert-small'), workload('interactive-classifier'));
  assert.equal(r.verdict, 'infeasible');
  const n = nearestFeasibleSla(r, 8);
  assert.ok(n && n.slaMs > 8 && n.verdict !== 'infeasible', JSON.stringify(n));
  for (const p of r.sensitivity.sla) if (p.slaMs > 8 && p.slaMs < n.slaMs) assert.equal(p.verdict, 'infeasible', `${p.slaMs} ms is nearer and feasible`);
});

it('a lever is a change to make: "already at batch 1" is not one', () => {
  const r = planWorkload(curves('real-bert-small'), workload('interactive-classifier'));
  const levers = r.relaxations.filter(isLever);
  assert.ok(levers.length >= 2);
  assert.ok(levers.every((x) => !/^already at batch 1/.test(x.change)));
  assert.ok(r.relaxations.some((x) => x.lever === 'smaller-batch' && /^already at batch 1/.test(x.change)), 'the planner listed the fact');
});

it('scaleDailyProfile: peak/mean as asked, hours in the same order, ×1 is flat', () => {
  const profile = workload('product-page-recs').traffic!.dailyProfile!;
  const ratio = (p: number[]) => Math.max(...p) / (p.reduce((a, x) => a + x, 0) / p.length);
  for (const target of [1.5, 3, 6]) {
    const scaled = scaleDailyProfile(profile, target);
    assert.ok(Math.abs(ratio(scaled) - target) / target < 0.01, `×${target}: got ×${ratio(scaled).toFixed(3)}`);
    for (let i = 0; i < 24; i++) for (let j = 0; j < 24; j++) if (profile[i] < profile[j]) assert.ok(scaled[i] <= scaled[j]);
  }
  assert.ok(Math.abs(ratio(scaleDailyProfile(profile, 1)) - 1) < 1e-9);
});
