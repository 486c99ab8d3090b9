// Harness overhead: throughput and peak RSS of Kneepoint's closed-loop runner vs a bare
// `await session.run()` loop in one worker, same model, batch and threads, in interleaved rounds.
// Each measurement runs in its own child process so peak RSS is comparable. Prints figures; never fails on them.
//   npx node bench/harness.bench.ts [--rounds 3] [--seconds 4]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CASES = [
  { label: 'tiny: silero-vad b1', model: 'silero-vad', batch: 1, pins: [{ name: 'input', shape: ['N', 1536], range: [-1, 1] }, { name: 'sr', value: 16000 }] },
  { label: 'medium: ocr-rec b1', model: 'ocr-rec', batch: 1, pins: [{ name: 'x', shape: ['N', 3, 48, 320], range: [0, 1] }] },
];

async function child(mode: 'bare' | 'runner', caseIndex: number, seconds: number): Promise<void> {
  const c = CASES[caseIndex];
  const modelPath = join(ROOT, 'models', 'real', `${c.model}.onnx`);
  const { InstancePool } = await import('../main/engine/measure/instancePool.ts');
  const { toOrtSessionOptions } = await import('../main/engine/measure/sessionOptions.ts');
  const opts = toOrtSessionOptions({ threads: 1, provider: 'cpu' }) as Record<string, unknown>;
  if (mode === 'runner') {
    const { measureClosedLoop } = await import('../main/engine/measure/closedLoop.ts');
    const { methodSchema } = await import('../main/common/schemas.ts');
    const pool = new InstancePool({ modelPath, instances: 1, sessionOptions: opts, seed: 1 });
    await pool.init();
    await pool.prepare(c.batch, c.pins as never, 4);
    // fixed-length measurement: windows of `seconds/4`, never stop early, so both sides run as long
    const method = methodSchema.parse({ windowMinMs: (seconds * 1000) / 4, maxWindows: 4, stableWindows: 4, minSamplesForP99: 1e9, warmupMaxRuns: 200 });
    const r = await measureClosedLoop(pool, { batch: c.batch, method });
    await pool.close();
    console.log(JSON.stringify({ samplesPerSec: r.samplesPerSec, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  } else {
    const src = `
      const { parentPort, workerData } = require('node:worker_threads');
      const ort = require(workerData.ort);
      (async () => {
        const s = await ort.InferenceSession.create(workerData.modelPath, workerData.opts);
        const meta = s.inputMetadata;
        const feeds = {};
        for (const m of meta) {
          const shape = m.name === 'x' ? [1, 3, 48, 320] : m.name === 'input' ? [1, 1536] : m.name === 'sr' ? [] : [2, 1, 64];
          const n = shape.reduce((a, b) => a * b, 1);
          feeds[m.name] = m.type === 'int64' ? new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => 16000n), shape)
            : new ort.Tensor('float32', Float32Array.from({ length: n }, () => Math.random()), shape);
        }
        const warmEnd = performance.now() + 500;
        while (performance.now() < warmEnd) await s.run(feeds);
        let n = 0; const t0 = performance.now(); const end = t0 + workerData.seconds * 1000;
        let t = t0;
        while (t < end) { await s.run(feeds); n++; t = performance.now(); }
        parentPort.postMessage({ samplesPerSec: n * workerData.batch / ((t - t0) / 1000) });
      })();`;
    const w = new Worker(src, { eval: true, workerData: { modelPath, opts, seconds, batch: c.batch, ort: require.resolve('onnxruntime-node') } });
    const r = await new Promise<{ samplesPerSec: number }>((res) => w.once('message', res));
    await w.terminate();
    console.log(JSON.stringify({ ...r, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '4' }, child: { type: 'string' }, case: { type: 'string' } } });
  if (values.child) return child(values.child as 'bare' | 'runner', Number(values.case), Number(values.seconds));
  const rounds = Number(values.rounds);
  console.log(`harness overhead: ${rounds} interleaved rounds × ${values.seconds} s per measurement, 1 instance × 1 thread, CPU provider`);
  for (let ci = 0; ci < CASES.length; ci++) {
    const ratios: number[] = [];
    const rss: number[] = [];
    const bare: number[] = [];
    const ours: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const res: Record<string, { samplesPerSec: number; maxRssBytes: number }> = {};
      const order = r % 2 === 0 ? ['bare', 'runner'] : ['runner', 'bare'];
      for (const mode of order) {
        const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, '--case', String(ci), '--seconds', String(values.seconds)], { encoding: 'utf8' });
        const line = p.stdout.trim().split('\n').pop() ?? '';
        try { res[mode] = JSON.parse(line); } catch { throw new Error(`${mode} child failed: ${p.stderr}`); }
      }
      bare.push(res.bare.samplesPerSec);
      ours.push(res.runner.samplesPerSec);
      ratios.push(res.runner.samplesPerSec / res.bare.samplesPerSec);
      rss.push((res.runner.maxRssBytes - res.bare.maxRssBytes) / 2 ** 20);
    }
    console.log(`${CASES[ci].label}: bare ${median(bare).toFixed(1)} samples/s, runner ${median(ours).toFixed(1)} samples/s; ` +
      `throughput ratio runner/bare median ${median(ratios).toFixed(3)} (rounds: ${ratios.map((x) => x.toFixed(3)).join(', ')}); ` +
      `peak RSS runner − bare median ${median(rss).toFixed(1)} MB (rounds: ${rss.map((x) => x.toFixed(1)).join(', ')})`);
  }
}

await main();
