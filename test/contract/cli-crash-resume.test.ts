// SIGKILL during a sweep keeps finished points; --resume completes the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { json, runCli, startCli, tempDir, QUICK } from '../helpers/cli.ts';

function committedPoints(db: string): Array<{ id: number; run_id: string; config_key: string }> {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try { return d.prepare('SELECT id, run_id, config_key FROM point ORDER BY id').all() as any; } finally { d.close(); }
  } catch {
    return [];
  }
}

test('a sweep killed with SIGKILL keeps its finished points and --resume completes it', async () => {
  const db = join(tempDir(), 'kp.db');
  const child = startCli(['--db', db, 'sweep', '--model', 'mlp-tiny', '--batch', '1,2,4,8,16', ...QUICK]);
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const deadline = Date.now() + 120_000;
  while (committedPoints(db).length < 2) {
    assert.ok(Date.now() < deadline, `no point committed in time; stderr: ${stderr}`);
    assert.equal(child.exitCode, null, `sweep ended before it was killed; stderr: ${stderr}`);
    await sleep(50);
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  const kept = committedPoints(db);
  assert.ok(kept.length >= 2 && kept.length < 5, `kept ${kept.length} points`);
  const runId = kept[0].run_id;

  const runs = json(await runCli(['--db', db, 'runs', '--json']));
  assert.equal(runs.find((r: any) => r.id === runId).status, 'interrupted');

  const resumed = await runCli(['--db', db, 'sweep', '--resume', runId, '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const r = json(resumed);
  assert.equal(r.runId, runId);
  assert.equal(r.status, 'completed');
  assert.deepEqual(r.points.map((p: any) => p.config.batch), [1, 2, 4, 8, 16]);
  // the points finished before the kill are the same rows, not re-measured
  const after = committedPoints(db);
  for (const k of kept) assert.ok(after.some((a) => a.id === k.id && a.config_key === k.config_key));
  const again = await runCli(['--db', db, 'sweep', '--resume', runId]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already completed/);
});
