// `kneepoint validate --quick` on a real model of ≥ 0.5 ms (ocr-cls) stores the predictor's checked
// error and band coverage with the run, and `plan` then states them ("checked by validate run X");
// before any validate run the plan says it is not checked and names the command that would check it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { json, runCli, tempDir, QUICK, ROOT } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'kp.db');
const withDb = (...args: string[]) => ['--db', db, ...args];
const workload = join(dir, 'ocr-cls-realtime.yaml');
let sweepId = '';

before(async () => {
  // the product-page workload, served by ocr-cls instead (a real-time SLA well above its latency)
  const yaml = readFileSync(join(ROOT, 'workloads/product-page-recs.yaml'), 'utf8').replace(/id: mlp-small/, 'id: ocr-cls');
  writeFileSync(workload, yaml);
  const r = await runCli(withDb('sweep', '--model', 'ocr-cls', '--batch', '1,4,8', ...QUICK, '--json'));
  assert.equal(r.code, 0, r.stderr);
  sweepId = json(r).runId;
});

test('before any validate run the plan is marked not checked, with the validate command', async () => {
  const p = json(await runCli(withDb('plan', '--workload', workload, '--run', sweepId, '--json')));
  assert.equal(p.checked, null);
  assert.equal(p.checkCommand, 'kneepoint validate --model ocr-cls --quick');
  assert.ok(p.explanation.some((l: string) => l.startsWith('Not checked on this machine') && l.includes(p.checkCommand)), p.explanation.join('\n'));
});

test('validate --quick stores error, band and coverage figures; plan then prints them', async () => {
  const v = await runCli(withDb('validate', '--model', 'ocr-cls', '--quick', '--loads', '0.3,0.7', '--json'));
  assert.equal(v.code, 0, v.stderr);
  const out = json(v);
  const stored = json(await runCli(withDb('show', out.runId, '--json')));
  const result = stored.result ?? stored;
  const s = result.summary;
  assert.ok(Number.isFinite(s.medianAbsP99ErrorPct) && s.medianAbsP99ErrorPct >= 0, JSON.stringify(s));
  assert.ok(s.bandCoveragePct >= 0 && s.bandCoveragePct <= 100, JSON.stringify(s));
  assert.equal(s.levels, result.rows.length);
  assert.equal(result.rows.length, 4, 'two configurations × two load levels');
  for (const row of result.rows) {
    const [lo, hi] = row.predicted.p99BandMs;
    assert.ok(lo > 0 && lo <= row.predicted.p99Ms && row.predicted.p99Ms <= hi, `band ${lo}–${hi} around ${row.predicted.p99Ms}`);
    assert.equal(row.insideBand, row.measured.p99Ms >= lo && row.measured.p99Ms <= hi);
  }
  // coverage is the share of rows inside their band
  assert.equal(s.bandCoveragePct, (result.rows.filter((r: any) => r.insideBand).length / result.rows.length) * 100);
  const cal = result.calibration;
  // 3 calibration levels × 2 configurations × 2 repetitions
  assert.ok(cal.band.sigmaMachine >= 0 && cal.band.sigmaModel >= 0 && cal.band.levels === 12, JSON.stringify(cal.band));
  // the serving path's dependence on utilisation, fitted over those levels' measured utilisations
  const lf = cal.servingPath.loadFactor;
  assert.ok(lf && lf.uMin > 0 && lf.uMin < lf.uMax && lf.uMax <= 1 && Number.isFinite(lf.intercept) && Number.isFinite(lf.slope), JSON.stringify(lf));
  assert.ok(cal.serviceScale > 0 && cal.overheadMs >= 0, JSON.stringify(cal));

  const p = json(await runCli(withDb('plan', '--workload', workload, '--run', sweepId, '--json')));
  assert.deepEqual(p.checked, { runId: out.runId, medianAbsP99ErrPct: s.medianAbsP99ErrorPct, bandCoveragePct: s.bandCoveragePct, levels: 4, createdAt: p.checked.createdAt });
  assert.equal(p.checkCommand, undefined);
  const text = await runCli(withDb('plan', '--workload', workload, '--run', sweepId));
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`Checked by validate run ${out.runId} on this machine: median p99 error ${s.medianAbsP99ErrorPct.toFixed(1)}%, measured p99 inside the predicted band at ${s.bandCoveragePct.toFixed(0)}% of 4 levels`));
  // the plan's predictions now include the serving path measured under load
  assert.match(p.serving.source, new RegExp(`^validate run ${out.runId} `));
  // and the report a PM forwards carries the same check
  const file = join(dir, 'plan.json');
  const rep = await runCli(withDb('report', p.planId, '--format', 'json', '--out', file));
  assert.equal(rep.code, 0, rep.stderr);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(doc.result.checked.runId, out.runId);
  assert.equal(doc.result.checked.bandCoveragePct, s.bandCoveragePct);
});
