// This machine's achievable roofs, measured once per machine through onnxruntime at full threads:
// compute from a large square MatMul (2·N³ FLOPs per run), memory bandwidth from a streaming Add
// of two vectors far larger than the caches (2 reads + 1 write per element). The best of a few
// runs is kept: a roof is what the machine can reach, not what it reaches on average.
import ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { ELEM, encodeModel, graph, model, node, valueInfo } from '../onnx/protoBuild.ts';
import type { MachinePeak } from '../../common/roofline.ts';

const MATMUL_N = 1024;
const STREAM_ELEMENTS = 16 * 1024 * 1024; // 64 MiB per fp32 vector
const RUNS = 6;

function matmulModel(n: number): Uint8Array {
  const g = graph({
    name: 'peak_matmul', nodes: [node('MatMul', ['a', 'b'], ['c'])],
    inputs: [valueInfo('a', ELEM.FLOAT, [n, n]), valueInfo('b', ELEM.FLOAT, [n, n])], outputs: [valueInfo('c', ELEM.FLOAT, [n, n])],
  });
  return encodeModel(model(g, { opset: 17 }));
}

function streamModel(len: number): Uint8Array {
  const g = graph({
    name: 'peak_stream', nodes: [node('Add', ['x', 'y'], ['z'])],
    inputs: [valueInfo('x', ELEM.FLOAT, [len]), valueInfo('y', ELEM.FLOAT, [len])], outputs: [valueInfo('z', ELEM.FLOAT, [len])],
  });
  return encodeModel(model(g, { opset: 17 }));
}

function filled(len: number, seed: number): Float32Array {
  const a = new Float32Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) { s = (s * 1664525 + 1013904223) >>> 0; a[i] = (s / 2 ** 32) - 0.5; }
  return a;
}

async function bestRunMs(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, threads: number): Promise<number> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  try {
    await session.run(feeds); // warm-up: first run allocates
    let best = Infinity;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  } finally {
    await session.release();
  }
}

export async function measureMachinePeak(fingerprint: string): Promise<MachinePeak> {
  const threads = availableParallelism();
  const started = Date.now();
  const n = MATMUL_N;
  const a = new ort.Tensor('float32', filled(n * n, 1), [n, n]);
  const b = new ort.Tensor('float32', filled(n * n, 2), [n, n]);
  const mmMs = await bestRunMs(matmulModel(n), { a, b }, threads);
  const len = STREAM_ELEMENTS;
  const x = new ort.Tensor('float32', filled(len, 3), [len]);
  const y = new ort.Tensor('float32', filled(len, 4), [len]);
  const stMs = await bestRunMs(streamModel(len), { x, y }, threads);
  const flops = 2 * n ** 3;
  const streamBytes = 3 * 4 * len;
  return {
    fingerprint,
    peakGflopsPerSec: flops / (mmMs / 1000) / 1e9,
    memoryGbPerSec: streamBytes / (stMs / 1000) / 1e9,
    threads,
    method: `best of ${RUNS} runs through onnxruntime-node (CPU provider, ${threads} intra-op threads): MatMul ${n}×${n} fp32 (2·${n}³ FLOPs) in ${mmMs.toFixed(2)} ms; ` +
      `Add of two ${len / 2 ** 20}M-element fp32 vectors (3 × ${(4 * len) / 2 ** 20} MiB moved) in ${stMs.toFixed(2)} ms`,
    measuredAt: new Date().toISOString(),
    measureMs: Date.now() - started,
  };
}
