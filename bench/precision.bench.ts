// fp32 vs fp16 vs int8 on a MatMul-heavy MLP (x[32,512] → 1024 → 1024 → 1024 → 512), CPU provider.
// Interleaved rounds (every variant once per round, order rotated) so machine noise hits all of them
// alike; prints per-variant medians of per-run latency, ratios against fp32 and the accuracy figures.
// No pass/fail. Run: npx node bench/precision.bench.ts [rounds] [runsPerRound] [threads]
import ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { ELEM, encodeModel, floatTensor, graph, model, node, valueInfo } from '../main/engine/onnx/protoBuild.ts';
import { convertToFp16, convertWeightsToFp16 } from '../main/engine/onnx/fp16.ts';
import { quantizeDynamicInt8 } from '../main/engine/onnx/int8.ts';
import { compareOutputs } from '../main/engine/measure/accuracy.ts';
import type { AccuracyResult } from '../main/common/types.ts';
import { createRng } from '../main/common/stats/rng.ts';

const rounds = Number(process.argv[2] ?? 7);
const runsPerRound = Number(process.argv[3] ?? 10);
const threads = Number(process.argv[4] ?? 1);
const batch = 32;
const widths = [512, 1024, 1024, 1024, 512];

/** Uniform draws in [−1, 1) from the project's seeded generator. */
function rng(seed: number): () => number {
  const u = createRng(seed);
  return () => u() * 2 - 1;
}

function mlp(): ModelProto {
  const r = rng(7);
  const nodes = [];
  const inits = [];
  let prev = 'x';
  for (let i = 0; i + 1 < widths.length; i++) {
    const [k, n] = [widths[i], widths[i + 1]];
    const w = Float32Array.from({ length: k * n }, () => r() * Math.sqrt(3 / k));
    inits.push(floatTensor(`w${i}`, [k, n], w), floatTensor(`b${i}`, [n], Float32Array.from({ length: n }, () => r() * 0.1)));
    const last = i + 2 === widths.length;
    nodes.push(node('MatMul', [prev, `w${i}`], [`mm${i}`], [], { name: `mm${i}` }));
    nodes.push(node('Add', [`mm${i}`, `b${i}`], [last ? 'y' : `a${i}`]));
    if (!last) nodes.push(node('Relu', [`a${i}`], [`h${i}`]));
    prev = `h${i}`;
  }
  return model(graph({ nodes, inputs: [valueInfo('x', ELEM.FLOAT, ['N', widths[0]])], outputs: [valueInfo('y', ELEM.FLOAT, ['N', widths.at(-1)!])], initializers: inits }), { opset: 13 });
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const base = mlp();
const variants: Array<[string, Uint8Array]> = [
  ['fp32', encodeModel(base)],
  ['fp16', encodeModel(convertToFp16(base))],
  ['fp16-weights', encodeModel(convertWeightsToFp16(base))],
  ['int8', encodeModel(quantizeDynamicInt8(base).model)],
  ['int8-per-channel', encodeModel(quantizeDynamicInt8(base, { perChannel: true }).model)],
  ['int8 (contrib op)', encodeModel(quantizeDynamicInt8(base, { form: 'contrib' }).model)],
];
const r = rng(11);
const feeds = Array.from({ length: 4 }, () => ({ x: new ort.Tensor('float32', Float32Array.from({ length: batch * widths[0] }, r), [batch, widths[0]]) }));
const sessions = await Promise.all(variants.map(([, bytes]) => ort.InferenceSession.create(bytes, {
  executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
})));

// accuracy against fp32 on the same feeds
const ref = [];
for (const f of feeds) ref.push(await sessions[0].run(f));
const accuracy: AccuracyResult[] = [];
for (const s of sessions) {
  const outs = [];
  for (const f of feeds) outs.push(await s.run(f));
  accuracy.push(compareOutputs(ref[0], outs[0]));
}

for (const s of sessions) for (let i = 0; i < 3; i++) await s.run(feeds[i % feeds.length]); // warm-up
const perRoundMs: number[][] = variants.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (let j = 0; j < sessions.length; j++) {
    const v = (j + round) % sessions.length;
    const times: number[] = [];
    for (let k = 0; k < runsPerRound; k++) {
      const t0 = performance.now();
      await sessions[v].run(feeds[k % feeds.length]);
      times.push(performance.now() - t0);
    }
    perRoundMs[v].push(median(times));
  }
}

const fp32Ms = median(perRoundMs[0]);
console.log(`precision bench: MLP ${widths.join('×')}, batch ${batch}, ${threads} intra-op thread(s), ${rounds} interleaved rounds × ${runsPerRound} runs`);
console.log('variant              size MB   median ms   vs fp32 (speed-up)   round medians min..max   cosine    maxAbsErr');
variants.forEach(([name, bytes], i) => {
  const m = median(perRoundMs[i]);
  console.log(`${name.padEnd(20)} ${(bytes.byteLength / 1e6).toFixed(1).padStart(7)}   ${m.toFixed(2).padStart(9)}   ${(fp32Ms / m).toFixed(2).padStart(8)}x`
    + `             ${Math.min(...perRoundMs[i]).toFixed(1)}..${Math.max(...perRoundMs[i]).toFixed(1)}`.padEnd(28)
    + `${accuracy[i].cosine.toFixed(5)}   ${accuracy[i].maxAbsErr.toExponential(2)}`);
});
for (const s of sessions) await s.release();
