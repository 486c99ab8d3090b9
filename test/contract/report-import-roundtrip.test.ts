// Export → import through the real `kneepoint` command: a run measured in one database reappears in
// a fresh one with the same points, statistics and hardware fingerprint; importing twice changes
// nothing; broken or foreign files are refused with the reason and write nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, json, tempDir, QUICK } from '../helpers/cli.ts';
import { openStore } from '../../main/engine/store/store.ts';
import { POINT_CSV_COLUMNS, PERF_ANALYZER_COLUMNS } from '../../main/engine/report/pointsCsv.ts';

const dir = tempDir('kneepoint-roundtrip-');
const srcDb = join(dir, 'source.db');
const dstDb = join(dir, 'fresh.db');
let runId = '';

const counts = (db: string) => {
  const s = openStore(db);
  try {
    return ['run', 'point', 'plan'].map((t) => (s.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n);
  } finally { s.close(); }
};

test('a real sweep exports to JSON and CSV with documented shapes', async () => {
  const sweep = await runCli(['--db', srcDb, '--json', 'sweep', '--model', 'ocr-cls', '--batch', '1,2,4', ...QUICK]);
  assert.equal(sweep.code, 0, sweep.stderr);
  runId = json(sweep).runId;

  const out = join(dir, 'run.json');
  const r = await runCli(['--db', srcDb, 'report', runId, '--format', 'json', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.kind, 'kneepoint.run');
  assert.equal(doc.runKind, 'sweep');
  assert.equal(doc.points.length, 3);
  assert.ok(doc.points.every((p: { histogram?: string; quantilesMs?: number[] }) => p.histogram && p.quantilesMs?.length === 101));
  assert.ok(doc.hardware.fingerprint && doc.versions.onnxruntime);

  const csv = join(dir, 'run.csv');
  assert.equal((await runCli(['--db', srcDb, 'report', runId, '--format', 'csv', '--out', csv])).code, 0);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], POINT_CSV_COLUMNS.join(','));
  assert.equal(lines.length, 4);
  assert.ok(lines.slice(1).every((l) => l.startsWith(`${runId},ocr-cls,`)));

  const pa = join(dir, 'run-pa.csv');
  assert.equal((await runCli(['--db', srcDb, 'report', runId, '--format', 'csv', '--csv-style', 'perf_analyzer', '--out', pa])).code, 0);
  const paLines = readFileSync(pa, 'utf8').trim().split('\n');
  assert.equal(paLines[0], ['Concurrency', ...PERF_ANALYZER_COLUMNS].join(','));
  const thr = paLines.slice(1).map((l) => Number(l.split(',')[1]));
  assert.deepEqual(thr, [...thr].sort((a, b) => a - b), 'rows sorted by Inferences/Second, as perf_analyzer sorts them');
});

test('importing the export into a fresh database reproduces the run; a second import writes nothing', async () => {
  const file = join(dir, 'run.json');
  const a = await runCli(['--db', dstDb, '--json', 'import', file]);
  assert.equal(a.code, 0, a.stderr);
  assert.deepEqual({ runId: json(a).runId, duplicate: json(a).duplicate }, { runId, duplicate: false });

  const src = openStore(srcDb);
  const dst = openStore(dstDb);
  try {
    const before = src.getRunResult(runId);
    const after = dst.getRunResult(runId);
    const strip = (ps: typeof before.points) => ps.map(({ id: _id, ...p }) => p);
    assert.deepEqual(strip(after.points), strip(before.points), 'same points, statistics and histograms');
    assert.equal(after.hardware.fingerprint, before.hardware.fingerprint);
    assert.deepEqual(after.hardware, before.hardware);
    assert.deepEqual(after.model, before.model);
    assert.equal(after.status, 'completed');
    assert.equal(after.createdAt, before.createdAt);
    assert.deepEqual(dst.getRunRow(runId).tags, ['imported']);
  } finally { src.close(); dst.close(); }

  const before = counts(dstDb);
  const b = await runCli(['--db', dstDb, '--json', 'import', file]);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(json(b).duplicate, true);
  assert.deepEqual(counts(dstDb), before);
  // re-importing into the database it came from is a duplicate too
  assert.equal(json(await runCli(['--db', srcDb, '--json', 'import', file])).duplicate, true);
});

test('broken, foreign and future files are refused with the reason and write nothing', async () => {
  const good = readFileSync(join(dir, 'run.json'), 'utf8');
  const doc = JSON.parse(good);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['truncated.json', good.slice(0, Math.floor(good.length / 2)), /not valid JSON .*looks truncated/],
    ['future.json', JSON.stringify({ ...doc, schemaVersion: 2 }), /schemaVersion 2, newer than this Kneepoint reads \(1\)/],
    ['no-version.json', JSON.stringify({ ...doc, schemaVersion: undefined }), /no schemaVersion: not a Kneepoint export/],
    ['other-kind.json', JSON.stringify({ ...doc, kind: 'something.else' }), /kind "something.else" is not one Kneepoint imports/],
    ['bad-point.json', JSON.stringify({ ...doc, points: [{ ...doc.points[0], latencyMs: { ...doc.points[0].latencyMs, p99: 'slow' } }] }), /points\[0\]\.latencyMs\.p99: /],
    ['picture.png', png, /is a PNG image, not something Kneepoint imports/],
  ];
  const before = counts(dstDb);
  for (const [name, content, reason] of cases) {
    const f = join(dir, name);
    writeFileSync(f, content);
    const r = await runCli(['--db', dstDb, 'import', f]);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, reason, name);
  }
  assert.deepEqual(counts(dstDb), before);
});
