// What moves a closed-loop point window to window: one configuration of a catalog model run
// back-to-back for `seconds`, its completions cut into windows of 1, 2 and 3 s. Prints each window's
// throughput and p99, the median spread over 3 consecutive windows (what the stability rule checks),
// and the same p99 spread with the latencies shuffled across windows (what sampling error alone
// gives). Observed spread ≫ shuffled: the point really moved; ≈: the windows were short for a p99.
// Prints figures; never fails on them.
//   npx node bench/window-noise.bench.ts <model> <batch> <instances> <threads> [seconds=12]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../main/engine/api.ts';
import { InstancePool } from '../main/engine/measure/instancePool.ts';
import { ortOptionsJson } from '../main/engine/measure/sessionOptions.ts';
import { spreadPct } from '../main/common/stats/stability.ts';
import { percentileNearestRank } from '../main/common/stats/percentiles.ts';
import { createRng } from '../main/common/stats/rng.ts';

const [modelId = 'ocr-cls', batchS = '1', instS = '1', thrS = '1', secsS = '12'] = process.argv.slice(2);
const batch = Number(batchS), instances = Number(instS), threads = Number(thrS), secs = Number(secsS);
const dir = mkdtempSync(join(tmpdir(), 'kneepoint-window-noise-'));
const engine = await createEngine({ dbPath: join(dir, 'kp.db'), dataDir: dir });
const model = (await engine.listModels()).find((m) => m.id === modelId);
await engine.close();
rmSync(dir, { recursive: true, force: true });
if (!model) throw new Error(`no catalog model ${modelId}`);

const pool = new InstancePool({ modelPath: model.path, instances, seed: 1, sessionOptions: ortOptionsJson({ threads, provider: 'cpu' }) });
await pool.init();
await pool.prepare(batch, model.defaultPins ?? [], 4, model.batchDims);
const ends: number[] = [];
const lats: number[] = [];
const t0 = performance.timeOrigin + performance.now();
const stop = setTimeout(() => pool.stopLoop(), (secs + 1) * 1000);
// the first second is warm-up
await pool.startLoop((c) => { for (let i = 0; i < c.endsMs.length; i++) if (c.endsMs[i] - t0 > 1000) { ends.push(c.endsMs[i]); lats.push(c.latenciesMs[i]); } });
clearTimeout(stop);
await pool.close();

const p99 = (a: number[]) => percentileNearestRank(Float64Array.from(a).sort(), 0.99);
const median = (a: number[]) => a.slice().sort((x, y) => x - y)[a.length >> 1];
const spreads3 = (v: number[]) => v.slice(2).map((_, i) => spreadPct(v.slice(i, i + 3)));
const rng = createRng(1);
const shuffled = lats.slice();
for (let i = shuffled.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]; }
console.log(`${modelId} batch ${batch} × ${instances} instance(s) × ${threads} thread(s), ${secs} s after 1 s warm-up; p99 over all: ${p99(lats).toFixed(3)} ms (n=${lats.length} requests)`);
for (const wMs of [1000, 2000, 3000].filter((w) => secs * 1000 / w >= 3)) {
  const wins: number[][] = [];
  for (let i = 0; i < ends.length; i++) (wins[Math.floor((ends[i] - ends[0]) / wMs)] ??= []).push(lats[i]);
  const full = wins.slice(0, Math.floor((secs * 1000) / wMs)).filter((w) => w && w.length);
  const tput = full.map((w) => (w.length * batch) / (wMs / 1000));
  const p = full.map(p99);
  let off = 0;
  const pShuffled = full.map((w) => { const r = p99(shuffled.slice(off, off + w.length)); off += w.length; return r; });
  console.log(`  windows of ${wMs / 1000} s (median n=${median(full.map((w) => w.length))} requests):`);
  console.log(`    samples/s ${tput.map((x) => x.toFixed(0)).join(' ')}  → 3-window spread median ${median(spreads3(tput)).toFixed(0)} %`);
  console.log(`    p99 ms    ${p.map((x) => x.toFixed(3)).join(' ')}  → 3-window spread median ${median(spreads3(p)).toFixed(0)} % (shuffled across windows: ${median(spreads3(pShuffled)).toFixed(0)} %)`);
}
