// A serverless variant runs no always-on fleet (replicas 0): its utilisation, headroom and binding
// constraint describe the functions (share of the concurrency limit at today's peak), never the
// fleet that was priced against it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import type { Plan, Workload } from '../../main/common/plan/index.ts';
import type { SweepRunResult } from '../../main/common/types.ts';

const root = new URL('../../', import.meta.url);
const curve = (model: string) => JSON.parse(readFileSync(new URL(`test/fixtures/curves/${model}.json`, root), 'utf8')) as SweepRunResult;
const workload = (name: string) => parseWorkloadYaml(readFileSync(new URL(`workloads/${name}.yaml`, root), 'utf8'), `workloads/${name}.yaml`);
const fast = { skipSensitivity: true };

/** The function's mean duration from the plan's own arithmetic ("function duration = … = 0.06 ms, billed …"). */
function functionDurationMs(p: Plan): number {
  const line = p.arithmetic.find((l) => l.includes('function duration'));
  const m = line && /= ([\d.]+) ms, billed/.exec(line);
  assert.ok(m, `no function duration in ${JSON.stringify(p.arithmetic)}`);
  return Number(m[1]);
}

/** product-page-recs at a trickle: serverless is far cheaper than the always-on fleet. */
function quietProductPage(maxConcurrency?: number, meanRatePerSec = 0.5): Workload {
  const w = workload('product-page-recs');
  return { ...w, traffic: { ...w.traffic!, meanRatePerSec }, serverless: { ...w.serverless!, maxConcurrency } };
}

describe('serverless variant load figures', () => {
  it('real-time serverless without a concurrency limit reports no fleet load: utilisation 0, "scales per request"', () => {
    const r = planWorkload(curve('mlp-small'), quietProductPage(), fast);
    const rt = r.plans.find((p) => p.mode === 'realtime')!;
    assert.equal(rt.variant, 'serverless');
    assert.equal(rt.replicas, 0);
    assert.equal(rt.utilization, 0);
    assert.equal(rt.headroomPct, 100);
    assert.equal(rt.concurrencyLimit, undefined);
    assert.match(rt.bindingConstraint, /scale per request/);
    assert.match(rt.bindingConstraint, /no concurrency limit given/);
    // functions busy at once = today's peak × function duration (printed to 0.01 ms in the arithmetic)
    const d = functionDurationMs(rt);
    const c = rt.concurrencyAtPeak!;
    assert.ok(c >= rt.peakRatePerSec! * (d - 0.005) / 1000 && c <= rt.peakRatePerSec! * (d + 0.005) / 1000, `${c} at ${rt.peakRatePerSec}/s × ${d} ms`);
    // the always-on fleet's capacity figures are not carried over to a variant that runs no machines
    assert.equal(rt.capacityPerReplicaPerSec, undefined);
    assert.equal(rt.usableUtilization, undefined);
    assert.equal(rt.summary, undefined);
    // the fleet it was compared with is still listed, with its replicas
    assert.ok(rt.alternatives!.some((a) => a.variant !== 'serverless' && a.replicas >= 1));
    const limits = r.explanation.find((l) => l.startsWith('What limits it'))!;
    assert.match(limits, /scale per request/);
    assert.doesNotMatch(limits, /headroom/);
  });

  it('real-time serverless with a concurrency limit: utilisation = functions busy at peak / the limit', () => {
    const r = planWorkload(curve('mlp-small'), quietProductPage(1, 20), fast);
    const rt = r.plans.find((p) => p.mode === 'realtime')!;
    assert.equal(rt.variant, 'serverless');
    assert.equal(rt.concurrencyLimit, 1);
    assert.ok(rt.utilization > 0 && rt.utilization < 0.01, String(rt.utilization)); // tiny, but never rounded to 0
    assert.ok(Math.abs(rt.utilization - rt.concurrencyAtPeak!) <= 0.01 * rt.utilization);
    assert.equal(rt.headroomPct, Math.round(1000 * (1 - rt.concurrencyAtPeak!)) / 10);
    assert.match(rt.bindingConstraint, /of the concurrency limit of 1\b/);
    assert.ok(rt.headroomPct < 100, String(rt.headroomPct));
    assert.match(r.explanation.join('\n'), new RegExp(`headroom at peak ${rt.headroomPct}%`));
  });

  it('deferred serverless (receipt-ocr) reports the share of its concurrency limit, not the always-on fleet', () => {
    const base = workload('receipt-ocr');
    const plain = planWorkload(curve('ocr-det'), base, fast).plans.find((p) => p.mode === 'deferred')!;
    assert.equal(plain.variant, 'serverless');
    assert.equal(plain.replicas, 0);
    assert.equal(plain.utilization, 0);
    assert.match(plain.bindingConstraint, /scale per request/);

    const w: Workload = { ...base, serverless: { ...base.serverless!, maxConcurrency: 4 } };
    const def = planWorkload(curve('ocr-det'), w, fast).plans.find((p) => p.mode === 'deferred')!;
    assert.equal(def.variant, 'serverless');
    assert.equal(def.concurrencyLimit, 4);
    const c = def.concurrencyAtPeak!;
    assert.ok(c > 0 && c < 4, String(c));
    assert.ok(Math.abs(def.utilization - c / 4) <= 0.002, `${def.utilization} vs ${c / 4}`);
    assert.equal(def.headroomPct, Math.round(1000 * (1 - c / 4)) / 10);
    assert.match(def.bindingConstraint, /of the concurrency limit of 4/);
  });

  it('an always-on variant keeps the fleet figures and no concurrency fields', () => {
    const r = planWorkload(curve('mlp-small'), workload('product-page-recs'), fast);
    const rt = r.plans.find((p) => p.mode === 'realtime')!;
    assert.notEqual(rt.variant, 'serverless');
    assert.equal(rt.concurrencyAtPeak, undefined);
    assert.ok(rt.replicas >= 1 && rt.utilization > 0);
    assert.ok(rt.capacityPerReplicaPerSec! > 0);
  });
});
