// `kneepoint best` and the bestConfig API on a real sweep of a shipped model and a real SQLite file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { json, runCli, tempDir, QUICK } from '../helpers/cli.ts';
import { createEngine, type Engine } from '../../main/engine/api.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];
const key = (c: any) => `${c.batch}x${c.instances}x${c.threadsPerInstance}`;

let sweep: any;
let engine: Engine;
before(async () => {
  const r = await runCli(withDb('sweep', '--model', 'mlp-small', '--batch', '1,32', ...QUICK, '--json'));
  assert.equal(r.code, 0, r.stderr);
  sweep = json(r);
  assert.ok(sweep.points.every((p: any) => p.status !== 'failed' && p.p99CiMs), 'both points have a p99 CI');
  engine = await createEngine({ dbPath: db, dataDir: dir });
});
after(async () => { await engine?.close(); });

test('an SLA only the lower-latency point can meet picks that point and says why the other fails', async () => {
  // batch 1 answers each request sooner than batch 32 (32× the work per call): the known answer at an SLA
  // at batch 1's upper CI bound is batch 1, whatever the throughputs
  const [b1, b32] = [1, 32].map((b) => sweep.points.find((p: any) => p.config.batch === b));
  assert.ok(b1.p99CiMs[1] < b32.p99CiMs[1], `batch 1 p99 upper ${b1.p99CiMs[1]} < batch 32 ${b32.p99CiMs[1]}`);
  const slaMs = b1.p99CiMs[1];
  const r = await runCli(withDb('best', sweep.runId, '--sla', `p99:${slaMs}`, '--json'));
  assert.equal(r.code, 0, r.stderr);
  const out = json(r);
  assert.deepEqual(out.sla, { percentile: 'p99', ms: slaMs });
  assert.equal(out.objective, 'throughput');
  assert.equal(out.top.length, 1);
  assert.equal(key(out.top[0].config), key(b1.config));
  assert.equal(out.top[0].samplesPerSec, b1.samplesPerSec);
  assert.deepEqual(out.top[0].p99CiMs, b1.p99CiMs);
  assert.equal(typeof out.top[0].unstable, 'boolean');
  assert.equal(out.rejected.length, 1);
  assert.equal(key(out.rejected[0].config), key(b32.config));
  assert.match(out.rejected[0].reason, /exceeds|reaches past/);
  assert.match(out.sentence, /^batch 1 × 1 instance × 1 thread: .* samples\/s at p99 .* ms \[.*\], the highest throughput under/);
});

test('a generous SLA ranks by throughput, by latency, or by samples per core', async () => {
  const slaMs = Math.max(...sweep.points.map((p: any) => p.p99CiMs[1])) * 2;
  const fastest = [...sweep.points].sort((a: any, b: any) => b.samplesPerSec - a.samplesPerSec)[0];
  const lowest = [...sweep.points].sort((a: any, b: any) => a.p99CiMs[1] - b.p99CiMs[1])[0];
  const thr = json(await runCli(withDb('best', sweep.runId, '--sla', `p99:${slaMs}`, '--json')));
  assert.equal(thr.top.length, 2);
  assert.equal(key(thr.top[0].config), key(fastest.config));
  assert.ok(thr.top[0].samplesPerSec >= thr.top[1].samplesPerSec);
  const lat = json(await runCli(withDb('best', sweep.runId, '--sla', `p99:${slaMs}`, '--objective', 'latency', '--top', '1', '--json')));
  assert.equal(lat.top.length, 1);
  assert.equal(key(lat.top[0].config), key(lowest.config));
  assert.match(lat.rejected[0].reason, /ranks below the top 1/);
  // the API gives the same answer
  const api = await engine.bestConfig({ runId: sweep.runId, sla: { percentile: 'p99', ms: slaMs }, objective: 'cost' });
  assert.equal(api.top.length, 2);
  assert.ok(api.top[0].samplesPerSecPerCore >= api.top[1].samplesPerSecPerCore);
});

test('a p95 SLA uses an interval from the stored histogram around the p95 estimate', async () => {
  const out = json(await runCli(withDb('best', sweep.runId, '--sla', 'p95:100000', '--json')));
  assert.equal(out.top.length, 2);
  for (const e of out.top) {
    const p = sweep.points.find((x: any) => key(x.config) === key(e.config));
    assert.equal(e.percentileMs, p.latencyMs.p95);
    assert.ok(e.percentileCiMs[0] <= e.percentileMs && e.percentileMs <= e.percentileCiMs[1], JSON.stringify(e.percentileCiMs));
    assert.ok(e.percentileCiMs[1] <= p.latencyMs.max + 1e-9);
  }
});

test('an SLA no point meets names the closest miss; the human output has the sentence and a table', async () => {
  const out = json(await runCli(withDb('best', sweep.runId, '--sla', 'p99:0.001', '--json')));
  assert.equal(out.top.length, 0);
  assert.equal(out.rejected.length, 2);
  assert.match(out.sentence, /^No configuration in this run meets p99 ≤ 0.001 ms: the closest is batch 1/);
  const human = await runCli(withDb('best', sweep.runId, '--sla', 'p99:100000'));
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /the highest throughput under 100000 ms/);
  assert.match(human.stdout, /samples\/s per core/);
});

test('bad SLA, objective or run id exits 2 with the reason', async () => {
  for (const args of [['--sla', 'p98:20'], ['--sla', 'p99:-1'], ['--sla', 'p99:20', '--objective', 'speed'], ['--sla', 'p99:20', '--top', '0']]) {
    const r = await runCli(withDb('best', sweep.runId, ...args));
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /sla|objective|top/i);
  }
  const r = await runCli(withDb('best', 'run_nope', '--sla', 'p99:20'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /run run_nope not found/);
});
