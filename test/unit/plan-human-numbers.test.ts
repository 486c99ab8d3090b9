// Figures a person reads: a serverless plan's cost arithmetic names its price per million requests,
// never a number in exponent notation.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../../main/common/plan/index.ts';
import { perMillionText } from '../../main/common/plan/costServerless.ts';
import type { SweepRunResult } from '../../main/common/types.ts';

const root = new URL('../../', import.meta.url);
const run = JSON.parse(readFileSync(new URL('test/fixtures/curves/mlp-small.json', root), 'utf8')) as SweepRunResult;

it('perMillionText: $0.22 per million requests, not 2.1667e-7', () => {
  assert.equal(perMillionText(2.1667e-7), '$0.22 per million requests');
  assert.equal(perMillionText(0.00125), '$1,250 per million requests');
  assert.equal(perMillionText(3e-12), '$0.0000030 per million requests');
});

it('the serverless arithmetic of a shipped workload has no exponent notation', () => {
  const w = parseWorkloadYaml(readFileSync(new URL('workloads/product-page-recs.yaml', root), 'utf8'), 'product-page-recs.yaml');
  const r = planWorkload(run, { ...w, traffic: { ...w.traffic!, meanRatePerSec: 0.5 } }, { skipSensitivity: true });
  const lines = r.plans.flatMap((p) => [...p.arithmetic, p.bindingConstraint, p.reason ?? '']).concat(r.explanation);
  const serverless = lines.find((l) => l.includes('cost per request'));
  assert.ok(serverless, 'a serverless plan was priced');
  assert.match(serverless, /\$[\d.,]+ per million requests/);
  for (const l of lines) assert.doesNotMatch(l, /\d\.?\d*e-\d/, l);
});
