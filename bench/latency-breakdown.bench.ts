// Where the p99 of a served request comes from: every request of a `kneepoint load`-style run is
// split into admission lag (scheduled arrival → the batcher thread sees it), queue (seen →
// dispatched) and busy (dispatched → completion seen), and the bench prints each part's mean over
// all requests and over the slowest 1 % — the requests that make the p99. Prints figures; asserts
// nothing. Run: npx node bench/latency-breakdown.bench.ts [model=ocr-cls] [rate=425] [maxBatch=8] [maxDelayMs=2] [seconds=6] [reps=2]
import { resolveBuiltin } from '../main/engine/models/catalog.ts';
import { InferenceServer } from '../main/engine/load/server.ts';
import { batcherFromFields } from '../main/common/sim/batchPolicy.ts';
import { generateArrivalsForDurationMs } from '../main/common/sim/arrivals.ts';
import { FATE } from '../main/common/sim/batcherCore.ts';

const [modelId = 'ocr-cls', rateS = '425', maxBatchS = '8', delayS = '2', secondsS = '6', repsS = '2'] = process.argv.slice(2);
const model = await resolveBuiltin(modelId);
const maxBatch = Number(maxBatchS);
const server = await InferenceServer.start({ modelPath: model.path, instances: 1, maxBatch, seed: 1, sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 }, pins: model.defaultPins ?? [], batchDims: model.batchDims });
const batcher = batcherFromFields({ maxBatch, maxDelayMs: Number(delayS), instances: 1 });
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
console.log(`${modelId} at ${rateS}/s, B=${maxBatch} D=${delayS} ms, ${secondsS} s × ${repsS}`);
console.log('rep  p99 ms  | all: lag / queue / busy ms | slowest 1 %: lag / queue / busy ms | busy per request by how the batch started | stalls > 0.5 ms seen by the probe');
try {
  for (let r = 0; r < Number(repsS); r++) {
    const sched = generateArrivalsForDurationMs({ kind: 'poisson', ratePerSec: Number(rateS) }, Number(secondsS) * 1000, 40 + r);
    const run = await server.runSchedule(sched, { batcher, drainLimitMs: 2000 });
    const raw = run.raw;
    const warm = Math.floor(sched.length / 10);
    const parts: Array<{ lat: number; lag: number; queue: number; busy: number }> = [];
    for (let j = warm; j < sched.length; j++) {
      if (raw.status[j] !== FATE.completed) continue;
      parts.push({ lat: raw.doneMs[j] - sched[j], lag: raw.admittedMs[j] - sched[j], queue: raw.dispatchMs[j] - raw.admittedMs[j], busy: raw.doneMs[j] - raw.dispatchMs[j] });
    }
    parts.sort((a, b) => a.lat - b.lat);
    const mean = (xs: typeof parts, k: 'lag' | 'queue' | 'busy') => xs.reduce((a, x) => a + x[k], 0) / Math.max(1, xs.length);
    const top = parts.slice(Math.floor(parts.length * 0.99));
    const stalls = [...run.jitterOversleepMs].filter((x) => x > 0.5);
    // busy time of batches dispatched to an instance that was idle (after-idle) vs straight after its previous batch (back-to-back)
    const lastDone = new Map<number, number>();
    const cls = { idle: [0, 0], b2b: [0, 0] };
    for (let b = 0; b < raw.batchSize.length; b++) {
      const d = raw.dispatchMs[raw.batchFirst[b]];
      const prev = lastDone.get(raw.batchInstance[b]);
      lastDone.set(raw.batchInstance[b], d + raw.batchBusyMs[b]);
      if (raw.batchFirst[b] < warm || !(raw.batchBusyMs[b] > 0)) continue;
      const c = prev !== undefined && d - prev <= 1e-6 ? cls.b2b : cls.idle;
      c[0] += raw.batchBusyMs[b] / Math.max(1, raw.batchSize[b]); c[1]++;
    }
    console.log(`${String(r + 1).padStart(3)}  ${f(parts[Math.ceil(parts.length * 0.99) - 1]?.lat ?? NaN).padStart(6)}  | ${f(mean(parts, 'lag'))} / ${f(mean(parts, 'queue'))} / ${f(mean(parts, 'busy'))}`.padEnd(48) +
      `| ${f(mean(top, 'lag'))} / ${f(mean(top, 'queue'))} / ${f(mean(top, 'busy'))}`.padEnd(38) +
      `| busy/request after idle ${f(cls.idle[0] / cls.idle[1])} ms (n ${cls.idle[1]}), back-to-back ${f(cls.b2b[0] / cls.b2b[1])} ms (n ${cls.b2b[1]}) ` +
      `| ${stalls.length} (${(stalls.length / Number(secondsS)).toFixed(1)}/s, max ${f(Math.max(0, ...stalls))} ms); steal ${run.stealPct === null ? '–' : run.stealPct.toFixed(1) + '%'}`);
  }
} finally {
  await server.close();
}
