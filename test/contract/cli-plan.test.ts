// `kneepoint plan` on a real sweep of this machine, the stored plan, and workload errors.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { json, runCli, tempDir, QUICK } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
let runId = '';

before(async () => {
  const r = await runCli(['--db', db, 'sweep', '--model', 'mlp-small', '--batch', '1,8,32', ...QUICK, '--json']);
  assert.equal(r.code, 0, r.stderr);
  runId = json(r).runId;
});

test('plan prints the documented shape and stores the plan with its run', async () => {
  const r = await runCli(['--db', db, 'plan', '--workload', 'workloads/weekly-churn.yaml', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const p = json(r);
  assert.equal(p.runId, runId, 'uses the latest completed sweep of the model');
  assert.equal(p.verdict, 'batch', p.explanation.join('\n'));
  assert.ok(p.explanation.length > 2);
  for (const plan of p.plans) {
    assert.ok(['realtime', 'deferred', 'batch', 'hybrid'].includes(plan.mode));
    assert.equal(typeof plan.feasible, 'boolean');
    if (plan.feasible) {
      assert.equal(typeof plan.config.precision, 'string');
      assert.equal(typeof plan.replicas, 'number');
      assert.ok(plan.monthlyCostUsd === null || plan.monthlyCostUsd >= 0);
      assert.equal(typeof plan.bindingConstraint, 'string');
    } else {
      assert.ok(plan.reason.length > 0);
    }
  }
  assert.ok(Array.isArray(p.sensitivity.sla) && Array.isArray(p.sensitivity.deadline));
  const plans = json(await runCli(['--db', db, 'plans', '--run', runId, '--json']));
  assert.ok(plans.some((x: any) => x.id === p.planId && x.verdict === 'batch'));
});

test('a product page that waits for the answer is served real-time from the measured curves', async () => {
  const p = json(await runCli(['--db', db, 'plan', '--workload', 'workloads/product-page-recs.yaml', '--run', runId, '--json']));
  assert.equal(p.verdict, 'realtime', p.explanation.join('\n'));
  const rt = p.plans.find((x: any) => x.mode === 'realtime');
  assert.ok(rt.predicted.p99Ms <= 50, 'predicted p99 meets the 50 ms SLA');
});

test('an invalid workload fails with file:line and exit code 2', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'name: bad\nmodel:\n  id: mlp-small\nsla:\n  percentile: 99\n  slaMs: "50ms"\ncallers:\n  synchronous: true\ntraffic:\n  meanRatePerSec: -3\n');
  const r = await runCli(['--db', db, 'plan', '--workload', bad]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /bad\.yaml:6/);
  assert.match(r.stderr, /bad\.yaml:10/);
});

test('a workload of a model without curves says how to get them when --no-sweep is given', async () => {
  const r = await runCli(['--db', db, 'plan', '--workload', 'workloads/voice-vad.yaml', '--no-sweep']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no completed sweep of silero-vad.*kneepoint sweep --model silero-vad/);
});

test('a plan on another model\'s run is refused naming both models; --map-model plans it and says so first and in the report title', async () => {
  const refused = await runCli(['--db', db, 'plan', '--workload', 'workloads/voice-vad.yaml', '--run', runId]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /measured mlp-small, but the workload runs silero-vad/);
  assert.match(refused.stderr, /--map-model mlp-small/);
  const before = json(await runCli(['--db', db, 'plans', '--json'])).length;
  const wrongMap = await runCli(['--db', db, 'plan', '--workload', 'workloads/voice-vad.yaml', '--run', runId, '--map-model', 'mlp-large']);
  assert.equal(wrongMap.code, 2, wrongMap.stderr);
  assert.match(wrongMap.stderr, /measured mlp-small, not mlp-large/);
  assert.equal(json(await runCli(['--db', db, 'plans', '--json'])).length, before, 'nothing stored for a refused plan');

  const mapped = json(await runCli(['--db', db, 'plan', '--workload', 'workloads/voice-vad.yaml', '--run', runId, '--map-model', 'mlp-small', '--json']));
  assert.match(mapped.explanation[0], /^Mapped model: silero-vad is planned with the curves measured for mlp-small/);
  assert.deepEqual(mapped.curvesModelMismatch, { run: 'mlp-small', workload: 'silero-vad', mapped: true });
  const out = join(dir, 'mapped.html');
  const rep = await runCli(['--db', db, 'report', mapped.planId, '--format', 'html', '--out', out]);
  assert.equal(rep.code, 0, rep.stderr);
  const title = /<title>([^<]*)<\/title>/.exec(readFileSync(out, 'utf8'))?.[1] ?? '';
  assert.match(title, /silero-vad \(mapped to mlp-small&#39;s curves\)|silero-vad \(mapped to mlp-small's curves\)/);
});
