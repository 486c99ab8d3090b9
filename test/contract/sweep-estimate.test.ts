// The sweep's time estimate, checked on the progress events a real sweep records: the total is the
// real point count (anchor included), and by the half-way point the estimate (elapsed + remaining)
// is within 25 % of the sweep's real duration. `slaMs` stops the batch axis once p99 passes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../main/engine/api.ts';
import type { ApiEvents, JobProgress } from '../../main/common/api.ts';
import type { SweepSpec } from '../../main/common/schemas.ts';
import { estimateSweep } from '../../main/common/sweepEstimate.ts';
import { sweepSpecSchema } from '../../main/common/schemas.ts';

const METHOD = { warmupMinRuns: 5, warmupMaxRuns: 300, windowMinMs: 250, windowMinRequests: 20, stableWindows: 3, maxWindows: 5, minSamplesForP99: 100, plateauSteps: 99, anchor: true };

async function sweep(engine: Engine, spec: SweepSpec): Promise<{ events: JobProgress[]; finished: ApiEvents['job.finished'] }> {
  const events: JobProgress[] = [];
  const off = engine.on('job.progress', (p) => events.push(p));
  const finished = new Promise<ApiEvents['job.finished']>((r) => { const o = engine.on('job.finished', (f) => { o(); r(f); }); });
  await engine.startSweep(spec);
  const f = await finished;
  off();
  return { events, finished: f };
}

test('estimate: real point count, and within 25 % of the real duration by the half-way point', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-estimate-'));
  const engine = await createEngine({ dbPath: join(dir, 'kp.db'), dataDir: dir });
  try {
    const spec: SweepSpec = { model: 'mlp-small', batch: [1, 2, 4, 8, 16, 32], instances: [1, 2], method: METHOD };
    const upFront = estimateSweep(sweepSpecSchema.parse(spec), sweepSpecSchema.parse(spec).method);
    assert.equal(upFront.points, 13, '12 grid points and the anchor');
    assert.ok(upFront.lowMs > 0 && upFront.lowMs < upFront.highMs);

    const { events, finished } = await sweep(engine, spec);
    assert.equal(finished.status, 'completed');
    const run = await engine.getRun({ runId: finished.runId });
    assert.equal(run.points.length, 12);
    assert.ok(events.every((e) => e.total === 13), 'every event counts the real points');
    const last = events[events.length - 1];
    assert.equal(last.done, 13);
    assert.equal(last.remainingMs, 0);
    const realMs = last.elapsedMs;
    const half = events.find((e) => e.done >= e.total / 2 && e.remainingMs !== null)!;
    assert.ok(half, 'a progress event at the half-way point');
    const predictedMs = half.elapsedMs + half.remainingMs!;
    const errorPct = Math.abs(predictedMs - realMs) / realMs * 100;
    assert.ok(errorPct <= 25, `at ${half.done}/${half.total} the estimate was ${Math.round(predictedMs)} ms, the sweep took ${Math.round(realMs)} ms (${errorPct.toFixed(0)} % off)`);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('slaMs stops growing the batch once p99 passes the SLA; the skipped points count as done', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kneepoint-sla-'));
  const engine = await createEngine({ dbPath: join(dir, 'kp.db'), dataDir: dir });
  try {
    // p99 of any run() is above 1 µs: the batch axis stops after its first point
    const { events, finished } = await sweep(engine, { model: 'mlp-small', batch: [1, 2, 4, 8], method: { ...METHOD, anchor: false, slaMs: 0.001 } });
    assert.equal(finished.status, 'completed');
    const run = await engine.getRun({ runId: finished.runId });
    assert.deepEqual(run.points.map((p) => p.config.batch), [1]);
    assert.ok(run.points[0].latencyMs.p99 > 0.001);
    assert.ok(events.some((e) => /stopping the batch axis \(p99 over the 0\.001 ms SLA\); skipping batch 2, 4, 8/.test(e.phase)));
    const last = events[events.length - 1];
    assert.deepEqual([last.done, last.total], [4, 4]);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
