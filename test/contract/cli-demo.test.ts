// `kneepoint demo`: every scenario walks through offline (bundled recordings), and one small
// scenario measures for real and stores its run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { json, runCli, tempDir } from '../helpers/cli.ts';
import { SCENARIOS } from '../../main/common/learn/scenarios.ts';

test('demo --list --json lists every scenario with its models and workloads', async () => {
  const r = await runCli(['demo', '--list', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const list = json<Array<{ id: string; measurements: Array<{ model: string }>; workloads: unknown[] }>>(r);
  assert.deepEqual(list.map((s) => s.id), SCENARIOS.map((s) => s.id));
  for (const s of list) {
    assert.ok(s.measurements.length >= 1 && s.workloads.length >= 1, s.id);
  }
});

for (const s of SCENARIOS) {
  test(`demo ${s.id} --offline --json walks every step with real figures and a verdict per workload`, async () => {
    const r = await runCli(['demo', s.id, '--offline', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const w = json(r);
    assert.equal(w.scenario.id, s.id);
    assert.equal(w.source, 'recording');
    assert.equal(w.steps.length, s.steps.length);
    for (const step of w.steps) {
      assert.doesNotMatch(step.text, /\{\w+\}/, `unfilled figure in "${step.title}"`);
      for (const f of step.figures) assert.notEqual(f.text, undefined);
    }
    // the measured figures (latency, throughput) come from the recording, not placeholders
    const numeric = w.steps.flatMap((x: { figures: Array<{ value: unknown; unit?: string }> }) => x.figures).filter((f: { unit?: string }) => f.unit === 'ms' || f.unit === 'samples/s');
    for (const f of numeric) assert.ok(typeof f.value === 'number' && f.value > 0, JSON.stringify(f));
    assert.equal(w.verdicts.length, s.workloads.length);
    for (const v of w.verdicts) assert.match(v.verdict, /^(realtime|deferred|batch|hybrid|infeasible)$/);
    assert.match(w.machine, /cores/);
  });
}

test('demo restaurant --offline names the two expected serving modes', async () => {
  const w = json(await runCli(['demo', 'restaurant', '--offline', '--json']));
  const byKey = Object.fromEntries(w.verdicts.map((v: { key: string; verdict: string }) => [v.key, v.verdict]));
  assert.equal(byKey['product-page-recs'], 'realtime');
  assert.equal(byKey['weekly-churn'], 'batch');
});

test('demo of an unknown scenario is a usage error that lists the scenarios', async () => {
  const r = await runCli(['demo', 'no-such-thing', '--offline']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /restaurant/);
});

test('demo restaurant --json measures mlp-small for real and stores the run', async () => {
  const db = join(tempDir(), 'demo.db');
  const r = await runCli(['--db', db, 'demo', 'restaurant', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const w = json(r);
  assert.equal(w.source, 'measured');
  const runId = w.runIds['mlp-small'];
  assert.match(runId, /^run_/);
  assert.equal(w.verdicts.length, 2);
  const shown = json(await runCli(['--db', db, 'runs', '--json']));
  assert.ok(JSON.stringify(shown).includes(runId), 'the demo run is stored like any sweep');
});
