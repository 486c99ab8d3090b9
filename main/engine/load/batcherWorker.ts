// The request generator and the dynamic batcher, on one thread of their own (the engine's main
// thread is never on the hot path). The generator admits each request of the pre-generated seeded
// schedule at its scheduled time; the batcher is the same state machine the simulator drives
// (BatcherCore: admission, rejection, timeouts, batch formation, wake-ups) whenever an instance is idle, and hands them to instance threads
// through shared memory. The thread sleeps with Atomics.wait until the next scheduled arrival, the
// oldest request's delay deadline, or a completion (instances bump a shared counter), whichever
// comes first. All records are preallocated typed arrays: nothing is allocated per request.
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { BatcherCore, FATE } from '../../common/sim/batcherCore.ts';
import {
  CANCEL_FLAG, DONE, EVENT_COUNTER, F64_STRIDE, IDLE, JOB, SLOT_BATCH, SLOT_FEED, SLOT_STATE, slotBase,
  type FromBatcher, type OverheadProbe, type RawScheduleResult, type ScheduleRun, type ToBatcher,
} from './protocol.ts';

const port = parentPort!;
let ints: Int32Array;
let floats: Float64Array;
let k = 0;
const send = (m: FromBatcher, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** Longest single sleep, so a cancel request is noticed quickly. */
const MAX_SLEEP_MS = 50;

function runSchedule(msg: ScheduleRun): RawScheduleResult {
  const sched = msg.scheduleMs;
  const cfg = msg.batcher;
  const core = new BatcherCore(cfg, 4096);
  const n = sched.length;
  const spinMs = msg.spinMs;
  const admittedMs = new Float64Array(n).fill(NaN);
  const dispatchMs = new Float64Array(n).fill(NaN);
  const doneMs = new Float64Array(n).fill(NaN);
  const status = new Uint8Array(n); // FATE per request
  let next = 0;
  // at most n batches; `members` lists each batch's request ids, in dispatch order
  const members = new Int32Array(Math.max(1, n));
  let membersUsed = 0;
  const batchSize = new Int32Array(Math.max(1, n));
  const batchFirst = new Int32Array(Math.max(1, n));
  const batchStart = new Int32Array(Math.max(1, n));
  const batchInstance = new Int32Array(Math.max(1, n));
  const batchRunMs = new Float64Array(Math.max(1, n));
  const batchBusyMs = new Float64Array(Math.max(1, n));
  let batches = 0;
  // per instance: the batch it is running (-1 idle)
  const running = new Int32Array(k).fill(-1);
  let busyCount = 0;
  let feedCounter = 0;
  let cancelled = false;
  const onDrop = (id: number) => { status[id] = FATE.timedOut; };

  const t0 = performance.now() + 5;
  while (performance.now() < t0) { /* align the start */ }
  const lastArrival = n ? sched[n - 1] : 0;

  for (;;) {
    const seen = Atomics.load(ints, EVENT_COUNTER);
    let now = performance.now() - t0;

    // completions
    if (busyCount > 0) {
      for (let i = 0; i < k; i++) {
        const b = running[i];
        if (b < 0) continue;
        const base = slotBase(i);
        if (Atomics.load(ints, base + SLOT_STATE) !== DONE) continue;
        batchRunMs[b] = floats[i * F64_STRIDE];
        batchBusyMs[b] = now - dispatchMs[batchFirst[b]];
        const end = batchStart[b] + batchSize[b];
        for (let q = batchStart[b]; q < end; q++) {
          const j = members[q];
          doneMs[j] = now;
          status[j] = FATE.completed;
        }
        running[i] = -1;
        busyCount--;
        Atomics.store(ints, base + SLOT_STATE, IDLE);
      }
    }

    // the generator: admit every request whose scheduled time has come
    while (next < n && sched[next] <= now) {
      admittedMs[next] = now;
      status[next] = core.offer(next, sched[next], now, onDrop);
      next++;
    }
    core.expire(now, onDrop);

    // dispatch to idle instances, oldest requests first (not after the drain limit)
    const drained = next >= n && now > lastArrival + msg.drainLimitMs;
    if (busyCount < k && core.queued > 0 && !drained) {
      for (let i = 0; i < k && core.queued > 0; i++) {
        if (running[i] >= 0) continue;
        const m = core.decide(now);
        if (m === 0) break;
        const base = slotBase(i);
        ints[base + SLOT_BATCH] = m;
        ints[base + SLOT_FEED] = feedCounter++;
        batchSize[batches] = m;
        batchFirst[batches] = core.idAt(0);
        batchStart[batches] = membersUsed;
        batchInstance[batches] = i;
        for (let q = 0; q < m; q++) {
          const j = core.idAt(q);
          members[membersUsed++] = j;
          dispatchMs[j] = now;
          status[j] = FATE.dispatched;
        }
        core.take(m);
        running[i] = batches++;
        busyCount++;
        Atomics.store(ints, base + SLOT_STATE, JOB);
        Atomics.notify(ints, base + SLOT_STATE);
        now = performance.now() - t0;
      }
    }

    if (Atomics.load(ints, CANCEL_FLAG) !== 0) { cancelled = true; break; }
    if (next >= n && busyCount === 0 && (core.queued === 0 || drained)) break;

    // sleep until the next event
    let wakeAt = next < n ? sched[next] : Infinity;
    const batcherWake = core.wakeAtMs(busyCount < k);
    if (batcherWake < wakeAt) wakeAt = batcherWake;
    if (next >= n) wakeAt = drained ? Infinity : Math.min(wakeAt, lastArrival + msg.drainLimitMs);
    const waitMs = wakeAt - (performance.now() - t0);
    // (within spinMs of the next event: spin, re-checking completions)
    if (waitMs > spinMs) Atomics.wait(ints, EVENT_COUNTER, seen, Math.min(MAX_SLEEP_MS, waitMs - spinMs));
  }
  // a cancelled or drain-limited run: wait for batches in flight so the instances are idle again
  const waitStart = performance.now();
  while (busyCount > 0 && performance.now() - waitStart < 10_000) {
    for (let i = 0; i < k; i++) {
      if (running[i] >= 0 && Atomics.load(ints, slotBase(i) + SLOT_STATE) === DONE) {
        running[i] = -1;
        busyCount--;
        Atomics.store(ints, slotBase(i) + SLOT_STATE, IDLE);
      }
    }
    if (busyCount > 0) Atomics.wait(ints, EVENT_COUNTER, Atomics.load(ints, EVENT_COUNTER), 5);
  }
  return {
    type: 'ran', admittedMs, dispatchMs, doneMs, status,
    batchSize: batchSize.slice(0, batches), batchFirst: batchFirst.slice(0, batches), batchInstance: batchInstance.slice(0, batches),
    batchRunMs: batchRunMs.slice(0, batches), batchBusyMs: batchBusyMs.slice(0, batches),
    cancelled, wallMs: performance.now() - t0,
  };
}

/** Sequential requests through the dispatch path (one at a time, with an idle gap): the serving overhead. */
function probe(msg: OverheadProbe): { servedMs: Float64Array; runMs: Float64Array } {
  const servedMs = new Float64Array(msg.requests);
  const runMs = new Float64Array(msg.requests);
  const base = slotBase(0);
  const gapCell = new Int32Array(new SharedArrayBuffer(4));
  for (let r = 0; r < msg.requests; r++) {
    if (msg.gapMs > 0) Atomics.wait(gapCell, 0, 0, msg.gapMs);
    const seen = Atomics.load(ints, EVENT_COUNTER);
    ints[base + SLOT_BATCH] = msg.batch;
    ints[base + SLOT_FEED] = r;
    const t0 = performance.now();
    Atomics.store(ints, base + SLOT_STATE, JOB);
    Atomics.notify(ints, base + SLOT_STATE);
    let s = seen;
    while (Atomics.load(ints, base + SLOT_STATE) !== DONE) {
      Atomics.wait(ints, EVENT_COUNTER, s, MAX_SLEEP_MS);
      s = Atomics.load(ints, EVENT_COUNTER);
    }
    servedMs[r] = performance.now() - t0;
    runMs[r] = floats[0];
    Atomics.store(ints, base + SLOT_STATE, IDLE);
  }
  return { servedMs, runMs };
}

port.on('message', (msg: ToBatcher) => {
  try {
    if (msg.type === 'init') {
      ints = new Int32Array(msg.ints);
      floats = new Float64Array(msg.floats);
      k = msg.instances;
      return;
    }
    if (msg.type === 'run') {
      const r = runSchedule(msg);
      send(r, [r.admittedMs.buffer, r.dispatchMs.buffer, r.doneMs.buffer, r.status.buffer, r.batchSize.buffer, r.batchFirst.buffer,
        r.batchInstance.buffer, r.batchRunMs.buffer, r.batchBusyMs.buffer] as ArrayBuffer[]);
      return;
    }
    if (msg.type === 'probe') {
      const r = probe(msg);
      send({ type: 'probed', ...r }, [r.servedMs.buffer, r.runMs.buffer] as ArrayBuffer[]);
    }
  } catch (e) {
    send({ type: 'error', message: (e as Error).message });
  }
});
