// The API contract suite: the same behaviour, whichever host serves KneepointApi. Run against the
// in-process engine (api-inprocess.test.ts) and through the web host (api-webhost.test.ts).
// Real model (mlp-tiny), real SQLite file, short method windows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { ApiEvents, KneepointApi, PlanSummary } from '../../main/common/api.ts';
import type { SweepSpec } from '../../main/common/schemas.ts';

const OCR_CLS = fileURLToPath(new URL('../../models/real/ocr-cls.onnx', import.meta.url));

/** A small real-time workload for mlp-tiny (planned on the run the test just measured). */
export const MLP_TINY_WORKLOAD = {
  name: 'contract-mlp-tiny', model: { id: 'mlp-tiny' }, sla: { percentile: 99, slaMs: 50 }, callers: { synchronous: true },
  traffic: { meanRatePerSec: 50, peakToMean: 2 }, instances: [{ name: 'c7i.large', pricePerHourUsd: 0.0893, measuredHere: true }],
};

export const QUICK_METHOD = { warmupMinRuns: 5, warmupMaxRuns: 200, windowMinMs: 150, windowMinRequests: 20, stableWindows: 2, maxWindows: 4, minSamplesForP99: 100, anchor: false } as const;

function collect(api: KneepointApi, jobId: () => string) {
  const points: ApiEvents['job.point'][] = [];
  const progress: ApiEvents['job.progress'][] = [];
  let resolveFinished!: (f: ApiEvents['job.finished']) => void;
  const finished = new Promise<ApiEvents['job.finished']>((r) => { resolveFinished = r; });
  const offs = [
    api.on('job.point', (e) => { if (e.jobId === jobId()) points.push(e); }),
    api.on('job.progress', (e) => { if (e.jobId === jobId()) progress.push(e); }),
    api.on('job.finished', (e) => { if (e.jobId === jobId()) resolveFinished(e); }),
  ];
  return { points, progress, finished: finished.finally(() => offs.forEach((f) => f())) };
}

async function rejectsWithKind(p: Promise<unknown>, kinds: string[], pattern?: RegExp): Promise<void> {
  await assert.rejects(p, (err: { kind?: string; message?: string }) => {
    assert.ok(kinds.includes(String(err.kind)), `error kind ${err.kind} (${err.message}) in ${kinds}`);
    if (pattern) assert.match(String(err.message), pattern);
    return true;
  });
}

export function apiContractSuite(name: string, open: () => Promise<{ api: KneepointApi; close(): Promise<void> }>): void {
  let api: KneepointApi;
  let close: () => Promise<void>;
  before(async () => { ({ api, close } = await open()); });
  after(async () => { await close?.(); });

  test(`${name}: getInfo describes this machine and says which providers work`, async () => {
    const info = await api.getInfo();
    assert.ok(info.hardware.cpu.cores >= 1);
    assert.ok(info.hardware.memoryBytes > 0);
    const cpu = info.providers.find((p) => p.name === 'cpu');
    assert.equal(cpu?.available, true);
    for (const p of info.providers) if (!p.available) assert.ok(p.reason, `${p.name} says why it is unavailable`);
  });

  test(`${name}: models are listed and inspected with dims and FLOPs`, async () => {
    const models = await api.listModels();
    assert.ok(models.some((m) => m.id === 'mlp-tiny'));
    const m = await api.inspectModel({ model: 'mlp-tiny' });
    assert.ok(m.inputs.length >= 1);
    assert.ok(m.params > 0);
    assert.equal(m.dynamicBatch, true);
  });

  test(`${name}: bad input is an invalid-input error naming the field; unknown ids are errors`, async () => {
    await rejectsWithKind(api.startSweep({ model: 'mlp-tiny', batch: [0] } as SweepSpec), ['invalid-input'], /batch/);
    await rejectsWithKind(api.inspectModel({ model: 'no-such-model' }), ['not-found', 'invalid-input'], /no-such-model/);
    await rejectsWithKind(api.getRun({ runId: 'run_does_not_exist' }), ['not-found', 'invalid-input']);
  });

  test(`${name}: a sweep streams points and progress, then finishes; the run is stored`, async () => {
    let jobId = '';
    const c = collect(api, () => jobId);
    const ref = await api.startSweep({ model: 'mlp-tiny', batch: [1, 2], method: QUICK_METHOD, name: 'contract sweep' });
    jobId = ref.jobId;
    const fin = await c.finished;
    assert.equal(fin.status, 'completed', fin.error);
    assert.equal(fin.runId, ref.runId);
    assert.deepEqual(c.points.map((p) => p.point.config.batch).sort(), [1, 2]);
    for (const p of c.points) { assert.ok(p.point.samplesPerSec > 0); assert.ok(p.point.latencyMs.p99 >= p.point.latencyMs.p50); }
    assert.ok(c.progress.length > 0);
    const run = await api.getRun({ runId: ref.runId });
    assert.equal(run.points.length, 2);
    assert.equal(run.status, 'completed');
    const listed = (await api.listRuns({ model: 'mlp-tiny' })).find((r) => r.id === ref.runId);
    assert.equal(listed?.pointCount, 2);

    // a plan of this run is stored, listed under the run and read back whole
    const planned = await api.plan({ runId: ref.runId, workload: MLP_TINY_WORKLOAD }) as { planId: string; verdict: string };
    const plans = await api.listPlans({ runId: ref.runId });
    assert.deepEqual(plans.map((p: PlanSummary) => p.id), [planned.planId]);
    assert.equal(plans[0].workloadName, 'contract-mlp-tiny');
    assert.equal(plans[0].verdict, planned.verdict);
    assert.ok((await api.listPlans()).some((p) => p.id === planned.planId));
    const stored = await api.getPlan({ planId: planned.planId });
    assert.equal(stored.runId, ref.runId);
    assert.equal((stored.workload as { name: string }).name, 'contract-mlp-tiny');
    assert.equal((stored.result as { verdict: string }).verdict, planned.verdict);
    await rejectsWithKind(api.getPlan({ planId: 'plan_does_not_exist' }), ['not-found']);
    // the plan says which serving calibration it used (or null); loadRunId must name a load/validate run
    assert.ok('serving' in (stored.result as object), 'the plan stores its serving calibration (or null)');
    await rejectsWithKind(api.plan({ runId: ref.runId, loadRunId: ref.runId, workload: MLP_TINY_WORKLOAD }), ['invalid-input']);

    const updated = await api.updateRun({ runId: ref.runId, name: 'renamed', tags: ['contract', 'fp32'] });
    assert.equal(updated.name, 'renamed');
    assert.deepEqual(updated.tags, ['contract', 'fp32']);
    assert.deepEqual(await api.deleteRun({ runId: ref.runId }), { deleted: true });
    assert.ok(!(await api.listRuns()).some((r) => r.id === ref.runId));
  });

  test(`${name}: cancelling a sweep stops it and keeps the finished points`, async () => {
    let jobId = '';
    const c = collect(api, () => jobId);
    const firstPoint = new Promise<void>((resolve) => { const off = api.on('job.point', (e) => { if (e.jobId === jobId) { off(); resolve(); } }); });
    const ref = await api.startSweep({ model: 'mlp-tiny', batch: [1, 2, 4, 8, 16, 32, 64, 128], method: QUICK_METHOD });
    jobId = ref.jobId;
    await firstPoint;
    // a page that reloads now finds the job, its run and its latest progress
    const running = (await api.listJobs()).find((j) => j.jobId === jobId);
    assert.equal(running?.runId, ref.runId);
    assert.equal(running?.kind, 'sweep');
    if (running?.progress) assert.equal(running.progress.total, 8);
    assert.deepEqual(await api.cancelJob({ jobId }), { cancelled: true });
    const fin = await c.finished;
    assert.ok(!(await api.listJobs()).some((j) => j.jobId === jobId), 'a finished job is no longer listed');
    assert.equal(fin.status, 'cancelled');
    const run = await api.getRun({ runId: ref.runId });
    assert.ok(run.points.length >= 1 && run.points.length < 8, `kept ${run.points.length} points`);
    assert.deepEqual(await api.cancelJob({ jobId }), { cancelled: false });
  });

  test(`${name}: a model uploaded as bytes is written to the data dir and registered; a bad file gets an actionable error`, async () => {
    const bytes = readFileSync(OCR_CLS);
    const m = await api.addModel({ fileName: 'ocr-cls.onnx', base64: bytes.toString('base64') });
    assert.equal(m.name, 'ocr-cls');
    assert.match(m.path, /[\\/]models[\\/][0-9a-f]{12}-ocr-cls\.onnx$/);
    assert.equal(m.bytes, bytes.length);
    assert.ok(m.inputs.length >= 1 && m.params > 0);
    assert.ok((await api.listModels()).some((x) => x.id === m.id));
    assert.equal((await api.inspectModel({ model: m.id })).sha256, m.sha256);
    // random bytes: the engine's inspection error, naming the file the person picked
    await rejectsWithKind(api.addModel({ fileName: 'junk.onnx', base64: randomBytes(4096).toString('base64') }), ['invalid-input'], /junk\.onnx is not a (valid|usable) ONNX model/);
    await rejectsWithKind(api.addModel({ fileName: 'empty.onnx', base64: '' }), ['invalid-input'], /empty/);
    await rejectsWithKind(api.addModel({ fileName: 'x.onnx', base64: 'not base64!' }), ['invalid-input'], /base64/);
  });
}
