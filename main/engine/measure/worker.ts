// Inference worker: one model instance = one worker thread with its own InferenceSession.
// The measured loop is a bare `await session.run()` plus two clock reads and one store per call;
// results leave in chunks so the loop never waits on the engine.
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { TensorInfo } from '../../common/types.ts';
import { describePlan, pinHelp, planBytes, planInputs, synthesize, type InputPlan } from './inputs.ts';
import { CTL_RUN, type FromWorker, type ToWorker, type WorkerError } from './workerProtocol.ts';

const port = parentPort!;
let session: ort.InferenceSession | null = null;
let control: Int32Array | null = null;
let seed = 1;
let feeds: Array<Record<string, ort.Tensor>> = [];
let plan: InputPlan[] = [];
let inputs: TensorInfo[] = [];

const send = (msg: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(msg, transfer ?? []);
const fail = (error: WorkerError) => send({ type: 'error', error });
const now = () => performance.timeOrigin + performance.now();

function toTensorInfo(meta: readonly unknown[]): TensorInfo[] {
  return meta.map((m) => {
    const t = m as { name: string; type?: string; shape?: Array<number | string> };
    return { name: t.name, type: t.type ?? 'unknown', shape: (t.shape ?? []).map((d) => (d === -1 ? null : d)) };
  });
}

function buildFeeds(rotation: number): Array<Record<string, ort.Tensor>> {
  const out: Array<Record<string, ort.Tensor>> = [];
  for (let r = 0; r < rotation; r++) {
    const feed: Record<string, ort.Tensor> = {};
    for (const p of plan) {
      // Constant-valued and file inputs are identical across rotations; share them.
      const data = p.source.kind === 'random' || r === 0 ? synthesize(p, seed * 7919 + r * 104729 + hash(p.name))
        : out[0][p.name].data;
      feed[p.name] = new ort.Tensor(p.type as 'float32', data as Float32Array, p.shape);
    }
    out.push(feed);
  }
  return out;
}

const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(2);

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

async function loop(flushMs: number): Promise<void> {
  const ctl = control!;
  const s = session!;
  const n = feeds.length;
  let cap = 4096;
  let ends = new Float64Array(cap);
  let lats = new Float64Array(cap);
  let k = 0;
  let runs = 0;
  let lastFlush = now();
  const flush = () => {
    send({ type: 'chunk', endsMs: ends.slice(0, k), latenciesMs: lats.slice(0, k) });
    k = 0;
  };
  try {
    while (Atomics.load(ctl, 0) === CTL_RUN) {
      const t0 = now();
      await s.run(feeds[runs % n]);
      const t1 = now();
      if (k === cap) { cap *= 2; const e = new Float64Array(cap); e.set(ends); ends = e; const l = new Float64Array(cap); l.set(lats); lats = l; }
      ends[k] = t1;
      lats[k] = t1 - t0;
      k++;
      runs++;
      if (t1 - lastFlush >= flushMs) { flush(); lastFlush = t1; }
    }
    flush();
    send({ type: 'stopped', runs });
  } catch (e) {
    flush();
    fail({ message: (e as Error).message, phase: 'run' });
  }
}

port.on('message', async (msg: ToWorker) => {
  switch (msg.type) {
    case 'init': {
      control = new Int32Array(msg.control);
      seed = msg.seed;
      const t0 = now();
      try {
        session = await ort.InferenceSession.create(msg.modelPath, msg.sessionOptions as ort.InferenceSession.SessionOptions);
      } catch (e) {
        fail({ message: (e as Error).message, phase: 'session' });
        return;
      }
      inputs = toTensorInfo(session.inputMetadata);
      send({ type: 'ready', sessionCreateMs: now() - t0, inputs, outputs: toTensorInfo(session.outputMetadata) });
      return;
    }
    case 'prepare': {
      try {
        plan = planInputs(inputs, msg.pins, msg.batch, msg.batchDims);
      } catch (e) {
        fail({ message: (e as Error).message, phase: 'prepare' });
        return;
      }
      // The guard runs on the plan, before a single feed byte is allocated.
      const feedBytes = planBytes(plan) * msg.rotation;
      if (msg.feedLimit && feedBytes > msg.feedLimit.bytes) {
        feeds = [];
        fail({ message: `batch ${msg.batch} needs ${gib(feedBytes)} GiB of input tensors per instance (${msg.rotation} rotations) but ${msg.feedLimit.why} allows ${gib(msg.feedLimit.bytes)} GiB: use a smaller batch or fewer instances`, phase: 'memory' });
        return;
      }
      if (msg.planOnly) {
        send({ type: 'prepared', firstInferenceMs: null, inputBytes: planBytes(plan), plan: describePlan(plan) });
        return;
      }
      try {
        feeds = [];
        feeds = buildFeeds(msg.rotation);
      } catch (e) {
        fail({ message: (e as Error).message, phase: 'prepare' });
        return;
      }
      const t0 = now();
      try {
        await session!.run(feeds[0]);
      } catch (e) {
        fail({
          message: `${(e as Error).message.trim()}\nInputs fed: ${describePlan(plan)}.\nIf the model rejects these synthesized inputs, ${pinHelp((e as Error).message, plan)}.`,
          phase: 'first-inference', inputs: describePlan(plan),
        });
        return;
      }
      send({ type: 'prepared', firstInferenceMs: now() - t0, inputBytes: planBytes(plan), plan: describePlan(plan) });
      return;
    }
    case 'loop':
      await loop(msg.flushMs);
      return;
    case 'runOnce': {
      try {
        const t0 = now();
        const out = await session!.run(feeds[msg.feedIndex % feeds.length]);
        const latencyMs = now() - t0;
        const outputs = msg.outputs
          ? Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { type: t.type, dims: [...t.dims], data: t.data as ArrayLike<number> }]))
          : undefined;
        send({ type: 'ranOnce', latencyMs, outputs });
      } catch (e) {
        fail({ message: (e as Error).message, phase: 'run' });
      }
      return;
    }
    case 'endProfiling': {
      try {
        session!.endProfiling();
        send({ type: 'profile', file: '' });
      } catch (e) {
        fail({ message: (e as Error).message, phase: 'run' });
      }
      return;
    }
    case 'close':
      try { await session?.release(); } catch { /* closing anyway */ }
      process.exit(0);
  }
});
