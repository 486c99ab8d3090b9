// A Triton perf_analyzer CSV becomes a run the planner can use; malformed files write nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/cli.ts';
import { openStore, type Store } from '../../main/engine/store/store.ts';
import { importBytes } from '../../main/engine/import/importFile.ts';
import { approxQuantiles } from '../../main/engine/import/approxQuantiles.ts';
import { planWorkload, workloadSchema } from '../../main/common/plan/index.ts';
import { pointsToPerfAnalyzerCsv } from '../../main/engine/report/pointsCsv.ts';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'perf_analyzer', 'resnet50_onnx_t4_concurrency.csv');
const fresh = (): Store => openStore(join(tempDir('kneepoint-pa-'), 'k.db'));
const rowCounts = (s: Store) => ['run', 'point', 'plan', 'hardware'].map((t) => (s.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n);

test('a perf_analyzer concurrency CSV imports as a plannable run with its gaps stated', () => {
  const store = fresh();
  const r = importBytes(store, FIXTURE, readFileSync(FIXTURE), { hardware: 'T4 server', batch: 1 });
  assert.equal(r.duplicate, false);
  assert.equal(r.points, 6);
  const run = store.getRunResult(r.runId);
  assert.equal(store.getRunRow(r.runId).kind, 'import');
  assert.equal(run.hardware.cpu.model, 'T4 server');
  assert.ok(run.hardware.fingerprint);
  assert.deepEqual(run.points.map((p) => p.config.instances), [1, 2, 3, 4, 6, 8]);
  const c1 = run.points[0];
  assert.equal(c1.samplesPerSec, 178.2);
  assert.equal(c1.latencyMs.p50, 5.561);
  assert.equal(c1.latencyMs.p99, 6.24);
  assert.equal(c1.latencyMs.mean, 5.601);
  assert.equal(c1.latencyMs.p999, null);
  assert.equal(c1.p99CiMs, null);
  // 101 non-decreasing quantiles through the reported percentiles
  assert.equal(c1.quantilesMs!.length, 101);
  assert.equal(c1.quantilesMs![50], 5.561);
  assert.equal(c1.quantilesMs![99], 6.24);
  assert.ok(c1.quantilesMs!.every((v, i, q) => i === 0 || v >= q[i - 1]));
  assert.ok(c1.notes!.some((n) => /quantilesMs approximated/.test(n)), 'approximation is flagged');
  assert.ok(c1.notes!.some((n) => /not in perf_analyzer CSV: request count/.test(n)), 'what is missing is stated');
  assert.ok(c1.notes!.some((n) => /compute infer 4981/.test(n)), 'server breakdown kept');
  assert.ok(c1.littleGapPct! < 1, `Little's law holds on the fixture (gap ${c1.littleGapPct})`);

  const workload = workloadSchema.parse({
    name: 'image tagging', model: { id: run.model.id }, sla: { percentile: 99, slaMs: 30 }, callers: { synchronous: true },
    traffic: { meanRatePerSec: 800, peakToMean: 1.5 }, instances: [{ name: 'g4dn.xlarge', pricePerHourUsd: 0.526, measuredHere: true }],
  });
  const plan = planWorkload(run, workload, { skipSensitivity: true, simRequests: 1500 });
  assert.equal(plan.verdict, 'realtime');
  const chosen = plan.plans.find((p) => p.mode === 'realtime')!;
  assert.ok(chosen.feasible && chosen.replicas >= 2 && chosen.monthlyCostUsd! > 0);
  store.close();
});

test('importing the same perf_analyzer file twice does not duplicate it; other options make another run', () => {
  const store = fresh();
  const bytes = readFileSync(FIXTURE);
  const a = importBytes(store, FIXTURE, bytes);
  const before = rowCounts(store);
  const b = importBytes(store, FIXTURE, bytes);
  assert.equal(b.duplicate, true);
  assert.equal(b.runId, a.runId);
  assert.deepEqual(rowCounts(store), before);
  const c = importBytes(store, FIXTURE, bytes, { batch: 4 });
  assert.notEqual(c.runId, a.runId);
  assert.equal(store.getRunResult(c.runId).points[0].requestsPerSec, 178.2 / 4);
  store.close();
});

test('request-rate rows become open-loop points with their offered rate', () => {
  const store = fresh();
  const csv = 'Request Rate,Inferences/Second,Client Send,Network+Server Send/Recv,Server Queue,Server Compute Input,Server Compute Infer,Server Compute Output,Client Recv,p50 latency,p90 latency,p95 latency,p99 latency\n' +
    '100,99.8,40,300,20,110,4900,20,6,5500,5800,6000,6900\n200,199.1,41,305,140,112,4950,21,6,5700,6400,6900,8800\n';
  const r = importBytes(store, 'rate.csv', new TextEncoder().encode(csv));
  const run = store.getRunResult(r.runId);
  assert.deepEqual(run.points.map((p) => p.config.requestRatePerSec), [100, 200]);
  assert.ok(run.points[0].notes!.some((n) => /open loop at 100 requests\/s/.test(n)));
  assert.ok(run.points[0].notes!.some((n) => /mean approximated/.test(n)), 'no Avg latency column: the mean is flagged');
  // and it writes back out in perf_analyzer's own shape
  assert.match(pointsToPerfAnalyzerCsv(run), /^Request Rate,Inferences\/Second,/);
  store.close();
});

test('malformed CSVs are refused with a specific reason and write nothing', () => {
  const store = fresh();
  const before = rowCounts(store);
  const header = 'Concurrency,Inferences/Second,Client Send,Network+Server Send/Recv,Server Queue,Server Compute Input,Server Compute Infer,Server Compute Output,Client Recv,p50 latency,p90 latency,p95 latency,p99 latency';
  const cases: Array<[string, string, RegExp]> = [
    ['no-p99.csv', 'Concurrency,Inferences/Second,p50 latency,p90 latency,p95 latency\n1,10,1,2,3\n', /missing column\(s\) "p99 latency"/],
    ['foreign.csv', 'name,age\nbob,3\n', /first column is "name", expected "Concurrency" or "Request Rate"/],
    ['empty-rows.csv', `${header}\n`, /no measurement rows/],
    ['short-row.csv', `${header}\n1,178.2,42,301,38\n`, /:2: row has 5 cells, the header has 13/],
    ['bad-number.csv', `${header}\n1,fast,42,301,38,112,4981,21,6,5561,5702,5788,6240\n`, /:2: column "Inferences\/Second" is "fast"/],
    ['dup.csv', `${header}\n1,10,0,0,0,0,0,0,0,1,2,3,4\n1,11,0,0,0,0,0,0,0,1,2,3,4\n`, /:3: Concurrency 1 repeats row 2/],
  ];
  for (const [name, text, reason] of cases) {
    assert.throws(() => importBytes(store, name, new TextEncoder().encode(text)), (e: Error & { kind?: string }) => {
      assert.equal(e.kind, 'invalid-input', name);
      assert.match(e.message, reason, name);
      return true;
    });
  }
  assert.deepEqual(rowCounts(store), before);
  store.close();
});

test('approximated quantiles pass through the given percentiles and stay ordered', () => {
  const q = approxQuantiles([[50, 10], [90, 14], [95, 16], [99, 25]]);
  assert.equal(q[50], 10);
  assert.equal(q[90], 14);
  assert.equal(q[99], 25);
  assert.ok(q[0] > 0 && q[0] < 10);
  assert.ok(q[100] >= 25 && q[100] <= 25 + 2 * 9);
  assert.ok(q.every((v, i) => i === 0 || v >= q[i - 1]));
});
