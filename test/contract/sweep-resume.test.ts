// --resume reads the stored spec and validates it with the schema of a new sweep: a run stored by an
// incompatible version is refused with a message that names the field and what to do; a good one
// resumes with its own spec (the request carries only the run id, no model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../main/engine/api.ts';
import type { ApiEvents } from '../../main/common/api.ts';
import { QUICK_METHOD } from './apiSuite.ts';

test('resume validates the stored spec; an incompatible one is refused, a good one completes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-resume-'));
  const engine = await createEngine({ dbPath: join(dir, 'kp.db'), dataDir: dir });
  try {
    const store = engine.context.store;
    const model = await engine.context.resolveModel('mlp-tiny');
    const ref = { id: model.id, name: model.name, path: model.path, sha256: model.sha256 };
    // a spec written by another version: batch as a string, a field this version does not know
    const bad = store.createRun({ kind: 'sweep', model: ref, hardware: engine.context.hardware, versions: {}, spec: { model: 'mlp-tiny', batch: '1,2', windowsMs: 300 } });
    store.finishRun(bad, 'interrupted');
    const err = await engine.startSweep({ resumeRunId: bad }).then(() => null, (e: unknown) => e as { kind: string; message: string });
    assert.equal(err?.kind, 'invalid-input');
    assert.match(err!.message, new RegExp(`run ${bad} was stored with a sweep spec this version cannot read \\(.*batch.*\\): start a new sweep of mlp-tiny`));

    const good = store.createRun({ kind: 'sweep', model: ref, hardware: engine.context.hardware, versions: {}, spec: { model: 'mlp-tiny', batch: [1, 2], method: QUICK_METHOD } });
    store.finishRun(good, 'interrupted');
    const finished = new Promise<ApiEvents['job.finished']>((r) => engine.on('job.finished', r));
    const job = await engine.startSweep({ resumeRunId: good });
    assert.equal(job.runId, good);
    assert.equal((await finished).status, 'completed');
    const run = await engine.getRun({ runId: good });
    assert.deepEqual(run.points.map((p) => p.config.batch), [1, 2]);
    assert.ok(run.points.every((p) => p.status !== 'failed' && p.samplesPerSec > 0));

    await assert.rejects(engine.startSweep({ resumeRunId: good }), { kind: 'invalid-input', message: /already completed/ });
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
