// A pool of k inference workers (model instances), each with its own session and intra-op threads.
import { Worker } from 'node:worker_threads';
import type { InputPin, TensorInfo } from '../../common/types.ts';
import { CTL_IDLE, CTL_RUN, CTL_STOP, type FeedLimit, type FromWorker, type ToWorker, type WorkerError } from './workerProtocol.ts';

const WORKER_URL = new URL('./worker.ts', import.meta.url);

export class WorkerFailure extends Error {
  readonly phase: WorkerError['phase'];
  constructor(err: WorkerError) {
    super(err.message);
    this.phase = err.phase;
  }
}

type Chunk = { endsMs: Float64Array; latenciesMs: Float64Array };

class Instance {
  readonly worker: Worker;
  private waiters: Array<{ type: FromWorker['type']; resolve: (m: FromWorker) => void; reject: (e: Error) => void }> = [];
  onChunk: ((c: Chunk, index: number) => void) | null = null;
  dead: Error | null = null;

  readonly index: number;

  constructor(index: number) {
    this.index = index;
    this.worker = new Worker(WORKER_URL);
    this.worker.on('message', (m: FromWorker) => this.dispatch(m));
    this.worker.on('error', (e) => this.die(e));
    this.worker.on('exit', (code) => { if (code !== 0) this.die(new Error(`inference worker exited with code ${code}`)); });
  }

  private die(e: Error): void {
    this.dead ??= e;
    for (const w of this.waiters.splice(0)) w.reject(e);
  }

  private dispatch(m: FromWorker): void {
    if (m.type === 'chunk') { this.onChunk?.(m, this.index); return; }
    if (m.type === 'error') {
      const w = this.waiters.shift();
      const err = new WorkerFailure(m.error);
      if (w) w.reject(err); else this.die(err);
      return;
    }
    const i = this.waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
  }

  request<T extends FromWorker['type']>(msg: ToWorker | null, reply: T): Promise<Extract<FromWorker, { type: T }>> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.waiters.push({ type: reply, resolve: resolve as (m: FromWorker) => void, reject });
      if (msg) this.worker.postMessage(msg);
    });
  }
}

export interface PoolOptions {
  modelPath: string;
  instances: number;
  sessionOptions: Record<string, unknown>;
  seed: number;
}

export class InstancePool {
  private readonly control = new SharedArrayBuffer(4);
  private readonly ctl = new Int32Array(this.control);
  private readonly members: Instance[];
  inputs: TensorInfo[] = [];
  outputs: TensorInfo[] = [];
  sessionCreateMs = 0;

  private readonly opts: PoolOptions;

  constructor(opts: PoolOptions) {
    this.opts = opts;
    this.members = Array.from({ length: opts.instances }, (_, i) => new Instance(i));
  }

  /** Create every instance's session (in parallel, like a server loading k model instances). */
  async init(): Promise<void> {
    const ready = await Promise.all(this.members.map((m, i) => m.request({
      type: 'init', modelPath: this.opts.modelPath, sessionOptions: this.opts.sessionOptions, control: this.control,
      seed: this.opts.seed + i * 1000,
    }, 'ready')));
    this.inputs = ready[0].inputs;
    this.outputs = ready[0].outputs;
    this.sessionCreateMs = Math.max(...ready.map((r) => r.sessionCreateMs));
  }

  /** Build inputs for a batch size and run each instance once (first inference at this shape). */
  async prepare(batch: number, pins: InputPin[], rotation: number, batchDims?: Record<string, number | null>, opts: { planOnly?: boolean; feedLimit?: FeedLimit } = {}):
    Promise<{ firstInferenceMs: number | null; inputBytes: number; plan: string }> {
    const r = await Promise.all(this.members.map((m) => m.request({ type: 'prepare', batch, pins, rotation, batchDims, ...opts }, 'prepared')));
    const firsts = r.map((x) => x.firstInferenceMs).filter((x): x is number => x !== null);
    return { firstInferenceMs: firsts.length ? Math.max(...firsts) : null, inputBytes: r[0].inputBytes, plan: r[0].plan };
  }

  /** Start every instance running back-to-back; completions stream to onChunk. */
  startLoop(onChunk: (c: Chunk, instance: number) => void, flushMs = 50): Promise<number> {
    Atomics.store(this.ctl, 0, CTL_RUN);
    const stopped = this.members.map((m) => {
      m.onChunk = onChunk;
      return m.request({ type: 'loop', flushMs }, 'stopped');
    });
    return Promise.all(stopped).then((s) => s.reduce((a, b) => a + b.runs, 0));
  }

  /** Ask the loops to stop after their current run. */
  stopLoop(): void {
    Atomics.store(this.ctl, 0, CTL_STOP);
  }

  resetControl(): void {
    Atomics.store(this.ctl, 0, CTL_IDLE);
    for (const m of this.members) m.onChunk = null;
  }

  async runOnce(instance: number, feedIndex: number, outputs = false) {
    return this.members[instance].request({ type: 'runOnce', feedIndex, outputs }, 'ranOnce');
  }

  async endProfiling(): Promise<void> {
    await Promise.all(this.members.map((m) => m.request({ type: 'endProfiling' }, 'profile')));
  }

  /** false once any worker died (crash, exit): the pool must be replaced */
  get alive(): boolean {
    return this.members.every((m) => !m.dead);
  }

  get size(): number {
    return this.members.length;
  }

  /** Terminate every worker; `graceMs` lets a worker release its session first. */
  async close(graceMs = 2000): Promise<void> {
    Atomics.store(this.ctl, 0, CTL_STOP);
    await Promise.all(this.members.map(async (m) => {
      if (m.dead) { await m.worker.terminate(); return; }
      const exited = new Promise<void>((res) => m.worker.once('exit', () => res()));
      m.worker.postMessage({ type: 'close' } satisfies ToWorker);
      const timer = new Promise<void>((res) => setTimeout(res, graceMs).unref());
      await Promise.race([exited, timer]);
      await m.worker.terminate();
    }));
  }
}
