// Serving-path figures (prints; no pass/fail): per-request dispatch overhead of the in-process
// server vs a bare run() loop, in interleaved rounds, and generator lag / timer oversleep of an
// open-loop run. Run: npx node bench/load.bench.ts [model] [rounds]
import { InferenceServer } from '../main/engine/load/server.ts';
import { summarizeRepetition } from '../main/engine/load/summarizeLoad.ts';
import { generateArrivalsForDurationMs } from '../main/common/sim/arrivals.ts';
import { resolveBuiltin } from '../main/engine/models/catalog.ts';

const modelId = process.argv[2] ?? 'mlp-tiny';
const rounds = Number(process.argv[3] ?? 5);
const m = await resolveBuiltin(modelId);
const s = await InferenceServer.start({
  modelPath: m.path, instances: 1, maxBatch: 8, seed: 1, pins: m.defaultPins ?? [], batchDims: m.batchDims,
  sessionOptions: { executionProviders: ['cpu'], intraOpNumThreads: 1 },
});
const f = (x: number) => x.toFixed(3);
try {
  console.log(`model ${modelId}, 1 instance × 1 thread`);
  const served: number[] = [];
  const bare: number[] = [];
  const over: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const p = await s.probeOverhead(1, 200, 1);
    served.push(p.servedMsPerRequest);
    bare.push(p.bareMsPerRequest);
    over.push(p.overheadMs);
    console.log(`round ${r + 1}: batch-1 through the batcher ${f(p.servedMsPerRequest)} ms (run() inside ${f(p.runMsInServer)} ms), bare loop ${f(p.bareMsPerRequest)} ms → overhead ${f(p.overheadMs)} ms`);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`median: served ${f(med(served))} ms vs bare ${f(med(bare))} ms per batch-1 request; overhead ${f(med(over))} ms (ratio ${(med(served) / med(bare)).toFixed(2)}x)`);
  const b1 = med(bare) + med(over);
  for (const rho of [0.3, 0.7]) {
    const rate = (rho * 1000) / b1;
    const sched = generateArrivalsForDurationMs({ kind: 'poisson', ratePerSec: rate }, 3000, 11);
    const run = await s.runSchedule(sched, { batcher: { maxBatch: 1, maxDelayMs: 0, instances: 1 }, drainLimitMs: 3000 });
    const rep = summarizeRepetition(sched, run, Math.floor(sched.length / 10), 1, 11);
    console.log(`open loop ρ≈${rho} (${rate.toFixed(0)}/s, ${rep.completed} requests): generator lag p50 ${f(rep.generatorLagMs.p50)} / p99 ${f(rep.generatorLagMs.p99)} / max ${f(rep.generatorLagMs.max)} ms; ` +
      `timer oversleep p50 ${f(rep.jitter.timerOversleepMs.p50)} / p99 ${f(rep.jitter.timerOversleepMs.p99)} / max ${f(rep.jitter.timerOversleepMs.max)} ms; ` +
      `latency p50 ${f(rep.latencyMs.p50)} p99 ${f(rep.latencyMs.p99)} ms; overhead under load ${f(rep.busyMsPerBatch - rep.computeMsPerBatch)} ms/batch; CPUs ${rep.jitter.cpuBusyPct?.toFixed(0)}% busy`);
  }
} finally {
  await s.close();
}
