// The SQLite store: migrations, durability of points, interrupted-run detection (real SQLite files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { openStore, configKey } from '../../main/engine/store/store.ts';
import { MIGRATIONS } from '../../main/engine/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';
import type { HardwareInfo, PointResult } from '../../main/common/types.ts';

const hw: HardwareInfo = { cpu: { model: 'Test CPU', cores: 2, physicalCores: 2, speedGHz: 2 }, memoryBytes: 1 << 30, gpus: [], os: 'test', fingerprint: 'hw-test' };
const model = { id: 'm', name: 'M', path: '/m.onnx', sha256: 'a'.repeat(64) };
const point = (batch: number): PointResult => ({
  config: { batch, instances: 1, threadsPerInstance: 1, precision: 'fp32', provider: 'cpu' }, status: 'ok', requests: 10, samples: 10 * batch,
  samplesPerSec: 100, requestsPerSec: 100 / batch, latencyMs: { p50: 1, p90: 2, p95: 2, p99: 3, p999: null, mean: 1.2, min: 0.5, max: 4 },
  p99CiMs: null, sessionCreateMs: 5, firstInferenceMs: 2, warmupRuns: 20, windows: 3, peakRssBytes: 1e8, histogram: 'HISTFAAAA',
});

test('a new database is migrated to the latest version in WAL mode, and reopening is idempotent', () => {
  const path = join(tempDir(), 'kp.db');
  openStore(path).close();
  const s = openStore(path);
  assert.equal(Number(s.db.pragma('user_version', { simple: true })), MIGRATIONS.at(-1)!.version);
  assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
  s.close();
});

test('a database from a newer Kneepoint is refused with a clear message and left untouched', () => {
  const path = join(tempDir(), 'kp.db');
  const raw = new Database(path);
  raw.pragma('user_version = 999');
  raw.close();
  assert.throws(() => openStore(path), /written by a newer Kneepoint \(database schema version 999; this Kneepoint knows up to \d+\)/);
  const again = new Database(path);
  assert.equal(Number(again.pragma('user_version', { simple: true })), 999);
  again.close();
});

test('each point is durable once added: another connection sees it before the run finishes', () => {
  const path = join(tempDir(), 'kp.db');
  const s = openStore(path);
  const runId = s.createRun({ kind: 'sweep', model, hardware: hw, spec: { model: 'm' }, versions: {} });
  s.addPoint(runId, point(1));
  const reader = new Database(path, { readonly: true });
  assert.equal((reader.prepare('SELECT COUNT(*) AS n FROM point WHERE run_id = ?').get(runId) as { n: number }).n, 1);
  reader.close();
  // re-adding the same configuration replaces it (resume re-measures an abandoned point)
  s.addPoint(runId, { ...point(1), samplesPerSec: 200 });
  assert.equal(s.listPoints(runId).length, 1);
  assert.equal(s.listPoints(runId)[0].samplesPerSec, 200);
  assert.ok(s.finishedConfigKeys(runId).has(configKey(point(1).config)));
  assert.equal(s.listPoints(runId)[0].histogram, 'HISTFAAAA');
  s.close();
});

test('a run left running by a dead process reads as interrupted; the live process sees its own as running', () => {
  const path = join(tempDir(), 'kp.db');
  const s = openStore(path);
  const mine = s.createRun({ kind: 'sweep', model, hardware: hw, spec: {}, versions: {} });
  const dead = s.createRun({ kind: 'sweep', model, hardware: hw, spec: {}, versions: {} });
  const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  s.db.prepare('UPDATE run SET pid = ? WHERE id = ?').run(Number(gone.stdout.trim()), dead);
  const byId = Object.fromEntries(s.listRuns().map((r) => [r.id, r.status]));
  assert.equal(byId[mine], 'running');
  assert.equal(byId[dead], 'interrupted');
  s.close();
});

test('deleting a run deletes its points and plans; metadata updates are validated', () => {
  const s = openStore(join(tempDir(), 'kp.db'));
  const runId = s.createRun({ kind: 'sweep', model, hardware: hw, spec: {}, versions: {} });
  s.addPoint(runId, point(2));
  const planId = s.addPlan({ runId, workload: { name: 'w' }, result: { verdict: 'batch' } });
  s.updateRunMeta(runId, { name: 'renamed', tags: ['laptop'] });
  assert.deepEqual(s.listRuns().map((r) => [r.name, r.tags]), [['renamed', ['laptop']]]);
  assert.throws(() => s.updateRunMeta('run_nope', { name: 'x' }), /run run_nope not found/);
  assert.equal(s.deleteRun(runId), true);
  assert.equal(s.listPoints(runId).length, 0);
  assert.throws(() => s.getPlan(planId), /not found/);
  s.close();
});

test('a version-1 database (before custom variants) is migrated in place and keeps its runs', () => {
  const path = join(tempDir(), 'old.db');
  const raw = new Database(path);
  raw.exec(MIGRATIONS[0].sql);
  raw.pragma('user_version = 1');
  raw.prepare(`INSERT INTO run(id, kind, model_id, model_json, spec_json, status, created_at) VALUES ('run_old', 'sweep', 'm', ?, '{}', 'completed', '2026-01-01T00:00:00Z')`)
    .run(JSON.stringify(model));
  raw.close();
  const s = openStore(path);
  assert.equal(Number(s.db.pragma('user_version', { simple: true })), MIGRATIONS.at(-1)!.version);
  assert.deepEqual(s.listRuns().map((r) => [r.id, r.status]), [['run_old', 'completed']]);
  s.addCustomVariant({ modelSha256: model.sha256, path: '/v.onnx', sha256: 'b'.repeat(64), bytes: 10, label: 'vendor' });
  assert.equal(s.listCustomVariants(model.sha256)[0].label, 'vendor');
  s.close();
});

test('read-only open: nothing is created for a missing file; an older schema is migrated once where the folder is writable', () => {
  const dir = tempDir();
  const missing = join(dir, 'none.db');
  const empty = openStore(missing, { readOnly: true });
  assert.deepEqual(empty.listRuns(), []);
  empty.close();
  assert.equal(existsSync(missing), false, 'a read-only command created no database');

  const path = join(dir, 'old.db');
  const raw = new Database(path);
  raw.exec(MIGRATIONS[0].sql);
  raw.pragma('user_version = 1');
  raw.prepare(`INSERT INTO run(id, kind, model_id, model_json, spec_json, status, created_at) VALUES ('run_old', 'sweep', 'm', ?, '{}', 'completed', '2026-01-01T00:00:00Z')`)
    .run(JSON.stringify(model));
  raw.close();
  const ro = openStore(path, { readOnly: true });
  assert.deepEqual(ro.listRuns().map((r) => r.id), ['run_old']);
  assert.throws(() => ro.deleteRun('run_old'), /cannot write the Kneepoint database .*old\.db: it was opened read-only/);
  ro.close();
  const check = new Database(path, { readonly: true });
  assert.equal(Number(check.pragma('user_version', { simple: true })), MIGRATIONS.at(-1)!.version);
  check.close();
});
