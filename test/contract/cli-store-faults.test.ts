// The store when the file or the disk under it is not what Kneepoint expects: a file that is not a
// Kneepoint database, a schema from a newer Kneepoint, a read-only folder, a disk that fills up
// during a sweep. Each is a clear error naming the file; nothing already stored is lost or changed.
// The read-only and disk-full cases mount a small tmpfs (this runs as root here and in CI); where
// mounting is not permitted they are skipped, saying so.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { json, runCli, startCli, tempDir, QUICK } from '../helpers/cli.ts';
import { LATEST_SCHEMA_VERSION } from '../../main/engine/store/migrations.ts';

const dir = tempDir('kneepoint-store-faults-');
const dataDir = join(dir, 'data');
const env = (db: string) => ({ KNEEPOINT_DB: db, KNEEPOINT_DATA_DIR: dataDir });
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const mounts: string[] = [];
after(() => {
  for (const m of mounts.reverse()) { try { execFileSync('umount', ['-l', m]); } catch { /* already gone */ } }
  rmSync(dir, { recursive: true, force: true });
});

function mountTmpfs(path: string, sizeKiB: number): string | undefined {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', path], { stdio: 'pipe' });
    mounts.push(path);
    return undefined;
  } catch (e) {
    return `cannot mount a tmpfs here (${String((e as { stderr?: Buffer }).stderr ?? e).trim().split('\n')[0]}): needs root with mount permission`;
  }
}

async function sweepInto(db: string): Promise<string> {
  const r = await runCli(['sweep', '--model', 'mlp-tiny', '--batch', '1', ...QUICK, '--json'], env(db));
  assert.equal(r.code, 0, r.stderr);
  return json(r).runId as string;
}

test('store: KNEEPOINT_DB at a file that is not a database: exit 2 naming the path, file left untouched', async () => {
  const db = join(dir, 'notes.db');
  writeFileSync(db, 'these are my notes, not a database\n'.repeat(200));
  const before = sha(db);
  for (const args of [['runs', '--json'], ['sweep', '--model', 'mlp-tiny', '--batch', '1', ...QUICK]]) {
    const r = await runCli(args, env(db));
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${db.replace(/[.]/g, '\\.')} is not a Kneepoint database \\(SQLite says: file is not a database\\); it was left untouched: point --db`));
  }
  assert.equal(sha(db), before);
  assert.equal(existsSync(`${db}-wal`) || existsSync(`${db}-shm`), false, 'no WAL files were created next to it');
});

test('store: an SQLite database of another program is refused, not given Kneepoint tables', async () => {
  const db = join(dir, 'other-app.sqlite');
  const other = new Database(db);
  other.exec('CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES (\'ada\')');
  other.close();
  const before = sha(db);
  const r = await runCli(['sweep', '--model', 'mlp-tiny', '--batch', '1', ...QUICK], env(db));
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /is not a Kneepoint database \(an SQLite database of another program, with tables contacts\)/);
  assert.equal(sha(db), before);
});

test('store: a database from a newer Kneepoint is refused with both versions and never migrated down', async () => {
  const db = join(dir, 'newer.db');
  await sweepInto(db);
  const d = new Database(db);
  d.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`);
  d.close();
  const before = sha(db);
  for (const args of [['runs', '--json'], ['sweep', '--model', 'mlp-tiny', '--batch', '1', ...QUICK]]) {
    const r = await runCli(args, env(db));
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 7}; this Kneepoint knows up to ${LATEST_SCHEMA_VERSION}\\).*left untouched \\(never migrated down\\)`));
  }
  assert.equal(sha(db), before);
});

test('store: in a read-only folder, reading commands work and writing ones name the path and the problem', async (t) => {
  const ro = join(dir, 'ro');
  const skip = mountTmpfs(ro, 8192);
  if (skip) { t.skip(skip); return; }
  const db = join(ro, 'kp.db');
  const runId = await sweepInto(db);
  execFileSync('mount', ['-o', 'remount,ro', ro]);
  const before = sha(db);

  const runs = await runCli(['runs', '--json'], env(db));
  assert.equal(runs.code, 0, runs.stderr);
  assert.deepEqual(json(runs).map((r: { id: string }) => r.id), [runId]);
  const show = await runCli(['show', runId, '--json'], env(db));
  assert.equal(show.code, 0, show.stderr);
  assert.equal(json(show).points.length, 1);

  const sweep = await runCli(['sweep', '--model', 'mlp-tiny', '--batch', '1', ...QUICK], env(db));
  assert.equal(sweep.code, 2, sweep.stderr);
  assert.match(sweep.stderr, new RegExp(`cannot write the Kneepoint database ${db.replace(/[.]/g, '\\.')}: the database file .* is on a read-only file system`));

  // a database that does not exist yet in a read-only folder
  const fresh = join(ro, 'new.db');
  const empty = await runCli(['runs', '--json'], env(fresh));
  assert.equal(empty.code, 0, empty.stderr);
  assert.deepEqual(json(empty), []);
  const create = await runCli(['sweep', '--model', 'mlp-tiny', '--batch', '1', ...QUICK], env(fresh));
  assert.equal(create.code, 2, create.stderr);
  assert.match(create.stderr, /cannot write the Kneepoint database .*new\.db: its folder .* is on a read-only file system/);
  assert.doesNotMatch(create.stderr, /SQLITE_|unable to open database file/);
  assert.equal(sha(db), before);
});

test('store: the disk fills up during a sweep: a clear error, finished points kept, the database intact', async (t) => {
  const small = join(dir, 'small');
  const skip = mountTmpfs(small, 4096);
  if (skip) { t.skip(skip); return; }
  const db = join(small, 'kp.db');
  const child = startCli(['sweep', '--model', 'mlp-tiny', '--batch', '1,2,4,8,16,32', ...QUICK], env(db));
  let stderr = '';
  let filled = false;
  let pointsBeforeFull = 0;
  child.stderr!.on('data', (d) => {
    stderr += d;
    if (!filled && /kneepoint: batch 1 × .*: (ok|unstable)/.test(stderr)) {
      filled = true;
      pointsBeforeFull = (stderr.match(/kneepoint: batch \d+ × /g) ?? []).length;
      // fill every remaining block of the file system
      try { execFileSync('dd', ['if=/dev/zero', `of=${join(small, 'filler')}`, 'bs=64k'], { stdio: 'pipe' }); } catch { /* ENOSPC: full, as wanted */ }
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.ok(filled, `the sweep reached its first point: ${stderr}`);
  assert.equal(code, 1, stderr);
  assert.match(stderr, new RegExp(`could not write the Kneepoint database ${db.replace(/[.]/g, '\\.')} while .*: the disk holding it is full\\. Everything written before this is kept`));
  assert.doesNotMatch(stderr, /SqliteError|at .*\.ts:\d+/);

  rmSync(join(small, 'filler'));
  const d = new Database(db);
  try {
    assert.equal(d.pragma('integrity_check', { simple: true }), 'ok');
    const points = (d.prepare('SELECT COUNT(*) AS n FROM point').get() as { n: number }).n;
    assert.ok(points >= pointsBeforeFull && points >= 1, `finished points kept (${points} stored, ${pointsBeforeFull} reported before the disk filled)`);
  } finally { d.close(); }
  const runs = await runCli(['runs', '--json'], env(db));
  assert.equal(runs.code, 0, runs.stderr);
  assert.equal(json(runs).length, 1);
});
