// `kneepoint load`: real open-loop load through the in-process inference server.
import type { Command } from 'commander';
import { addTrafficOptions, parseTrafficFlags, type TrafficFlags } from '../trafficFlags.ts';
import { withApi, globals, runJob } from '../openEngine.ts';
import { num, parseInputPins } from '../parseFlags.ts';
import { addConfigOptions, addInputAndNameOptions, MODEL_HELP, parseConfigFlags, type ConfigFlags } from '../configFlags.ts';
import { loadSpecSchema } from '../../common/schemas.ts';
import { parseArgs } from '../../engine/argParse.ts';
import type { LoadResult } from '../../common/loadTypes.ts';
import { ms, printJson, rate, table } from '../format.ts';

interface LoadFlags extends TrafficFlags, ConfigFlags {
  model?: string; seconds: string; repeat: string;
  seed: string; sla?: string; input?: string[]; name?: string; target?: string;
}

/** The `--json` shape: the documented fields first, then everything else. */
export function loadJson(r: LoadResult): Record<string, unknown> {
  const { runId, latencyMs, p99CiMs, samplesPerSec, requestsPerSec, meanBatchSize, batchSizes, queueWaitMs, generatorLagMs, rejected, timedOut, valid, ...rest } = r;
  return { runId, latencyMs, p99CiMs, samplesPerSec, requestsPerSec, meanBatchSize, batchSizes, queueWaitMs, generatorLagMs, rejected, timedOut, valid, ...rest };
}

export function printLoad(r: LoadResult): void {
  const b = r.batcher;
  console.log(`load run ${r.runId} — ${r.model}${r.target ? ` on target ${r.target}` : ''}, ${r.arrival} at ${r.ratePerSec}/s for ${r.seconds} s × ${r.repetitions.length} repetition(s), seed ${r.seed}`);
  console.log(`batcher: max batch ${b.maxBatch}, max delay ${b.maxDelayMs} ms${b.preferredBatch ? `, preferred ${b.preferredBatch.join(',')}` : ''}${b.maxQueue ? `, max queue ${b.maxQueue}` : ''}${b.timeoutMs ? `, timeout ${b.timeoutMs} ms` : ''}; ${b.instances} instance(s) × ${r.threads} thread(s)`);
  console.log(table(['figure', 'value'], [
    ['latency p50 ms', ms(r.latencyMs.p50)], ['latency p90 ms', ms(r.latencyMs.p90)], ['latency p99 ms', ms(r.latencyMs.p99)],
    ['p99 95% CI ms (repetitions)', r.p99CiMs ? `${ms(r.p99CiMs[0])}–${ms(r.p99CiMs[1])}` : '– (one repetition)'],
    ['latency p99.9 ms', r.latencyMs.p999 === null ? '– (too few samples)' : ms(r.latencyMs.p999)],
    ['throughput samples/s', rate(r.samplesPerSec)], ['mean batch size', r.meanBatchSize.toFixed(2)],
    ['queue wait p50 / p99 ms', `${ms(r.queueWaitMs.p50)} / ${ms(r.queueWaitMs.p99)}`],
    ['mean latency split: queue / compute ms', `${ms(r.latencySplitMs.queueWait)} / ${ms(r.latencySplitMs.compute)}`],
    ['utilization', r.utilization.toFixed(2)],
    ['rejected / timed out / unfinished', `${r.rejected} / ${r.timedOut} / ${r.unfinished}`],
    ['generator lag p99 ms', ms(r.generatorLagMs.p99)],
    ['serving overhead per batch ms', `${ms(r.overheadMs)} (batch 1 served ${ms(r.overhead.servedMsPerRequest)} vs bare run() ${ms(r.overhead.bareMsPerRequest)}; under load ${ms(r.overhead.underLoadMs)})`],
    ['timer oversleep p50 / p99 / max ms', `${ms(r.jitter.timerOversleepMs.p50)} / ${ms(r.jitter.timerOversleepMs.p99)} / ${ms(r.jitter.timerOversleepMs.max)}`],
    ['GC pauses (count, max ms)', `${r.jitter.gcPauses.count}, ${ms(r.jitter.gcPauses.maxMs)}`],
    ['CPU steal %', r.jitter.cpuStealPct === null ? 'not readable' : r.jitter.cpuStealPct.toFixed(1)],
  ]));
  console.log('batch sizes formed: ' + Object.entries(r.batchSizes).map(([s, c]) => `${s}×${c}`).join(', '));
  console.log(r.valid ? 'valid: generator lag within 1% of the reference latency' : `INVALID: ${r.invalidReason}`);
  console.log(r.jitterVerdict);
  for (const n of r.notes) console.log(`note: ${n}`);
  console.log('latency = completion − scheduled arrival (coordinated-omission safe); percentiles by nearest rank, averaged over repetitions.');
}

export function registerLoad(program: Command): void {
  const load = addTrafficOptions(program.command('load').description('real open-loop load (seeded arrival schedule → dynamic batcher → k model instances)'))
    .option('--model <id|path>', MODEL_HELP)
    .option('--seconds <s>', 'schedule length per repetition', '10');
  addInputAndNameOptions(addConfigOptions(load)
    .option('--repeat <R>', 'independent repetitions (different seeds) for the p99 confidence interval', '1')
    .option('--seed <n>', 'schedule seed', '1')
    .option('--sla <ms>', 'latency SLA: the run is invalid when generator lag p99 exceeds 1% of it'))
    .option('--target <name>', 'serve the load on a remote target (`kneepoint targets`): measured there, stored here with its hardware')
    .action(async (o: LoadFlags, cmd: Command) => withApi(cmd, async (api) => {
      const spec = parseArgs(loadSpecSchema, {
        model: o.model, ...parseTrafficFlags(o), seconds: num('--seconds', o.seconds, { min: 0 }), ...parseConfigFlags(o),
        repeat: num('--repeat', o.repeat, { min: 1, integer: true }), seed: num('--seed', o.seed, { integer: true }),
        slaMs: num('--sla', o.sla, { min: 0 }), inputs: parseInputPins(o.input), name: o.name,
        ...(o.target ? { target: o.target } : {}),
      }, 'load');
      let jobId: string | null = null;
      let stopping = false;
      const onSigint = () => { console.error('\nkneepoint: stopping the load run'); stopping = true; if (jobId) void api.cancelJob({ jobId }); };
      process.on('SIGINT', onSigint);
      try {
        const { end, run } = await runJob(api, () => api.startLoad(spec), {
          onProgress: (p) => { if (!globals(cmd).json && process.stderr.isTTY) console.error(`kneepoint: ${p.phase}`); },
          onStarted: (ref) => {
            jobId = ref.jobId;
            console.error(`kneepoint: load run ${ref.runId}${spec.target ? ` (on target ${spec.target})` : ''}`);
            if (stopping) void api.cancelJob({ jobId });
          },
        });
        if (end.status === 'cancelled') throw Object.assign(new Error('load run cancelled'), { kind: 'cancelled' });
        if (end.status === 'failed') throw new Error(end.error ?? 'the load run failed');
        const r = (run as { result?: LoadResult }).result!;
        if (globals(cmd).json) printJson(loadJson(r)); else printLoad(r);
      } finally {
        process.off('SIGINT', onSigint);
      }
    }));
}
