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
