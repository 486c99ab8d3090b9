// `kneepoint plan --load-run ID`: the plan includes the serving overhead and machine jitter a real
// `kneepoint load` run of the model measured on this machine (or says it assumes none), stores
// the calibration with the plan, and refuses a run that is not a load/validate run (exit 2).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { json, runCli, tempDir, QUICK } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];
const WORKLOAD = 'workloads/product-page-recs.yaml'; // mlp-small, real time
let sweepId = '';

before(async () => {
  const r = await runCli(withDb('sweep', '--model', 'mlp-small', '--batch', '1,8,32', ...QUICK, '--json'));
  assert.equal(r.code, 0, r.stderr);
  sweepId = json(r).runId;
});

test('without a load or validate run of the model, the plan says its predictions assume no serving overhead', async () => {
  const r = await runCli(withDb('plan', '--workload', WORKLOAD, '--run', sweepId, '--json'));
  assert.equal(r.code, 0, r.stderr);
  const p = json(r);
  assert.equal(p.serving, null);
  assert.ok(p.explanation.some((l: string) => /^No load or validate run of mlp-small here: predictions assume no serving overhead/.test(l)), p.explanation.join('\n'));
});

test('plan --load-run uses that load run\'s calibration, stores it with the plan, and later plans pick it up by default', async () => {
  const load = await runCli(withDb('load', '--model', 'mlp-small', '--rate', '200', '--seconds', '2', '--json'));
  assert.equal(load.code, 0, load.stderr);
  const loadRun = json(load);
  assert.equal(typeof loadRun.overheadMs, 'number');

  const r = await runCli(withDb('plan', '--workload', WORKLOAD, '--run', sweepId, '--load-run', loadRun.runId, '--json'));
  assert.equal(r.code, 0, r.stderr);
  const p = json(r);
  assert.match(p.serving.source, new RegExp(`^load run ${loadRun.runId} `));
  assert.equal(p.serving.overheadMs, loadRun.overheadMs);
  assert.ok(p.serving.jitterP99Ms === null || p.serving.jitterP99Ms >= 0);
  assert.ok(p.explanation.some((l: string) => l.startsWith('Serving overhead ') && l.includes(`from load run ${loadRun.runId}`)), p.explanation.join('\n'));
  const rt = p.plans.find((x: any) => x.mode === 'realtime');
  if (rt.feasible) assert.ok(rt.arithmetic.some((l: string) => l.includes(`serving overhead`) && l.includes(loadRun.runId)), rt.arithmetic.join('\n'));

  const stored = json(await runCli(withDb('plans', '--run', sweepId, '--json')));
  assert.ok(stored.some((x: any) => x.id === p.planId));

  const byDefault = json(await runCli(withDb('plan', '--workload', WORKLOAD, '--run', sweepId, '--json')));
  assert.match(byDefault.serving.source, new RegExp(`^load run ${loadRun.runId} `), 'the latest load run of the model here is used without --load-run');

  const text = await runCli(withDb('plan', '--workload', WORKLOAD, '--run', sweepId, '--load-run', loadRun.runId));
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`Serving overhead .* from load run ${loadRun.runId}`));
});

test('plan --load-run with a sweep run or an unknown run fails with exit code 2 and says what it needs', async () => {
  const sweep = await runCli(withDb('plan', '--workload', WORKLOAD, '--run', sweepId, '--load-run', sweepId));
  assert.equal(sweep.code, 2, sweep.stderr);
  assert.match(sweep.stderr, new RegExp(`run ${sweepId} is a sweep run: --load-run needs a load or validate run`));
  const missing = await runCli(withDb('plan', '--workload', WORKLOAD, '--run', sweepId, '--load-run', 'run_nope'));
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /run run_nope not found/);
});
