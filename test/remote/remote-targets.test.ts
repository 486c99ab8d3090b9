// Remote targets against a real OpenSSH server on 127.0.0.1 (two, for fan-out), logging in as a
// non-root user with its own home and a Kneepoint install in its own directory (see sshd.ts).
// Real sweeps of a shipped model, real SQLite files, real ssh failures.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { json, runCli, startCli, tempDir, QUICK, ROOT, type CliResult } from '../helpers/cli.ts';
import { remotePids, sshConfigFor, sshdSkip, startSshd, type SshServer } from './sshd.ts';

const skip = sshdSkip();

let a: SshServer;
let b: SshServer;
let db: string;
let env: Record<string, string>;
const remoteDirs: Record<string, string> = {};

const cli = (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> => runCli(['--db', db, ...args], { ...env, ...extraEnv });

function rows<T>(sql: string, ...params: unknown[]): T[] {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try { return d.prepare(sql).all(...params) as T[]; } finally { d.close(); }
}

before(async () => {
  if (skip) return;
  [a, b] = await Promise.all([startSshd(), startSshd()]);
  db = join(tempDir(), 'kp.db');
  // ssh reads this file instead of ~/.ssh/config: it trusts the test server's host key
  env = { KNEEPOINT_SSH_CONFIG: sshConfigFor([a, b], tempDir()) };
  remoteDirs.a = a.makeRemoteInstall('a');
  remoteDirs.b = b.makeRemoteInstall('b');
  for (const [name, server] of [['a', a], ['b', b]] as const) {
    const r = await cli(['targets', 'add', name, server.url, '--identity', server.clientKey, '--remote-dir', remoteDirs[name]]);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(async () => { await Promise.all([a?.stop(), b?.stop()]); });

test('targets test --json reports the remote Kneepoint, Node, hardware fingerprint and providers; list shows the result', { skip }, async () => {
  const r = await cli(['--json', 'targets', 'test', 'a']);
  assert.equal(r.code, 0, r.stderr);
  const t = json(r);
  assert.equal(t.ok, true);
  const pkg = json({ code: 0, stdout: (await import('node:fs')).readFileSync(join(ROOT, 'package.json'), 'utf8'), stderr: '' });
  assert.equal(t.kneepointVersion, pkg.version);
  assert.match(t.node, /^v2[4-9]\./, 'the install runs its own Node 24, not the system one');
  assert.match(t.hardware.fingerprint, /^[0-9a-f]{16}$/);
  assert.ok(t.providers.some((p: { name: string; available: boolean }) => p.name === 'cpu' && p.available));
  const list = json(await cli(['--json', 'targets', 'list']));
  const entry = list.find((x: { name: string }) => x.name === 'a');
  assert.equal(entry.url, a.url);
  assert.equal(entry.lastTest.ok, true);
  // only the URL and the key's path are stored: never key contents
  const stored = JSON.stringify(rows('SELECT * FROM target'));
  assert.ok(!stored.includes('PRIVATE KEY'));
});

test('sweep --target: the model is sent once (sha256 cache there); points land here with target and the remote hardware', { skip }, async () => {
  const model = join(tempDir(), 'my ranker (copy).onnx');
  copyFileSync(join(ROOT, 'models', 'generated', 'mlp-small.onnx'), model);
  const info = json(await cli(['--json', 'targets', 'test', 'a']));
  const r = await cli(['--json', 'sweep', '--target', 'a', '--model', model, '--batch', '1,2', ...QUICK]);
  assert.equal(r.code, 0, r.stderr);
  const run = json(r);
  assert.equal(run.status, 'completed');
  assert.equal(run.target, 'a');
  assert.deepEqual(run.points.map((p: { config: { batch: number } }) => p.config.batch), [1, 2]);
  assert.ok(run.points.every((p: { status: string; samplesPerSec: number }) => p.status !== 'failed' && p.samplesPerSec > 0));
  const shown = json(await cli(['--json', 'show', run.runId]));
  assert.equal(shown.target, 'a');
  assert.equal(shown.hardware.fingerprint, info.hardware.fingerprint);
  assert.equal(shown.points.length, 2);
  // the points are in the local store (not fetched from the remote on show)
  assert.equal(rows('SELECT id FROM point WHERE run_id = ?', run.runId).length, 2);

  const cache = join(remoteDirs.a, 'models');
  const files = readdirSync(cache);
  assert.deepEqual(files, [`${run.model.sha256}.onnx`], 'one file, named by its sha256, no partial copies');
  const mtime = statSync(join(cache, files[0])).mtimeMs;
  const again = await cli(['--json', 'sweep', '--target', 'a', '--model', model, '--batch', '4', ...QUICK]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(statSync(join(cache, files[0])).mtimeMs, mtime, 'the cached model is not sent again');
});

test('the remote agent killed mid-sweep: finished points are kept here and --resume continues on the same target', { skip }, async () => {
  const child = startCli(['--db', db, 'sweep', '--target', 'a', '--model', 'mlp-small', '--batch', '1,2,4,8,16', ...QUICK], env);
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const closed = new Promise<number | null>((r) => child.once('close', r));
  const deadline = Date.now() + 120_000;
  let runId = '';
  for (;;) {
    assert.ok(Date.now() < deadline, `no point arrived in time; stderr: ${stderr}`);
    assert.equal(child.exitCode, null, `the sweep ended before the agent was killed; stderr: ${stderr}`);
    runId = /run (run_[0-9a-f]+)/.exec(stderr)?.[1] ?? '';
    if (runId && rows('SELECT id FROM point WHERE run_id = ?', runId).length >= 1) break;
    await sleep(50);
  }
  const pids = remotePids(a.user, 'agent --stdio');
  assert.ok(pids.length >= 1, 'the remote agent runs as the login user');
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  const code = await closed;
  assert.notEqual(code, 0);
  assert.match(stderr, /target a: connection lost .*agent on target a ended/);
  assert.match(stderr, /finished point\(s\) are kept here: continue with `kneepoint sweep --resume run_/);
  const kept = rows<{ id: number; config_key: string }>('SELECT id, config_key FROM point WHERE run_id = ?', runId);
  assert.ok(kept.length >= 1 && kept.length < 5, `kept ${kept.length} points`);

  const resumed = await cli(['--json', 'sweep', '--resume', runId]);
  assert.equal(resumed.code, 0, resumed.stderr);
  const r = json(resumed);
  assert.equal(r.runId, runId);
  assert.equal(r.status, 'completed');
  assert.equal(r.target, 'a');
  const batches: number[] = r.points.map((p: { config: { batch: number } }) => p.config.batch);
  assert.deepEqual([...new Set(batches)].sort((x, y) => x - y), batches, 'each point once');
  assert.ok(batches.length >= kept.length);
  const after = rows<{ id: number; config_key: string }>('SELECT id, config_key FROM point WHERE run_id = ?', runId);
  for (const k of kept) assert.ok(after.some((x) => x.id === k.id && x.config_key === k.config_key), 'points kept before the kill are the same rows');
});

test('a changed host key and an unknown host are refused with what to do', { skip }, async () => {
  const changed = await cli(['--json', 'targets', 'test', 'a'], { KNEEPOINT_SSH_CONFIG: a.sshConfigChangedKey });
  assert.equal(changed.code, 1);
  const c = json(changed);
  assert.equal(c.ok, false);
  assert.match(c.error, /host key has CHANGED/);
  assert.match(c.error, /ssh-keygen -R '\[127\.0\.0\.1\]:\d+'/);
  const sweep = await cli(['sweep', '--target', 'a', '--model', 'mlp-small', ...QUICK], { KNEEPOINT_SSH_CONFIG: a.sshConfigChangedKey });
  assert.equal(sweep.code, 1);
  assert.match(sweep.stderr, /CHANGED/);
  const unknown = json(await cli(['--json', 'targets', 'test', 'a'], { KNEEPOINT_SSH_CONFIG: a.sshConfigUnknownHost }));
  assert.equal(unknown.ok, false);
  assert.match(unknown.error, /not in known_hosts, and Kneepoint never accepts a host key on its own/);
});

test('a key the server refuses gives a clear error naming the key and authorized_keys', { skip }, async () => {
  assert.equal((await cli(['targets', 'add', 'stranger', a.url, '--identity', a.strangerKey, '--remote-dir', remoteDirs.a])).code, 0);
  const r = await cli(['targets', 'test', 'stranger']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refused the login as/);
  assert.match(r.stderr, new RegExp(`${a.strangerKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.pub`));
  assert.match(r.stderr, /authorized_keys/);
});

test('another Kneepoint version there is refused with the install command; no install at all says the same', { skip }, async () => {
  const oldDir = a.makeRemoteInstall('old', { version: '0.0.1-old' });
  assert.equal((await cli(['targets', 'add', 'old', a.url, '--identity', a.clientKey, '--remote-dir', oldDir])).code, 0);
  const t = json(await cli(['--json', 'targets', 'test', 'old']));
  assert.equal(t.ok, false);
  assert.equal(t.kneepointVersion, '0.0.1-old');
  assert.match(t.error, /runs Kneepoint 0\.0\.1-old/);
  assert.match(t.error, /kneepoint targets install old/);
  const sweep = await cli(['sweep', '--target', 'old', '--model', 'mlp-small', ...QUICK]);
  assert.equal(sweep.code, 2);
  assert.match(sweep.stderr, /kneepoint targets install old/);
  assert.equal(rows('SELECT id FROM run WHERE target = ?', 'old').length, 0, 'no run is created');

  const emptyDir = a.makeRemoteInstall('empty', { empty: true });
  assert.equal((await cli(['targets', 'add', 'bare', a.url, '--identity', a.clientKey, '--remote-dir', emptyDir])).code, 0);
  const bare = json(await cli(['--json', 'targets', 'test', 'bare']));
  assert.equal(bare.ok, false);
  assert.match(bare.error, /not installed on target bare.*kneepoint targets install bare/);
});

test('fan-out: --target a,b splits the grid into one run; --per-target gives one run per target', { skip }, async () => {
  const r = await cli(['--json', 'sweep', '--target', 'a,b', '--model', 'mlp-small', '--batch', '1', '--instances', '1,2', ...QUICK]);
  assert.equal(r.code, 0, r.stderr);
  const run = json(r);
  assert.equal(run.status, 'completed');
  assert.equal(run.target, 'a,b');
  assert.deepEqual(run.points.map((p: { config: { instances: number } }) => p.config.instances).sort(), [1, 2]);
  const parts = rows<{ target: string; remote_run_id: string; spec_json: string }>('SELECT target, remote_run_id, spec_json FROM run_target_part WHERE run_id = ? ORDER BY part', run.runId);
  assert.deepEqual(parts.map((p) => [p.target, JSON.parse(p.spec_json).instances]), [['a', [1]], ['b', [2]]]);
  assert.ok(parts.every((p) => /^run_/.test(p.remote_run_id)));

  const per = await cli(['--json', 'sweep', '--target', 'a,b', '--per-target', '--model', 'mlp-small', '--batch', '1', ...QUICK]);
  assert.equal(per.code, 0, per.stderr);
  const runs = json(per);
  assert.deepEqual(runs.map((x: { target: string }) => x.target).sort(), ['a', 'b']);
  assert.ok(runs.every((x: { status: string; points: unknown[] }) => x.status === 'completed' && x.points.length === 1));

  const tooMany = await cli(['sweep', '--target', 'a,b', '--model', 'mlp-small', '--batch', '1', ...QUICK]);
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.stderr, /cannot be split across 2 targets.*--per-target/);
  assert.ok(existsSync(db));
});

test('the ssh connection cut mid-sweep: finished points are kept and --resume continues', { skip }, async () => {
  const child = startCli(['--db', db, 'sweep', '--target', 'b', '--model', 'mlp-small', '--batch', '1,2,4,8', ...QUICK], env);
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const closed = new Promise<number | null>((r) => child.once('close', r));
  let runId = '';
  const deadline = Date.now() + 120_000;
  for (;;) {
    assert.ok(Date.now() < deadline && child.exitCode === null, `no point arrived in time; stderr: ${stderr}`);
    runId = /run (run_[0-9a-f]+)/.exec(stderr)?.[1] ?? '';
    if (runId && rows('SELECT id FROM point WHERE run_id = ?', runId).length >= 1) break;
    await sleep(50);
  }
  // the local ssh client is the CLI's child: killing it is the network cut
  const sshPids = execFileSync('ps', ['--ppid', String(child.pid), '-o', 'pid=,comm='], { encoding: 'utf8' })
    .split('\n').filter((l) => /\bssh$/.test(l.trim())).map((l) => Number(l.trim().split(/\s+/)[0]));
  assert.equal(sshPids.length, 1, 'one ssh session per target');
  process.kill(sshPids[0], 'SIGKILL');
  assert.notEqual(await closed, 0);
  assert.match(stderr, /target b: connection lost/);
  assert.match(stderr, /continue with `kneepoint sweep --resume run_/);
  const kept = rows<{ id: number }>('SELECT id FROM point WHERE run_id = ?', runId);
  assert.ok(kept.length >= 1);
  const resumed = await cli(['--json', 'sweep', '--resume', runId]);
  assert.equal(resumed.code, 0, resumed.stderr);
  const r = json(resumed);
  assert.equal(r.status, 'completed');
  assert.equal(r.target, 'b');
  for (const k of kept) assert.ok(r.points.some((p: { id: number }) => p.id === k.id));
});

test('the remote disk full while the model is copied: a clear error, nothing half-stored there, no run here', { skip }, async (t) => {
  const dir = a.makeRemoteInstall('full');
  const models = join(dir, 'models');
  mkdirSync(models);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=64k,uid=${statSync(dir).uid},gid=${statSync(dir).gid}`, 'tmpfs', models], { stdio: 'pipe' });
  } catch (e) {
    t.skip(`cannot mount a small tmpfs here to fill the disk (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  try {
    assert.equal((await cli(['targets', 'add', 'full', a.url, '--identity', a.clientKey, '--remote-dir', dir])).code, 0);
    const model = join(tempDir(), 'big.onnx');
    copyFileSync(join(ROOT, 'models', 'generated', 'mlp-small.onnx'), model);
    const before = rows('SELECT id FROM run').length;
    const r = await cli(['sweep', '--target', 'full', '--model', model, ...QUICK]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /could not write .*disk full.*Nothing was registered there/);
    assert.deepEqual(readdirSync(models), [], 'no partial file left in the cache');
    assert.equal(rows('SELECT id FROM run').length, before);
  } finally {
    execFileSync('umount', [models]);
  }
});

test('a workload instance that names a target is planned on that target\'s curves, with no speed-factor caveat', { skip }, async () => {
  const dir = tempDir();
  const workload = (instances: unknown[]) => {
    const f = join(dir, `wl-${instances.length}.yaml`);
    writeFileSync(f, JSON.stringify({
      name: 'ranker on the box', model: { id: 'mlp-small' }, sla: { percentile: 99, slaMs: 50 }, callers: { synchronous: true },
      traffic: { meanRatePerSec: 200, peakToMean: 2 }, instances,
    }));
    return f;
  };
  const r = await cli(['--json', 'plan', '--no-sweep', '--workload', workload([{ name: 'box.large', target: 'a', pricePerHourUsd: 0.2, speedFactor: 1.7 }])]);
  assert.equal(r.code, 0, r.stderr);
  const plan = json(r);
  const run = json(await cli(['--json', 'show', plan.runId]));
  assert.ok(run.target.split(',').includes('a'), `planned on run ${plan.runId} measured on ${run.target}`);
  assert.ok(plan.notes.some((n: string) => /box\.large was measured on target a .*no speed factor.*speedFactor 1\.7 is ignored/.test(n)), plan.notes.join('\n'));
  assert.ok(!plan.explanation.some((l: string) => /was not measured/.test(l)), 'no ±40 % caveat for a measured instance');

  const mixed = await cli(['plan', '--no-sweep', '--workload', workload([{ name: 'box.large', target: 'a' }, { name: 'c7i.large', speedFactor: 1.2 }])]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /c7i\.large does not/);
  const none = await cli(['plan', '--no-sweep', '--workload', workload([{ name: 'y', target: 'bare' }, { name: 'z', target: 'bare' }])]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no completed sweep of mlp-small on target bare: run `kneepoint sweep --target bare/);
});

test('through the API (what the UI uses): listTargets, and startSweep with target streams points and finishes like a local sweep', { skip }, async () => {
  const { createEngine } = await import('../../main/engine/api.ts');
  process.env.KNEEPOINT_SSH_CONFIG = env.KNEEPOINT_SSH_CONFIG;
  const engine = await createEngine({ dbPath: db, dataDir: tempDir() });
  try {
    const targets = await engine.listTargets();
    const ta = targets.find((t) => t.name === 'a')!;
    assert.equal(ta.url, a.url);
    // the last `targets test` of a is listed (earlier tests here tested it with a changed host key, so ok may be false)
    assert.equal(typeof ta.lastTest?.ok, 'boolean');
    assert.match(ta.lastTest?.at ?? '', /^\d{4}-\d\d-\d\d/);
    assert.ok(!JSON.stringify(targets).includes('PRIVATE KEY'));
    const points: unknown[] = [];
    const progress: unknown[] = [];
    let jobId = '';
    const finished = new Promise<{ status: string; runId: string }>((resolve) => engine.on('job.finished', (f) => { if (f.jobId === jobId) resolve(f); }));
    engine.on('job.point', (p) => { if (p.jobId === jobId) points.push(p); });
    engine.on('job.progress', (p) => { if (p.jobId === jobId) progress.push(p); });
    const ref = await engine.startSweep({ model: 'mlp-small', batch: [1, 2], target: ['b'], method: { windowMinMs: 150, maxWindows: 4, minSamplesForP99: 100, windowMinRequests: 20, anchor: false } });
    jobId = ref.jobId;
    const f = await finished;
    assert.equal(f.status, 'completed');
    assert.equal(points.length, 2);
    assert.ok(progress.length > 0);
    const run = await engine.getRun({ runId: ref.runId });
    assert.equal(run.target, 'b');
    assert.equal(run.points.length, 2);
  } finally {
    await engine.close();
  }
});
