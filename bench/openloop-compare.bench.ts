// Ground truth for the predictor: `kneepoint load` against the reference open-loop generator
// (main/engine/reference/, which shares no code with the product's load path), same model,
// rate, seconds and seed, unbatched, at 30/50/70 % of the closed-loop batch-1 capacity, in
// interleaved rounds (this machine drifts). Prints figures; asserts nothing.
// Run: npx node bench/openloop-compare.bench.ts [model=oww-embedding] [seconds=10] [rounds=2] [loads=0.3,0.5,0.7]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBuiltin } from '../main/engine/models/catalog.ts';
import { closedLoopMsPerRequest, referenceFeedShapes, runReference } from '../main/engine/reference/openLoopReference.ts';

const modelId = process.argv[2] ?? 'oww-embedding';
const seconds = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 2);
const loads = (process.argv[5] ?? '0.3,0.5,0.7').split(',').map(Number);
const model = await resolveBuiltin(modelId);
const feedShapes = await referenceFeedShapes(model.path, model.defaultPins ?? [], model.batchDims);
const db = join(mkdtempSync(join(tmpdir(), 'kp-openloop-')), 'bench.db');
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

const b1 = await closedLoopMsPerRequest({ modelPath: model.path, feedShapes }, 3000);
console.log(`${modelId}: closed-loop batch 1 = ${b1.toFixed(3)} ms/request → capacity ${(1000 / b1).toFixed(0)}/s (1 instance × 1 thread)`);
console.log('round  load  rate/s   reference p50/p99 ms (wake-late p99)   kneepoint load p50/p99 ms (gen lag p99, overhead)   ratio p99 load/ref');
const rows: Array<{ rho: number; ref: number; load: number }> = [];
for (let r = 0; r < rounds; r++) {
  for (const rho of loads) {
    const rate = Math.round((rho * 1000) / b1);
    const seed = 100 + r;
    const ref = await runReference({ modelPath: model.path, feedShapes, ratePerSec: rate, seconds, seed });
    const out = execFileSync(process.execPath, ['main/cli/kneepoint.ts', 'load', '--model', modelId, '--rate', String(rate), '--seconds', String(seconds), '--seed', String(seed), '--json', '--db', db], { encoding: 'utf8' });
    const l = JSON.parse(out) as { latencyMs: { p50: number; p99: number }; generatorLagMs: { p99: number }; overheadMs: number };
    rows.push({ rho, ref: ref.latencyMs.p99, load: l.latencyMs.p99 });
    console.log(`${String(r + 1).padStart(5)}  ${rho.toFixed(1)}  ${String(rate).padStart(6)}   ${f(ref.latencyMs.p50)} / ${f(ref.latencyMs.p99)} (${f(ref.wakeLateMs.p99)})`.padEnd(66) +
      `${f(l.latencyMs.p50)} / ${f(l.latencyMs.p99)} (${f(l.generatorLagMs.p99)}, ${f(l.overheadMs)})`.padEnd(52) + `${(l.latencyMs.p99 / ref.latencyMs.p99).toFixed(2)}`);
  }
}
for (const rho of loads) {
  const rs = rows.filter((x) => x.rho === rho);
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`load ${rho}: median p99 reference ${f(med(rs.map((x) => x.ref)))} ms, kneepoint load ${f(med(rs.map((x) => x.load)))} ms`);
}
