// Sweep speed: a 24-point sweep (batch 1–32 × instances 1,2 × threads 1,2) with the default method
// (the batch axis never stopped early, so all 24 points are measured; the anchor re-measured at the
// end), through the in-process API. Prints the wall time, how many points came out stable, and how
// the running estimate compared with the real duration. Prints figures; never fails on them.
//   npx node bench/sweep-speed.bench.ts [--model mlp-small|ocr-cls]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../main/engine/api.ts';
import type { ApiEvents, JobProgress } from '../main/common/api.ts';
import { sweepSpecSchema, type SweepSpec } from '../main/common/schemas.ts';
import { estimateSweep } from '../main/common/sweepEstimate.ts';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'mlp-small' } } });
const spec: SweepSpec = { model: values.model!, batch: [1, 2, 4, 8, 16, 32], instances: [1, 2], threads: [1, 2], method: { plateauSteps: 99 } };
const resolved = sweepSpecSchema.parse(spec);
const upFront = estimateSweep(resolved, resolved.method);

const dir = mkdtempSync(join(tmpdir(), 'kneepoint-sweep-bench-'));
const engine = await createEngine({ dbPath: join(dir, 'kp.db'), dataDir: dir });
try {
  const events: JobProgress[] = [];
  engine.on('job.progress', (p) => events.push(p));
  const finished = new Promise<ApiEvents['job.finished']>((r) => engine.on('job.finished', r));
  const t0 = performance.now();
  await engine.startSweep(spec);
  const f = await finished;
  const wallS = (performance.now() - t0) / 1000;
  const run = await engine.getRun({ runId: f.runId });
  const by = (s: string) => run.points.filter((p) => p.status === s).length;
  const realMs = events[events.length - 1].elapsedMs;
  const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
  console.log(`sweep of ${values.model}: ${run.points.length} points + anchor, ${f.status}, ${wallS.toFixed(0)} s wall (goal < 180 s)`);
  console.log(`  ${by('ok')} stable, ${by('unstable')} unstable, ${by('failed')} failed; windows per point: ${run.points.map((p) => p.windows).join(' ')}`);
  const unstable = run.points.filter((p) => p.status === 'unstable').map((p) => `b${p.config.batch}×i${p.config.instances}×t${p.config.threadsPerInstance}`);
  if (unstable.length) console.log(`  unstable: ${unstable.join(' ')}`);
  for (const p of run.points.filter((x) => x.status === 'unstable')) {
    console.log(`    b${p.config.batch}×i${p.config.instances}×t${p.config.threadsPerInstance}: ${(p.notes ?? []).join('; ')}`);
  }
  console.log(`  noisy (anchor drift): ${run.noisy ? `yes, ${run.anchorDriftPct?.toFixed(1)} %` : `no (${run.anchorDriftPct?.toFixed(1)} %)`}`);
  console.log(`  estimate up front: ${s(upFront.lowMs)} – ${s(upFront.highMs)} for ${upFront.points} points`);
  for (const frac of [0.25, 0.5, 0.75]) {
    const e = events.find((x) => x.done >= x.total * frac && x.remainingMs !== null);
    if (e) console.log(`  at ${e.done}/${e.total} points: estimated total ${s(e.elapsedMs + e.remainingMs!)}, real ${s(realMs)} (${(((e.elapsedMs + e.remainingMs!) - realMs) / realMs * 100).toFixed(0)} %)`);
  }
} finally {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
