// Planner speed: how long planWorkload takes per shipped workload, cold (first call in the
// process), warm (the same call again: capacity searches cached) and as a what-if slider move
// (peak rate +10% and price −10%, no sensitivity curves, as the Plan view does while dragging), and
// an SLA slider move (SLA −10%: a new latency budget, so the capacity searches run again).
// Prints figures; no pass/fail.
// Run: npx node bench/planner.bench.ts [fixture|real]   (real = test/fixtures/curves/real-<model>.json)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { parseWorkloadYaml, planWorkload } from '../main/common/plan/index.ts';
import type { Workload } from '../main/common/plan/index.ts';
import type { SweepRunResult } from '../main/common/types.ts';

const which = process.argv[2] === 'real' ? 'real' : 'fixture';
const root = new URL('../', import.meta.url);
const curvePath = (model: string) => new URL(`test/fixtures/curves/${which === 'real' ? `real-${model}` : model}.json`, root);
const names = readdirSync(new URL('workloads/', root)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => x.toFixed(x < 10 ? 1 : 0).padStart(7);
console.log(`planner timings on ${which} curves (ms; one process, caches shared between rows)`);
console.log(`${'workload'.padEnd(24)} ${'cold full'.padStart(9)} ${'warm full'.padStart(9)} ${'cold no-sens'.padStart(12)} ${'warm no-sens'.padStart(12)} ${'what-if'.padStart(9)} ${'SLA move'.padStart(9)}  verdict`);
for (const name of names) {
  const w = parseWorkloadYaml(readFileSync(new URL(`workloads/${name}.yaml`, root), 'utf8'), `workloads/${name}.yaml`);
  if (!existsSync(curvePath(w.model.id))) {
    console.log(`${name.padEnd(24)} (no ${which} curve for ${w.model.id})`);
    continue;
  }
  const run = JSON.parse(readFileSync(curvePath(w.model.id), 'utf8')) as SweepRunResult;
  // a different seed per column keeps the columns' caches apart where it matters
  let t0 = performance.now();
  planWorkload(run, w, { skipSensitivity: true, seed: 101 });
  const coldNoSens = ms(t0);
  t0 = performance.now();
  planWorkload(run, w, { skipSensitivity: true, seed: 101 });
  const warmNoSens = ms(t0);
  t0 = performance.now();
  const r = planWorkload(run, w);
  const coldFull = ms(t0);
  t0 = performance.now();
  planWorkload(run, w);
  const warmFull = ms(t0);
  const moved: Workload = {
    ...w,
    traffic: w.traffic ? { ...w.traffic, ...(w.traffic.meanRatePerSec !== undefined ? { meanRatePerSec: w.traffic.meanRatePerSec * 1.1 } : {}) } : w.traffic,
    instances: w.instances.map((i) => (i.pricePerHourUsd === undefined ? i : { ...i, pricePerHourUsd: i.pricePerHourUsd * 0.9 })),
  };
  t0 = performance.now();
  planWorkload(run, moved, { skipSensitivity: true });
  const whatIf = ms(t0);
  t0 = performance.now();
  planWorkload(run, { ...w, sla: { ...w.sla, slaMs: w.sla.slaMs * 0.9 } }, { skipSensitivity: true });
  const slaMove = ms(t0);
  console.log(`${name.padEnd(24)} ${fmt(coldFull).padStart(9)} ${fmt(warmFull).padStart(9)} ${fmt(coldNoSens).padStart(12)} ${fmt(warmNoSens).padStart(12)} ${fmt(whatIf).padStart(9)} ${fmt(slaMove).padStart(9)}  ${r.verdict}`);
}
