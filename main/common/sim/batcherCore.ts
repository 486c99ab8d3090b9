// The dynamic batcher as one state machine, driven by all three of its users: the simulator
// (simulate.ts), the Learn stepper (learn/queueStepper.ts) and the real in-process server
// (engine/load/batcherWorker.ts). Every rule of admission, queue-full rejection, queue timeout,
// batch formation and the next wake-up lives here once; a driver only supplies the clock (simulated
// or real) and says when an instance is idle. Pure TypeScript, allocation-free on the hot path
// (a growable ring buffer of request ids and their arrival times).
//
// Rules (Triton's dynamic batcher, PLANNER.md):
//  - offer(id, arrival, now): heads that have waited longer than timeoutMs at `now` are dropped
//    (fate timed-out) first; then the arrival is rejected when maxQueue requests are queued,
//    otherwise queued (FIFO).
//  - decide(now): for one idle instance, the number of oldest requests to send now, or 0 to wait
//    (batchPolicy.ts: the immediate size at once, else once the oldest has waited maxDelayMs).
//  - wakeAtMs(now, idle): when the batcher must look again without a new arrival or completion:
//    the oldest request's delay deadline (only if an instance is idle) or its timeout.
import { expiredBatchSizeTable, immediateBatchSize, validateBatcher } from './batchPolicy.ts';
import type { BatcherConfig } from './types.ts';

/** What happened to a request (stored as a byte by the real server). */
export const FATE = {
  /** not yet arrived, or queued */
  pending: 0,
  /** its batch ran to completion */
  completed: 1,
  /** refused on arrival: the queue held maxQueue requests */
  rejected: 2,
  /** dropped from the queue after waiting longer than timeoutMs */
  timedOut: 3,
  /** sent to an instance, not yet finished */
  dispatched: 4,
} as const;
export type Fate = (typeof FATE)[keyof typeof FATE];

/** Called for each request dropped from the queue (timed out), oldest first. */
export type DropHandler = (id: number, arrivalMs: number, atMs: number) => void;

const noDrop: DropHandler = () => {};

export class BatcherCore {
  readonly config: BatcherConfig;
  private readonly immediate: number;
  private readonly expired: Int32Array;
  private readonly delayMs: number;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private ids: Int32Array;
  private arrivals: Float64Array;
  private mask: number;
  private head = 0;
  private size = 0;

  constructor(config: BatcherConfig, initialCapacity = 1024) {
    validateBatcher(config);
    this.config = config;
    this.immediate = immediateBatchSize(config);
    this.expired = expiredBatchSizeTable(config);
    this.delayMs = config.maxDelayMs;
    this.timeoutMs = config.timeoutMs ?? Infinity;
    this.maxQueue = config.maxQueue ?? Infinity;
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.ids = new Int32Array(cap);
    this.arrivals = new Float64Array(cap);
    this.mask = cap - 1;
  }

  /** Requests queued (admitted, not yet sent). */
  get queued(): number {
    return this.size;
  }

  /** Arrival time of the i-th oldest queued request (0 = the head). */
  arrivalAt(i: number): number {
    return this.arrivals[(this.head + i) & this.mask];
  }

  /** Id of the i-th oldest queued request (0 = the head). */
  idAt(i: number): number {
    return this.ids[(this.head + i) & this.mask];
  }

  /** Drops every head that has waited longer than timeoutMs at `nowMs`; returns how many. */
  expire(nowMs: number, onDrop: DropHandler = noDrop): number {
    const T = this.timeoutMs;
    if (T === Infinity) return 0;
    let dropped = 0;
    while (this.size > 0) {
      const at = this.arrivals[this.head];
      if (!(at + T < nowMs)) break;
      onDrop(this.ids[this.head], at, nowMs);
      this.head = (this.head + 1) & this.mask;
      this.size--;
      dropped++;
    }
    return dropped;
  }

  /** An arrival seen at `nowMs` (its scheduled time is `arrivalMs`): queued or rejected. */
  offer(id: number, arrivalMs: number, nowMs: number, onDrop: DropHandler = noDrop): Fate {
    this.expire(nowMs, onDrop);
    if (this.size >= this.maxQueue) return FATE.rejected;
    if (this.size > this.mask) this.grow();
    const at = (this.head + this.size) & this.mask;
    this.ids[at] = id;
    this.arrivals[at] = arrivalMs;
    this.size++;
    return FATE.pending;
  }

  /** For one idle instance at `nowMs`: how many of the oldest requests to send now (0 = wait). */
  decide(nowMs: number): number {
    const q = this.size;
    if (q === 0) return 0;
    if (q >= this.immediate) return this.immediate;
    return this.arrivals[this.head] + this.delayMs <= nowMs ? this.expired[q] : 0;
  }

  /** Removes the m oldest requests (the batch just sent; read them with idAt/arrivalAt first). */
  take(m: number): void {
    this.head = (this.head + m) & this.mask;
    this.size -= m;
  }

  /**
   * When to look again if nothing arrives or finishes: the head's delay deadline (only useful when an
   * instance is idle) or its timeout, whichever is first; Infinity with an empty queue.
   */
  wakeAtMs(instanceIdle: boolean): number {
    if (this.size === 0) return Infinity;
    const head = this.arrivals[this.head];
    const deadline = instanceIdle ? head + this.delayMs : Infinity;
    const timeout = head + this.timeoutMs;
    return deadline < timeout ? deadline : timeout;
  }

  private grow(): void {
    const cap = this.ids.length * 2;
    const ids = new Int32Array(cap);
    const arrivals = new Float64Array(cap);
    for (let i = 0; i < this.size; i++) {
      ids[i] = this.ids[(this.head + i) & this.mask];
      arrivals[i] = this.arrivals[(this.head + i) & this.mask];
    }
    this.ids = ids;
    this.arrivals = arrivals;
    this.mask = cap - 1;
    this.head = 0;
  }
}

/** Where simulated arrivals come from: the time of arrival i (Infinity past the last one). */
export type ArrivalSource = (i: number) => number;

/** The discrete-event drivers' cursor over the arrival schedule. */
export interface ArrivalCursor {
  /** index of the next request that has not arrived yet */
  next: number;
}

/**
 * The discrete-event form of the step (simulator and Learn stepper): an instance is free at
 * `freeAtMs`; arrivals up to the dispatch time are offered in order (`onReject` for refusals), and
 * time advances to the next arrival or delay deadline until decide() sends a batch. Returns the
 * dispatch time and writes the batch size into `out.size` (0 when no request is left at all).
 */
export function formBatch(core: BatcherCore, freeAtMs: number, arrivalAt: ArrivalSource, cursor: ArrivalCursor,
  out: { size: number }, onReject: (id: number, atMs: number) => void, onDrop: DropHandler = noDrop): number {
  let t = freeAtMs;
  for (;;) {
    let na = arrivalAt(cursor.next);
    while (na <= t) {
      const id = cursor.next++;
      if (core.offer(id, na, na, onDrop) === FATE.rejected) onReject(id, na);
      na = arrivalAt(cursor.next);
    }
    core.expire(t, onDrop);
    if (core.queued === 0) {
      if (na === Infinity) { out.size = 0; return t; }
      t = na; // idle until the next arrival
      continue;
    }
    const m = core.decide(t);
    if (m > 0) { out.size = m; return t; }
    // the next event: an arrival, or the head's delay deadline (a timeout alone never dispatches:
    // timed-out heads are dropped when the batcher next looks)
    const deadline = core.arrivalAt(0) + core.config.maxDelayMs;
    t = na <= deadline ? na : deadline;
  }
}
