// The arrival and dynamic-batcher flags shared by `load` (real traffic) and `predict` (simulated),
// declared and parsed once so both commands read the same way.
import type { Command } from 'commander';
import { intList, num } from './parseFlags.ts';

export interface TrafficFlags {
  rate?: string; arrival: string; maxBatch: string; maxDelayMs: string; preferredBatch?: string; maxQueue?: string; timeoutMs?: string;
}

export function addTrafficOptions(cmd: Command): Command {
  return cmd
    .option('--rate <perSec>', 'mean arrival rate, requests per second')
    .option('--arrival <kind>', 'constant | poisson | gamma:CV | onoff:ON_MS/OFF_MS[/FACTOR] | trace:FILE', 'poisson')
    .option('--max-batch <B>', 'dynamic batcher: max batch size', '1')
    .option('--max-delay-ms <D>', 'dynamic batcher: max queue delay, ms', '0')
    .option('--preferred-batch <list>', 'dynamic batcher: preferred batch sizes, e.g. 4,8')
    .option('--max-queue <n>', 'reject arrivals when this many requests are queued')
    .option('--timeout-ms <ms>', 'drop requests that waited longer than this in the queue');
}

export function parseTrafficFlags(o: TrafficFlags) {
  return {
    rate: num('--rate', o.rate, { min: 0 }), arrival: o.arrival,
    maxBatch: num('--max-batch', o.maxBatch, { min: 1, integer: true }), maxDelayMs: num('--max-delay-ms', o.maxDelayMs, { min: 0 }),
    preferredBatch: intList('--preferred-batch', o.preferredBatch), maxQueue: num('--max-queue', o.maxQueue, { min: 1, integer: true }),
    timeoutMs: num('--timeout-ms', o.timeoutMs, { min: 0 }),
  };
}
