// The in-process inference server (engine side): k instance threads (one InferenceSession each),
// one generator + batcher thread, and a jitter-probe thread started next to each run. This file
// only sets things up, starts runs and collects their raw records; the hot path is entirely in
// batcherWorker.ts and instanceWorker.ts.
import { Worker } from 'node:worker_threads';
import type { InputPin } from '../../common/types.ts';
import type { BatcherConfig } from '../../common/sim/types.ts';
import { KneepointError, invalidInput } from '../../common/errors.ts';
import {
  CANCEL_FLAG, IDLE, SLOT_STATE, STOP, sharedLayout, slotBase,
  type FromBatcher, type FromInstance, type GcSummary, type RawProbeResult, type RawScheduleResult, type ToBatcher, type ToInstance,
} from './protocol.ts';
import { mergeGc, observeGc, readCpuTicks, stealPct, busyPct } from './machineNoise.ts';

const INSTANCE_URL = new URL('./instanceWorker.ts', import.meta.url);
const BATCHER_URL = new URL('./batcherWorker.ts', import.meta.url);
const JITTER_URL = new URL('./jitterWorker.ts', import.meta.url);

/** A worker with typed request/reply: replies are matched by type, errors reject the oldest waiter. */
class Channel<In extends { type: string }, Out extends { type: string }> {
  readonly worker: Worker;
  private waiters: Array<{ type: string; resolve: (m: Out) => void; reject: (e: Error) => void }> = [];
  dead: Error | null = null;
  constructor(url: URL, what: string) {
    this.worker = new Worker(url);
    this.worker.on('message', (m: Out) => {
      if (m.type === 'error') {
        const err = new KneepointError('engine', `${what}: ${(m as unknown as { message: string }).message}`);
        const w = this.waiters.shift();
        if (w) w.reject(err); else this.dead ??= err;
        return;
      }
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
    });
    const die = (e: Error) => { this.dead ??= e; for (const w of this.waiters.splice(0)) w.reject(e); };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => { if (code !== 0) die(new KneepointError('engine', `${what} exited with code ${code}`)); });
  }
  request<T extends Out['type']>(msg: In, reply: T, transfer: ArrayBuffer[] = []): Promise<Extract<Out, { type: T }>> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.waiters.push({ type: reply, resolve: resolve as (m: Out) => void, reject });
      this.worker.postMessage(msg, transfer);
    });
  }
}

export interface ServerOptions {
  modelPath: string;
  instances: number;
  /** onnxruntime-node SessionOptions as plain JSON (intra-op threads pinned here) */
  sessionOptions: Record<string, unknown>;
  pins: InputPin[];
  batchDims?: Record<string, number | null>;
  /** feeds are built for every batch size 1..maxBatch */
  maxBatch: number;
  rotation?: number;
  seed: number;
}

export interface RunOptions {
  batcher: BatcherConfig;
  /** after the last arrival, stop waiting for queued requests after this long */
  drainLimitMs: number;
  spinMs?: number;
  signal?: AbortSignal;
  /** jitter probe sleep, ms */
  jitterSleepMs?: number;
}

export interface ServedRun {
  raw: RawScheduleResult;
  /** GC pauses: instance threads and the engine's main thread */
  gc: GcSummary;
  /** timer oversleep of the jitter probe, ms */
  jitterOversleepMs: Float64Array;
  stealPct: number | null;
  cpuBusyPct: number | null;
}

export interface OverheadProbeResult {
  batch: number;
  /** mean dispatch → completion-seen per request through the batcher thread */
  servedMsPerRequest: number;
  /** mean run() inside the instance during the probe */
  runMsInServer: number;
  /** mean run() of a bare back-to-back loop (the closed-loop sweep's loop) */
  bareMsPerRequest: number;
  /** servedMsPerRequest − bareMsPerRequest: what the serving path adds per batch */
  overheadMs: number;
  rounds: number;
}

export class InferenceServer {
  private readonly instances: Array<Channel<ToInstance, FromInstance>>;
  private readonly batcher: Channel<ToBatcher, FromBatcher>;
  private readonly layout: ReturnType<typeof sharedLayout>;
  private readonly ints: Int32Array;
  readonly opts: ServerOptions;
  sessionCreateMs = 0;
  /** every input as fed (batch 1), in words: stored with load and validate runs */
  inputsFed = '';
  warmMsByBatch: Record<number, number> = {};

  private constructor(opts: ServerOptions) {
    this.opts = opts;
    this.layout = sharedLayout(opts.instances);
    this.ints = new Int32Array(this.layout.ints);
    this.instances = Array.from({ length: opts.instances }, (_, i) => new Channel<ToInstance, FromInstance>(INSTANCE_URL, `model instance ${i}`));
    this.batcher = new Channel<ToBatcher, FromBatcher>(BATCHER_URL, 'batcher');
  }

  /** Creates the k sessions (in parallel), builds feeds for batch 1..maxBatch and warms every shape. */
  static async start(opts: ServerOptions, warmRuns = 5): Promise<InferenceServer> {
    if (!(opts.maxBatch >= 1 && opts.maxBatch <= 1024)) throw invalidInput(`max batch must be between 1 and 1024 for a load test, got ${opts.maxBatch}`);
    const s = new InferenceServer(opts);
    try {
      const batches = Array.from({ length: opts.maxBatch }, (_, i) => i + 1);
      const ready = await Promise.all(s.instances.map((c, index) => c.request({
        type: 'init', index, modelPath: opts.modelPath, sessionOptions: opts.sessionOptions, pins: opts.pins, batchDims: opts.batchDims,
        batches, rotation: opts.rotation ?? 4, seed: opts.seed + index * 1000, ints: s.layout.ints, floats: s.layout.floats,
      }, 'ready')));
      s.sessionCreateMs = Math.max(...ready.map((r) => r.sessionCreateMs));
      s.inputsFed = ready[0]?.inputsFed ?? '';
      s.batcher.worker.postMessage({ type: 'init', ints: s.layout.ints, floats: s.layout.floats, instances: opts.instances } satisfies ToBatcher);
      // warm one instance at a time so warm-up timings are not contended
      for (const c of s.instances) {
        const w = await c.request({ type: 'warm', runs: warmRuns }, 'warmed');
        s.warmMsByBatch = w.meanMsByBatch;
      }
    } catch (e) {
      await s.close();
      const msg = (e as Error).message;
      if (/session|prepare|input|shape|dims/i.test(msg)) throw invalidInput(`the model could not be served: ${msg}`);
      throw e;
    }
    return s;
  }

  /** Slots must read IDLE before an instance is told to serve (a STOP left from the last run would end it at once). */
  private resetSlots(which: number[]): void {
    for (const i of which) Atomics.store(this.ints, slotBase(i) + SLOT_STATE, IDLE);
  }

  private stopInstances(which: number[]): void {
    for (const i of which) {
      Atomics.store(this.ints, slotBase(i) + SLOT_STATE, STOP);
      Atomics.notify(this.ints, slotBase(i) + SLOT_STATE);
    }
  }

  /** Serves one pre-generated schedule (ms from the run's start) and returns its raw records. */
  async runSchedule(scheduleMs: Float64Array, o: RunOptions): Promise<ServedRun> {
    if (o.batcher.instances !== this.opts.instances) throw invalidInput(`the server has ${this.opts.instances} instance(s), the batcher asks for ${o.batcher.instances}`);
    if (o.batcher.maxBatch > this.opts.maxBatch) throw invalidInput(`max batch ${o.batcher.maxBatch} exceeds the server's prepared sizes (1..${this.opts.maxBatch})`);
    Atomics.store(this.ints, CANCEL_FLAG, 0);
    const all = this.instances.map((_, i) => i);
    this.resetSlots(all);
    const served = this.instances.map((c) => c.request({ type: 'serve' }, 'served'));
    const jitterCtl = new Int32Array(new SharedArrayBuffer(4));
    const expectedMs = (scheduleMs.length ? scheduleMs[scheduleMs.length - 1] : 0) + o.drainLimitMs + 1000;
    const sleepMs = o.jitterSleepMs ?? 1;
    const jitter = new Worker(JITTER_URL, { workerData: { ints: jitterCtl.buffer, sleepMs, maxSamples: Math.ceil(expectedMs / sleepMs) + 1000 } });
    const jitterDone = new Promise<Float64Array>((resolve) => {
      jitter.once('message', (m: { oversleepMs: Float64Array }) => resolve(m.oversleepMs));
      jitter.once('error', () => resolve(new Float64Array(0)));
    });
    const gcMain = observeGc();
    const cpu0 = readCpuTicks();
    const onAbort = () => Atomics.store(this.ints, CANCEL_FLAG, 1);
    o.signal?.addEventListener('abort', onAbort);
    let raw: RawScheduleResult;
    try {
      raw = await this.batcher.request({ type: 'run', scheduleMs, batcher: o.batcher, drainLimitMs: o.drainLimitMs, spinMs: o.spinMs ?? 0 }, 'ran');
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
      this.stopInstances(all);
      Atomics.store(jitterCtl, 0, 1);
    }
    const cpu1 = readCpuTicks();
    const gcParts = (await Promise.all(served)).map((s) => s.gc);
    gcParts.push(gcMain.stop());
    const jitterOversleepMs = await jitterDone;
    await jitter.terminate();
    return { raw, gc: mergeGc(gcParts), jitterOversleepMs, stealPct: stealPct(cpu0, cpu1), cpuBusyPct: busyPct(cpu0, cpu1) };
  }

  /**
   * Serving overhead per batch: sequential requests through the batcher thread (dispatch, wake-up,
   * run, hand-back) against a bare back-to-back run() loop on the same instance, in interleaved
   * rounds (this machine's timings drift); the median round difference is reported.
   */
  async probeOverhead(batch = 1, requestsPerRound = 150, rounds = 3, gapMs = 0.5): Promise<OverheadProbeResult> {
    const served: number[] = [];
    const inServer: number[] = [];
    const bare: number[] = [];
    for (let r = 0; r < rounds; r++) {
      this.resetSlots([0]);
      const serving = this.instances[0].request({ type: 'serve' }, 'served');
      let probe: RawProbeResult;
      try {
        probe = await this.batcher.request({ type: 'probe', batch, requests: requestsPerRound, gapMs }, 'probed');
      } finally {
        this.stopInstances([0]);
      }
      await serving;
      const b = await this.instances[0].request({ type: 'bare', batch, runs: requestsPerRound }, 'bareDone');
      served.push(mean(probe.servedMs));
      inServer.push(mean(probe.runMs));
      bare.push(mean(b.runMs));
    }
    const diffs = served.map((s, i) => s - bare[i]);
    return {
      batch, servedMsPerRequest: median(served), runMsInServer: median(inServer), bareMsPerRequest: median(bare),
      overheadMs: Math.max(0, median(diffs)), rounds,
    };
  }

  async close(): Promise<void> {
    Atomics.store(this.ints, CANCEL_FLAG, 2);
    this.stopInstances(this.instances.map((_, i) => i));
    await Promise.all(this.instances.map(async (c) => {
      const exited = new Promise<void>((res) => c.worker.once('exit', () => res()));
      c.worker.postMessage({ type: 'close' } satisfies ToInstance);
      await Promise.race([exited, new Promise<void>((res) => setTimeout(res, 2000).unref())]);
      await c.worker.terminate();
    }));
    await this.batcher.worker.terminate();
  }
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : NaN;
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
