import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatcherCore, FATE, formBatch } from '../../main/common/sim/batcherCore.ts';
import type { BatcherConfig } from '../../main/common/sim/types.ts';

/** Drives formBatch over a hand-written schedule with instant service of `serviceMs` and one instance. */
function trace(cfg: BatcherConfig, arrivals: number[], serviceMs: number) {
  const core = new BatcherCore(cfg, 4);
  const cursor = { next: 0 };
  const out = { size: 0 };
  const fates: string[] = arrivals.map(() => 'pending');
  const batches: Array<{ at: number; ids: number[] }> = [];
  let free = 0;
  for (;;) {
    const t = formBatch(core, free, (i) => (i < arrivals.length ? arrivals[i] : Infinity), cursor, out,
      (id) => { fates[id] = 'rejected'; }, (id) => { fates[id] = 'timed-out'; });
    if (out.size === 0) break;
    const ids: number[] = [];
    for (let i = 0; i < out.size; i++) { ids.push(core.idAt(i)); fates[core.idAt(i)] = 'dispatched'; }
    core.take(out.size);
    batches.push({ at: t, ids });
    free = t + serviceMs;
  }
  return { batches, fates };
}

describe('BatcherCore: the one dynamic-batcher state machine', () => {
  it('sends the immediate size at once and waits maxDelayMs otherwise (hand-worked trace)', () => {
    // B=4, D=2: arrivals at 0,0.5,1,1.5 fill a batch at 1.5; 10 waits alone until 12; 20,20.5 go at 22
    const r = trace({ maxBatch: 4, maxDelayMs: 2, instances: 1 }, [0, 0.5, 1, 1.5, 10, 20, 20.5], 1);
    assert.deepEqual(r.batches, [{ at: 1.5, ids: [0, 1, 2, 3] }, { at: 12, ids: [4] }, { at: 22, ids: [5, 6] }]);
  });

  it('uses the largest preferred size that can be formed when the delay expires', () => {
    // preferred [2,4], B=8: the immediate size is 4; 3 queued at the deadline → a batch of 2, then 1 more later
    const r = trace({ maxBatch: 8, maxDelayMs: 1, preferredBatch: [2, 4], instances: 1 }, [0, 0.1, 0.2], 5);
    assert.deepEqual(r.batches.map((b) => b.ids), [[0, 1], [2]]);
    assert.equal(r.batches[0].at, 1);
    // the third request waited for the instance (free at 6), past its own deadline
    assert.equal(r.batches[1].at, 6);
  });

  it('rejects arrivals that find maxQueue requests queued', () => {
    // one instance busy 10 ms from t=0; queue of 2: arrivals 3 and 4 find it full
    const r = trace({ maxBatch: 1, maxDelayMs: 0, maxQueue: 2, instances: 1 }, [0, 1, 2, 3, 4], 10);
    assert.deepEqual(r.fates, ['dispatched', 'dispatched', 'dispatched', 'rejected', 'rejected']);
    assert.deepEqual(r.batches.map((b) => b.at), [0, 10, 20]);
  });

  it('drops requests that waited longer than timeoutMs, and never during execution', () => {
    // service 10 ms; request 1 (t=1) waits until 10 > 1 + 5 → timed out; request 2 (t=8) is sent at 10
    const r = trace({ maxBatch: 1, maxDelayMs: 0, timeoutMs: 5, instances: 1 }, [0, 1, 8], 10);
    assert.deepEqual(r.fates, ['dispatched', 'timed-out', 'dispatched']);
    assert.deepEqual(r.batches.map((b) => [b.at, b.ids[0]]), [[0, 0], [10, 2]]);
  });

  it('wake-up: the head delay deadline only while an instance is idle, the timeout always', () => {
    const core = new BatcherCore({ maxBatch: 4, maxDelayMs: 2, timeoutMs: 7, instances: 1 });
    assert.equal(core.wakeAtMs(true), Infinity);
    assert.equal(core.offer(0, 3, 3), FATE.pending);
    assert.equal(core.decide(4), 0);
    assert.equal(core.wakeAtMs(true), 5);
    assert.equal(core.wakeAtMs(false), 10);
    assert.equal(core.decide(5), 1);
    const dropped: number[] = [];
    assert.equal(core.expire(10.5, (id) => dropped.push(id)), 1);
    assert.deepEqual(dropped, [0]);
    assert.equal(core.queued, 0);
  });

  it('keeps FIFO order across ring-buffer growth', () => {
    const core = new BatcherCore({ maxBatch: 64, maxDelayMs: 1000, instances: 1 }, 16);
    for (let i = 0; i < 40; i++) core.offer(i, i, i);
    core.take(5);
    for (let i = 40; i < 100; i++) core.offer(i, i, i);
    assert.equal(core.queued, 95);
    const ids = Array.from({ length: core.queued }, (_, i) => core.idAt(i));
    assert.deepEqual(ids, Array.from({ length: 95 }, (_, i) => i + 5));
    assert.equal(core.decide(100), 64);
  });
});
