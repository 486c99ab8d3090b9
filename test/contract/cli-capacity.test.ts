// `kneepoint capacity` on a shipped model of about a millisecond (ocr-cls) with real open-loop load:
// a bracketed rate with its interval, the predicted value beside it, stored as a 'capacity' run.
// Short levels (1 s × 2 repetitions): behaviour, not figures.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { json, runCli, tempDir } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];

let out: any;
let stderr = '';
before(async () => {
  const r = await runCli(withDb('capacity', '--model', 'ocr-cls', '--sla', 'p99:50', '--seconds', '1', '--repeat', '2', '--max-levels', '9', '--target', '10%', '--json'));
  assert.equal(r.code, 0, r.stderr);
  out = json(r);
  stderr = r.stderr;
});

test('the search brackets the capacity on measured levels and reports the predicted rate beside it', () => {
  assert.match(out.runId, /^run_/);
  assert.ok(out.levels.length >= 2, 'at least a meeting and a missing level');
  for (const l of out.levels) {
    assert.ok(l.ratePerSec > 0 && Number.isFinite(l.p99Ms), JSON.stringify(l));
    assert.equal(typeof l.meets, 'boolean');
    assert.equal(l.meets, l.percentileCiMs ? l.percentileCiMs[1] <= 50 : l.percentileMs <= 50, 'judged on the upper end of the interval');
  }
  assert.equal(out.bracketed, true, JSON.stringify(out.levels));
  const [lo, hi] = out.measuredIntervalPerSec;
  assert.ok(lo < hi, `${lo} < ${hi}`);
  assert.equal(out.measuredRatePerSec, lo);
  assert.ok(out.levels.some((l: any) => l.ratePerSec === lo && l.meets), 'the low end was measured to meet the SLA');
  assert.ok(out.levels.some((l: any) => l.ratePerSec === hi && !l.meets), 'the high end was measured to miss it');
  assert.ok(out.predictedRatePerSec > 0 && Number.isFinite(out.predictedRatePerSec));
  assert.equal(out.levels[0].ratePerSec, out.predictedRatePerSec, 'the search starts from the prediction');
  assert.ok(Math.abs(out.errorPct - ((out.predictedRatePerSec - lo) / lo) * 100) < 1e-9);
  assert.equal(out.predictedSafeRatePerSec, null, 'no validate calibration here: no band, so no safe capacity');
  assert.match(stderr, /about \d+ s \(\d+ load levels expected\)/, 'the expected time is said up front');
});

test('the search is stored as a capacity run, listed in runs and shown by show', async () => {
  const runs = json(await runCli(withDb('runs', '--kind', 'capacity', '--json')));
  assert.deepEqual(runs.map((r: any) => [r.id, r.kind, r.model, r.status]), [[out.runId, 'capacity', 'ocr-cls', 'completed']]);
  const shown = await runCli(withDb('show', out.runId));
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^Measured capacity of ocr-cls at p99 ≤ 50 ms: /);
});

test('a bad SLA or target exits 2', async () => {
  for (const args of [['--sla', 'p95:20'], ['--sla', 'fast'], ['--sla', 'p99:20', '--target', 'tight']]) {
    const r = await runCli(withDb('capacity', '--model', 'ocr-cls', ...args));
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
});
