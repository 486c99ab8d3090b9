// One model instance of the in-process inference server: its own InferenceSession, feeds built once
// per batch size (cached, rotated), and a serve loop that sleeps on its shared slot (Atomics.wait)
// until the batcher hands it a batch, runs it, and signals completion on the shared counter.
import { parentPort } from 'node:worker_threads';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { TensorInfo } from '../../common/types.ts';
import { planInputs, synthesize, describePlan, PIN_HELP } from '../measure/inputs.ts';
import {
  CANCEL_FLAG, DONE, EVENT_COUNTER, F64_STRIDE, JOB, SLOT_BATCH, SLOT_FEED, SLOT_STATE, STOP, slotBase,
  type FromInstance, type GcSummary, type InstanceInit, type ToInstance,
} from './protocol.ts';

const port = parentPort!;
let session: ort.InferenceSession | null = null;
let init: InstanceInit | null = null;
let ints: Int32Array;
let floats: Float64Array;
/** feeds[batch][rotation] */
const feeds = new Map<number, Array<Record<string, ort.Tensor>>>();
const gc: GcSummary = { count: 0, totalMs: 0, maxMs: 0 };

const send = (m: FromInstance, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.totalMs += e.duration;
    if (e.duration > gc.maxMs) gc.maxMs = e.duration;
  }
}).observe({ entryTypes: ['gc'] });

function toTensorInfo(meta: readonly unknown[]): TensorInfo[] {
  return meta.map((m) => {
    const t = m as { name: string; type?: string; shape?: Array<number | string> };
    return { name: t.name, type: t.type ?? 'unknown', shape: (t.shape ?? []).map((d) => (d === -1 ? null : d)) };
  });
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

function buildFeeds(inputs: TensorInfo[], batch: number): Array<Record<string, ort.Tensor>> {
  const i = init!;
  const plan = planInputs(inputs, i.pins, batch, i.batchDims);
  const out: Array<Record<string, ort.Tensor>> = [];
  for (let r = 0; r < i.rotation; r++) {
    const feed: Record<string, ort.Tensor> = {};
    for (const p of plan) {
      const data = p.source.kind === 'random' || r === 0 ? synthesize(p, i.seed * 7919 + r * 104729 + batch * 31 + hash(p.name)) : out[0][p.name].data;
      feed[p.name] = new ort.Tensor(p.type as 'float32', data as Float32Array, p.shape);
    }
    out.push(feed);
  }
  return out;
}

async function serve(): Promise<number> {
  const s = session!;
  const base = slotBase(init!.index);
  const f = init!.index * F64_STRIDE;
  let jobs = 0;
  for (;;) {
    let st = Atomics.load(ints, base + SLOT_STATE);
    while (st !== JOB && st !== STOP) {
      // bounded wait so a cancelled run can never strand this thread
      Atomics.wait(ints, base + SLOT_STATE, st, 200);
      if (Atomics.load(ints, CANCEL_FLAG) === 2) return jobs;
      st = Atomics.load(ints, base + SLOT_STATE);
    }
    if (st === STOP) return jobs;
    const m = ints[base + SLOT_BATCH];
    const rot = feeds.get(m)!;
    const feed = rot[ints[base + SLOT_FEED] % rot.length];
    const t0 = performance.now();
    await s.run(feed);
    floats[f] = performance.now() - t0;
    jobs++;
    Atomics.store(ints, base + SLOT_STATE, DONE);
    Atomics.add(ints, EVENT_COUNTER, 1);
    Atomics.notify(ints, EVENT_COUNTER);
  }
}

port.on('message', async (msg: ToInstance) => {
  try {
    switch (msg.type) {
      case 'init': {
        init = msg;
        ints = new Int32Array(msg.ints);
        floats = new Float64Array(msg.floats);
        const t0 = performance.now();
        try {
          session = await ort.InferenceSession.create(msg.modelPath, msg.sessionOptions as ort.InferenceSession.SessionOptions);
        } catch (e) {
          send({ type: 'error', message: (e as Error).message, phase: 'session' });
          return;
        }
        const inputs = toTensorInfo(session.inputMetadata);
        try {
          for (const b of msg.batches) feeds.set(b, buildFeeds(inputs, b));
        } catch (e) {
          send({ type: 'error', message: (e as Error).message, phase: 'prepare' });
          return;
        }
        send({ type: 'ready', sessionCreateMs: performance.now() - t0, inputsFed: describePlan(planInputs(inputs, msg.pins, 1, msg.batchDims)) });
        return;
      }
      case 'warm': {
        const meanMsByBatch: Record<number, number> = {};
        for (const [b, rot] of feeds) {
          try {
            await session!.run(rot[0]);
          } catch (e) {
            send({ type: 'error', message: `${(e as Error).message.trim()} (batch ${b}; inputs ${describePlan(planInputs(toTensorInfo(session!.inputMetadata), init!.pins, b, init!.batchDims))}). If the model rejects these synthesized inputs, ${PIN_HELP}.`, phase: 'prepare' });
            return;
          }
          const t0 = performance.now();
          for (let r = 0; r < msg.runs; r++) await session!.run(rot[r % rot.length]);
          meanMsByBatch[b] = (performance.now() - t0) / Math.max(1, msg.runs);
        }
        send({ type: 'warmed', meanMsByBatch });
        return;
      }
      case 'serve': {
        gc.count = 0; gc.totalMs = 0; gc.maxMs = 0;
        const jobs = await serve();
        // let pending gc entries reach the observer before reporting
        await new Promise((r) => setImmediate(r));
        send({ type: 'served', jobs, gc: { ...gc } });
        return;
      }
      case 'bare': {
        const rot = feeds.get(msg.batch)!;
        const out = new Float64Array(msg.runs);
        for (let r = 0; r < msg.runs; r++) {
          const t0 = performance.now();
          await session!.run(rot[r % rot.length]);
          out[r] = performance.now() - t0;
        }
        send({ type: 'bareDone', runMs: out }, [out.buffer as ArrayBuffer]);
        return;
      }
      case 'close':
        try { await session?.release(); } catch { /* closing anyway */ }
        process.exit(0);
    }
  } catch (e) {
    send({ type: 'error', message: (e as Error).message, phase: 'run' });
  }
});
