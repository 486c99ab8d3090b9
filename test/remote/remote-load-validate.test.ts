// `load --target` and `validate --target` against a real OpenSSH server on 127.0.0.1 (see sshd.ts):
// the job runs on the target's agent, the result lands in the local SQLite store with the target
// and the remote's hardware fingerprint, a validate run brings its service curves along, and a
// plan on that target's curves is then checked and calibrated by it. Real models, real load.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { json, runCli, startCli, tempDir, QUICK, ROOT, type CliResult } from '../helpers/cli.ts';
import { remotePids, sshConfigFor, sshdSkip, startSshd, type SshServer } from './sshd.ts';

const skip = sshdSkip();

let server: SshServer;
let db: string;
let env: Record<string, string>;
let remoteDir = '';
let fingerprint = '';

const cli = (args: string[]): Promise<CliResult> => runCli(['--db', db, ...args], env);

function rows<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const d = new Database(file, { readonly: true, fileMustExist: true });
  try { return d.prepare(sql).all(...params) as T[]; } finally { d.close(); }
}
const localRows = <T>(sql: string, ...params: unknown[]) => rows<T>(db, sql, ...params);
const remoteDb = () => join(remoteDir, 'data', 'kneepoint.db');

/** Start a long CLI job, wait until its local run row exists, and return it with its stderr so far. */
async function startLong(args: string[]): Promise<{ child: ReturnType<typeof startCli>; runId: string; stderr: () => string; closed: Promise<number | null> }> {
  const child = startCli(['--db', db, ...args], env);
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const closed = new Promise<number | null>((r) => child.once('close', r));
  const deadline = Date.now() + 120_000;
  for (;;) {
    assert.ok(Date.now() < deadline, `no run in time; stderr: ${stderr}`);
    assert.equal(child.exitCode, null, `the job ended early; stderr: ${stderr}`);
    const runId = /run (run_[0-9a-f]+)/.exec(stderr)?.[1];
    if (runId) return { child, runId, stderr: () => stderr, closed };
    await sleep(50);
  }
}

before(async () => {
  if (skip) return;
  server = await startSshd();
  db = join(tempDir(), 'kp.db');
  env = { KNEEPOINT_SSH_CONFIG: sshConfigFor([server], tempDir()) };
  remoteDir = server.makeRemoteInstall('lv');
  const add = await cli(['targets', 'add', 'box', server.url, '--identity', server.clientKey, '--remote-dir', remoteDir]);
  assert.equal(add.code, 0, add.stderr);
  const t = await cli(['--json', 'targets', 'test', 'box']);
  assert.equal(t.code, 0, t.stderr);
  fingerprint = json(t).hardware.fingerprint;
  assert.match(fingerprint, /^[0-9a-f]{16}$/);
});
after(async () => { await server?.stop(); });

test('load --target: the load is served by the agent there; the run here has the target, the remote fingerprint and its figures', { skip }, async () => {
  // a model file that is not in the catalog: it travels through the sha256 cache
  const model = join(tempDir(), 'tiny ranker (copy).onnx');
  copyFileSync(join(ROOT, 'models', 'generated', 'mlp-tiny.onnx'), model);
  const r = await cli(['--json', 'load', '--target', 'box', '--model', model, '--rate', '300', '--seconds', '1', '--max-batch', '4', '--max-delay-ms', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /load run run_[0-9a-f]+ \(on target box\)/);
  const out = json(r);
  assert.equal(out.target, 'box');
  assert.ok(out.samplesPerSec > 100 && out.samplesPerSec < 600, `about the offered 300/s: ${out.samplesPerSec}`);
  assert.ok(out.latencyMs.p50 > 0 && out.latencyMs.p99 >= out.latencyMs.p50, JSON.stringify(out.latencyMs));
  assert.ok(out.meanBatchSize >= 1 && out.meanBatchSize <= 4);
  assert.ok(Object.keys(out.batchSizes).every((s) => Number(s) >= 1 && Number(s) <= 4));

  const shown = json(await cli(['--json', 'show', out.runId]));
  assert.equal(shown.kind, 'load');
  assert.equal(shown.status, 'completed');
  assert.equal(shown.target, 'box');
  assert.equal(shown.hardware.fingerprint, fingerprint);
  assert.equal(shown.result.runId, out.runId, 'the stored result names the local run');
  assert.equal(shown.spec.target, 'box');
  assert.equal(shown.spec.model, model, 'the spec keeps the model as named here, not the remote cache path');

  // the figures are the remote run's, copied (not measured again here)
  const [local] = localRows<{ versions_json: string }>('SELECT versions_json FROM run WHERE id = ?', out.runId);
  const versions = JSON.parse(local.versions_json);
  assert.equal(versions.measuredOn, 'target');
  const [remote] = rows<{ id: string; kind: string; result_json: string; model_json: string }>(remoteDb(), 'SELECT id, kind, result_json, model_json FROM run WHERE id = ?', versions.remoteRunId);
  assert.equal(remote.kind, 'load');
  assert.equal(JSON.parse(remote.result_json).latencyMs.p99, out.latencyMs.p99);
  const files = readdirSync(join(remoteDir, 'models'));
  assert.deepEqual(files, [`${shown.model.sha256}.onnx`], 'one cached copy named by its sha256');
  assert.equal(JSON.parse(remote.model_json).path, join(remoteDir, 'models', files[0]));
});

test('validate --target: curves, calibration and load levels measured there; the service curves come along; a plan on the target is checked by it', { skip }, async () => {
  const cachedModels = () => (existsSync(join(remoteDir, 'models')) ? readdirSync(join(remoteDir, 'models')).sort() : []);
  const cacheBefore = cachedModels();
  const r = await cli(['--json', 'validate', '--target', 'box', '--model', 'mlp-tiny', '--quick', '--batches', '1,4', '--max-batch', '4',
    '--loads', '0.3,0.7', '--seconds', '0.6']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /box: measuring service curves/);
  const v = json(r);
  assert.equal(v.target, 'box');
  assert.equal(v.rows.length, 4);
  for (const row of v.rows) {
    assert.ok(row.predicted.p99Ms > 0 && row.measured.p99Ms > 0, JSON.stringify(row));
    assert.ok(row.measured.p99Ms >= row.measured.p50Ms);
    assert.ok(Number.isFinite(row.p99ErrorPct));
  }
  assert.ok(v.capacity.predictedPerSec >= 0 && v.capacity.slaMs > 0, JSON.stringify(v.capacity));
  assert.ok(v.calibration.overheadMs >= 0);
  assert.match(v.calibration.source, new RegExp(`validate run ${v.runId} `), 'the calibration names the local run');
  // a catalog model the remote install has with the same sha256 is named by id, not sent
  assert.deepEqual(cachedModels(), cacheBefore, 'nothing was copied into the model cache');

  const shown = json(await cli(['--json', 'show', v.runId]));
  assert.equal(shown.kind, 'validate');
  assert.equal(shown.target, 'box');
  assert.equal(shown.hardware.fingerprint, fingerprint);
  // the service-curve sweep is a run here, on the same target, with its points
  const sweep = json(await cli(['--json', 'show', v.sweepRunId]));
  assert.equal(sweep.target, 'box');
  assert.equal(sweep.status, 'completed');
  assert.equal(sweep.hardware.fingerprint, fingerprint);
  assert.equal(sweep.name, `validate ${v.runId} service curves`, 'named after the local validate run');
  assert.deepEqual(sweep.points.map((p: { config: { batch: number } }) => p.config.batch).sort((a: number, b: number) => a - b), [1, 4]);
  assert.ok(sweep.points.every((p: { samplesPerSec: number }) => p.samplesPerSec > 0));
  assert.equal(localRows('SELECT id FROM point WHERE run_id = ?', v.sweepRunId).length, 2);

  // predict from the validate run uses the target's curves
  const p = await cli(['--json', 'predict', '--run', v.runId, '--rate', '100']);
  assert.equal(p.code, 0, p.stderr);

  // a workload whose instance names the target: planned on its curves, checked by this validate run there
  const wl = join(tempDir(), 'wl.yaml');
  writeFileSync(wl, JSON.stringify({
    name: 'tiny ranker on the box', model: { id: 'mlp-tiny' }, sla: { percentile: 99, slaMs: 50 }, callers: { synchronous: true },
    traffic: { meanRatePerSec: 100, peakToMean: 2 }, instances: [{ name: 'box.large', target: 'box', pricePerHourUsd: 0.2 }],
  }));
  const plan = await cli(['--json', 'plan', '--no-sweep', '--workload', wl]);
  assert.equal(plan.code, 0, plan.stderr);
  const pj = json(plan);
  assert.equal(pj.runId, v.sweepRunId, 'the only sweep of mlp-tiny on the target: the validate run\'s curves');
  assert.equal(pj.checked?.runId, v.runId);
  assert.ok(pj.explanation.some((l: string) => l.includes(`Checked by validate run ${v.runId} on target box`)), pj.explanation.join('\n'));
  assert.ok(!pj.explanation.some((l: string) => /was not measured/.test(l)), 'no speed-factor caveat');

  // a sweep run there afterwards is what the plan uses (not the validate's few service-curve
  // points); the validate run on that hardware still checks it
  const sw = await cli(['--json', 'sweep', '--target', 'box', '--model', 'mlp-tiny', '--batch', '1,2', ...QUICK]);
  assert.equal(sw.code, 0, sw.stderr);
  const again = json(await cli(['--json', 'plan', '--no-sweep', '--workload', wl]));
  assert.equal(again.runId, json(sw).runId);
  assert.equal(again.checked?.runId, v.runId);
});

test('load --target refuses what it cannot send, before anything is stored', { skip }, async () => {
  const before = localRows<{ n: number }>('SELECT COUNT(*) AS n FROM run')[0].n;
  const trace = join(tempDir(), 'arrivals.txt');
  writeFileSync(trace, '0\n10\n20\n');
  const t = await cli(['load', '--target', 'box', '--model', 'mlp-tiny', '--rate', '10', '--arrival', `trace:${trace}`]);
  assert.equal(t.code, 2, t.stderr);
  assert.match(t.stderr, /trace files are not copied to targets/);
  const f = await cli(['load', '--target', 'box', '--model', 'mlp-tiny', '--rate', '10', '--input', `x=file:${trace}`]);
  assert.equal(f.code, 2, f.stderr);
  assert.match(f.stderr, /input files are not copied to targets/);
  const none = await cli(['validate', '--target', 'nowhere', '--model', 'mlp-tiny', '--quick']);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /no target "nowhere" \(targets: box\)/);
  assert.equal(localRows<{ n: number }>('SELECT COUNT(*) AS n FROM run')[0].n, before);
});

test('load --target: Ctrl-C cancels the job there; the agent killed mid-load leaves the run failed with what happened', { skip }, async () => {
  const c = await startLong(['load', '--target', 'box', '--model', 'mlp-tiny', '--rate', '50', '--seconds', '60']);
  await sleep(1500);
  c.child.kill('SIGINT');
  const code = await c.closed;
  assert.notEqual(code, 0);
  assert.equal(localRows<{ status: string }>('SELECT status FROM run WHERE id = ?', c.runId)[0].status, 'cancelled');
  const remoteId = JSON.parse(localRows<{ versions_json: string }>('SELECT versions_json FROM run WHERE id = ?', c.runId)[0].versions_json).remoteRunId;
  for (let i = 0; i < 100 && rows<{ status: string }>(remoteDb(), 'SELECT status FROM run WHERE id = ?', remoteId)[0].status === 'running'; i++) await sleep(100);
  assert.equal(rows<{ status: string }>(remoteDb(), 'SELECT status FROM run WHERE id = ?', remoteId)[0].status, 'cancelled', 'cancelled there too');

  const k = await startLong(['load', '--target', 'box', '--model', 'mlp-tiny', '--rate', '50', '--seconds', '60']);
  await sleep(1000);
  // only this test's agent (other suites may run agents as the same login user)
  const pids = remotePids(server.user, `${remoteDir}/data/kneepoint.db agent --stdio`);
  assert.ok(pids.length >= 1, 'the agent runs as the login user');
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  assert.notEqual(await k.closed, 0);
  assert.match(k.stderr(), /target box: connection lost .*A load run does not resume: run it again/);
  const [row] = localRows<{ status: string; error: string }>('SELECT status, error FROM run WHERE id = ?', k.runId);
  assert.equal(row.status, 'failed');
  assert.match(row.error, /connection lost/);
  assert.ok(existsSync(remoteDb()));
});

test('a plan on a target\'s curves with no validate run on that hardware says so and gives the check to run there', { skip }, async () => {
  const sw = await cli(['--json', 'sweep', '--target', 'box', '--model', 'mlp-small', '--batch', '1', ...QUICK]);
  assert.equal(sw.code, 0, sw.stderr);
  const wl = join(tempDir(), 'wl.yaml');
  writeFileSync(wl, JSON.stringify({
    name: 'ranker on the box', model: { id: 'mlp-small' }, sla: { percentile: 99, slaMs: 50 }, callers: { synchronous: true },
    traffic: { meanRatePerSec: 100, peakToMean: 2 }, instances: [{ name: 'box.large', target: 'box', pricePerHourUsd: 0.2 }],
  }));
  const plan = json(await cli(['--json', 'plan', '--no-sweep', '--workload', wl]));
  assert.equal(plan.runId, json(sw).runId);
  assert.equal(plan.checked, null);
  assert.equal(plan.checkCommand, 'kneepoint validate --model mlp-small --quick --target box');
  assert.equal(plan.checkTarget, 'box', 'the Plan view\'s check runs there');
  assert.ok(plan.explanation.some((l: string) => l.startsWith('Not checked on target box')), plan.explanation.join('\n'));
});
