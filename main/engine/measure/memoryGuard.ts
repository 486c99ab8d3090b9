// How many bytes of input tensors a point may allocate: half the memory free now, shared by the
// point's instances. The worker checks its plan against this before allocating (worker.ts).
import { freemem } from 'node:os';
import type { FeedLimit } from './workerProtocol.ts';

export const FEED_SHARE_OF_FREE_MEMORY = 0.5;

export function feedLimitPerInstance(instances: number, freeBytes: number = freemem()): FeedLimit {
  const bytes = (freeBytes * FEED_SHARE_OF_FREE_MEMORY) / instances;
  return { bytes, why: `half the free memory (${(freeBytes / 2 ** 30).toFixed(1)} GiB) shared by ${instances} instance(s)` };
}
