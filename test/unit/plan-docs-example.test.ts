// docs/planner.md's worked example matches the engine to the cent: the figures are parsed from
// the doc's `planner-worked-example` block, and the by-hand batch arithmetic is redone here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import type { SweepRunResult } from '../../main/common/types.ts';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('docs/planner.md', root), 'utf8');
const block = /```text planner-worked-example\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
const figures = Object.fromEntries(block.trim().split('\n').map((l) => l.split('=').map((s) => s.trim()) as [string, string]));

describe('docs/planner.md worked example', () => {
  const run = JSON.parse(readFileSync(new URL('test/fixtures/curves/mlp-large.json', root), 'utf8')) as SweepRunResult;
  const w = parseWorkloadYaml(readFileSync(new URL('workloads/nightly-recs.yaml', root), 'utf8'), 'workloads/nightly-recs.yaml');
  const r = planWorkload(run, w, { skipSensitivity: true });

  it('the doc has the figures block', () => {
    assert.ok(Object.keys(figures).length >= 7, block);
  });

  it('engine output matches every figure in the doc', () => {
    assert.equal(r.verdict, figures.verdict);
    for (const [key, value] of Object.entries(figures)) {
      if (key === 'verdict') continue;
      const [mode, field] = key.split('.');
      const plan = r.plans.find((p) => p.mode === mode);
      assert.ok(plan, mode);
      assert.equal((plan as unknown as Record<string, number>)[field], Number(value), `${key}: engine ${(plan as unknown as Record<string, number>)[field]} vs doc ${value}`);
    }
  });

  it('the by-hand batch arithmetic gives the same cost', () => {
    const xOffline = Math.max(...run.points.map((p) => p.samplesPerSec));
    assert.equal(xOffline, 7693.28);
    const usable = 4 * 3600 - 15 * 60 - 60;
    const replicas = Math.ceil(50e6 / (xOffline * usable));
    const billedS = Math.ceil(900 + 60 + 50e6 / (replicas * xOffline));
    const cost = (730 / 24) * replicas * 0.0893 * (billedS / 3600);
    assert.equal(Math.round(cost * 100) / 100, Number(figures['batch.monthlyCostUsd']));
    assert.match(doc, new RegExp(`billed \\*\\*${billedS} s\\*\\*`));
  });
});
