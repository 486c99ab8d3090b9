// Imported runs say what they are in the run list (format, file, the machine they ran on), and a
// workload may name an imported run's model (not a catalog id) when it is planned against that run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/cli.ts';
import { createEngine } from '../../main/engine/api.ts';
import type { Engine } from '../../main/engine/api.ts';
import { hardwareLabel } from '../../main/common/hardwareLabel.ts';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'perf_analyzer', 'resnet50_onnx_t4_concurrency.csv');
const dir = tempDir('kneepoint-import-listed-');
let engine: Engine | undefined;
after(async () => { await engine?.close(); rmSync(dir, { recursive: true, force: true }); });

const WORKLOAD = (model: string) => `name: resnet on T4
model:
  id: ${model}
sla:
  percentile: 99
  slaMs: 50
callers:
  synchronous: true
traffic:
  meanRatePerSec: 100
  peakToMean: 2
instances:
  - { name: g4dn.xlarge, pricePerHourUsd: 0.526 }
`;

test('a perf_analyzer import is listed as imported, with the machine it ran on, and plans under its own model id', async () => {
  engine = await createEngine({ dbPath: join(dir, 'k.db'), dataDir: dir });
  const base64 = readFileSync(FIXTURE).toString('base64');
  const r = await engine.importFile({ fileName: 'resnet50_onnx_t4_concurrency.csv', base64, model: 'resnet50', hardware: 'g4dn.xlarge (T4)', provider: 'cuda', batch: 1 });
  assert.equal(r.duplicate, false);
  const listed = (await engine.listRuns()).find((x) => x.id === r.runId);
  assert.ok(listed);
  assert.equal(listed.hardwareLabel, 'g4dn.xlarge (T4)', 'no "(0 cores)" for a machine the CSV does not describe');
  assert.equal(listed.imported?.format, 'perf_analyzer-csv');
  assert.equal(listed.imported?.fileName, 'resnet50_onnx_t4_concurrency.csv');
  assert.match(listed.imported?.importedAt ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.notEqual(listed.hardwareFingerprint, engine.context.hardware.fingerprint);

  // the workload names the imported model: accepted when planning against that run…
  const plan = await engine.plan({ runId: r.runId, workload: undefined, workloadYaml: WORKLOAD('resnet50') }) as { runId: string; verdict: string };
  assert.equal(plan.runId, r.runId);
  assert.ok(plan.verdict);
  // …and still refused, with the catalog hint, without a run to take the curves from
  await assert.rejects(engine.plan({ workload: undefined, workloadYaml: WORKLOAD('resnet50') }), /unknown model "resnet50"/);
});

test('a machine\'s label names the CPU with its cores and each GPU model once', async () => {
  assert.ok(engine);
  const hw = engine.context.hardware;
  assert.match(hardwareLabel(hw), new RegExp(`\\(${hw.cpu.cores} cores\\)`));
  assert.equal(hardwareLabel({ cpu: { ...hw.cpu, model: 'EPYC', cores: 8 }, gpus: [{ model: 'A10G', vendor: 'NVIDIA' }, { model: 'A10G', vendor: 'NVIDIA' }] }), 'EPYC (8 cores) · A10G');
});
