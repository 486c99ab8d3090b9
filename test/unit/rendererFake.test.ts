// The UI's in-memory fake honours the same contract the UI relies on (events per job, cancel,
// not-found errors), so views tested against it behave like against the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiEvents } from '../../main/common/api.ts';
import { createFakeApi } from '../../renderer/src/host/fakeApi.ts';

test('fake sweep streams one point per grid cell, then finishes', async () => {
  const api = createFakeApi({ pointDelayMs: 1 });
  const points: ApiEvents['job.point'][] = [];
  api.on('job.point', (e) => points.push(e));
  const finished = new Promise<ApiEvents['job.finished']>((r) => api.on('job.finished', r));
  const ref = await api.startSweep({ model: 'mlp-tiny', batch: [1, 2, 4], instances: [1, 2] });
  const fin = await finished;
  assert.equal(fin.status, 'completed');
  assert.equal(points.length, 6);
  assert.equal((await api.getRun({ runId: ref.runId })).points.length, 6);
  await api.close();
});

test('fake cancel stops a sweep early and reports cancelled', async () => {
  const api = createFakeApi({ pointDelayMs: 5 });
  const finished = new Promise<ApiEvents['job.finished']>((r) => api.on('job.finished', r));
  const ref = await api.startSweep({ model: 'mlp-tiny', batch: [1, 2, 4, 8, 16, 32, 64, 128] });
  assert.deepEqual(await api.cancelJob({ jobId: ref.jobId }), { cancelled: true });
  assert.equal((await finished).status, 'cancelled');
  assert.ok((await api.getRun({ runId: ref.runId })).points.length < 8);
  await api.close();
});

test('fake errors carry kinds like the engine', async () => {
  const api = createFakeApi();
  await assert.rejects(api.getRun({ runId: 'nope' }), { kind: 'not-found' });
  await assert.rejects(api.addModel({ path: '/tmp/x.txt' }), { kind: 'invalid-input' });
});

test('fake lists a running job with its latest progress until it finishes', async () => {
  const api = createFakeApi({ pointDelayMs: 5 });
  const ref = await api.startSweep({ model: 'mlp-tiny', batch: [1, 2, 4] });
  const firstProgress = new Promise<void>((r) => { const off = api.on('job.progress', () => { off(); r(); }); });
  const finished = new Promise<ApiEvents['job.finished']>((r) => api.on('job.finished', r));
  await firstProgress;
  const [job] = await api.listJobs();
  assert.deepEqual({ jobId: job.jobId, runId: job.runId, kind: job.kind, total: job.progress?.total }, { jobId: ref.jobId, runId: ref.runId, kind: 'sweep', total: 3 });
  await finished;
  assert.deepEqual(await api.listJobs(), []);
  await api.close();
});

test('fake stores plans: listed (by run) and read back', async () => {
  const api = createFakeApi();
  const runId = api.seedRun({ model: 'mlp-tiny', batch: [1, 2] });
  const r = await api.plan({ runId, workload: { name: 'w1', model: { id: 'mlp-tiny' } } });
  assert.deepEqual((await api.listPlans({ runId })).map((p) => [p.id, p.workloadName, p.verdict]), [[r.planId, 'w1', r.verdict]]);
  assert.deepEqual(await api.listPlans({ runId: 'other' }), []);
  assert.equal(((await api.getPlan({ planId: r.planId })).workload as { name: string }).name, 'w1');
  await assert.rejects(api.getPlan({ planId: 'nope' }), { kind: 'not-found' });
});

test('fake upload accepts ONNX-looking bytes and refuses others like the engine', async () => {
  const api = createFakeApi();
  const m = await api.addModel({ fileName: 'tiny.onnx', base64: Buffer.from([0x08, 0x07, 0x12, 0x00]).toString('base64') });
  assert.ok((await api.listModels()).some((x) => x.id === m.id));
  await assert.rejects(api.addModel({ fileName: 'junk.onnx', base64: Buffer.from('hello').toString('base64') }), { kind: 'invalid-input', message: /junk\.onnx is not a valid ONNX model/ });
});
