// `kneepoint predict`: latency under load predicted from a stored sweep (discrete-event simulation
// with the measured serving overhead and machine jitter).
import type { Command } from 'commander';
import { addTrafficOptions, parseTrafficFlags, type TrafficFlags } from '../trafficFlags.ts';
import { withApi, globals } from '../openEngine.ts';
import { num } from '../parseFlags.ts';
import { parseConfigFlags } from '../configFlags.ts';
import type { PredictOutput } from '../../common/loadTypes.ts';
import { predictArgsSchema } from '../../common/schemas.ts';
import { parseArgs } from '../../engine/argParse.ts';
import { ms, printJson, rate, table } from '../format.ts';

interface PredictFlags extends TrafficFlags {
  run?: string; instances: string; threads?: string; precision?: string; provider?: string; requests: string; replications: string;
  seed: string; overheadMs?: string; jitter: boolean;
}

export function printPrediction(p: PredictOutput): void {
  console.log(`prediction from sweep ${p.fromRunId} (${p.model}): ${p.arrival} at ${p.ratePerSec}/s, max batch ${p.batcher.maxBatch}, max delay ${p.batcher.maxDelayMs} ms, ${p.batcher.instances} instance(s) × ${p.threads} thread(s)`);
  console.log(table(['figure', 'value'], [
    ['latency p50 ms', ms(p.latencyMs.p50)], ['latency p90 ms', ms(p.latencyMs.p90)],
    ['latency p99 ms [95% band for a measurement here]', `${ms(p.latencyMs.p99)} [${ms(p.p99BandMs[0])}–${ms(p.p99BandMs[1])}]${p.bandCalibrated ? '' : ' (uncalibrated: no validate run)'}`],
    ['p99 95% CI ms (simulator replications only)', `${ms(p.p99CiMs[0])}–${ms(p.p99CiMs[1])}`],
    ['latency p99.9 ms', p.latencyMs.p999 === null ? '–' : ms(p.latencyMs.p999)],
    ['throughput samples/s', rate(p.samplesPerSec)], ['mean batch size', p.meanBatchSize.toFixed(2)],
    ['queue wait p50 / p99 ms', `${ms(p.queueWaitMs.p50)} / ${ms(p.queueWaitMs.p99)}`],
    ['utilization', p.utilization.toFixed(2)], ['stability bound requests/s', rate(p.stabilityBoundPerSec)],
    ['serving overhead per batch ms', ms(p.calibration.overheadMs)], ['machine jitter p99 ms', p.calibration.jitterP99Ms === null ? 'not included' : ms(p.calibration.jitterP99Ms)],
  ]));
  console.log(`calibration: ${p.calibration.source}`);
  for (const n of p.notes) console.log(`note: ${n}`);
}

export function registerPredict(program: Command): void {
  addTrafficOptions(program.command('predict').description('predict latency under open-loop load from a stored sweep (simulation over the measured service curves)')
    .addHelpText('after', '\nIn --json: p99BandMs is the 95% band for a future measurement of p99 on this machine (simulator noise + the machine\'s\nrun-to-run spread + the predictor\'s measured error, from the latest validate run; wide when none); p99CiMs is only the\nsimulator\'s own replication interval. Plan with the band.'))
    .option('--run <runId>', 'a sweep run (or a validate run) with service curves')
    .option('--instances <k>', 'model instances (must be measured in the sweep)', '1')
    .option('--threads <n>', 'intra-op threads per instance (default: the only value measured)')
    .option('--precision <p>', 'precision of the curve to use (when the sweep has several)')
    .option('--provider <p>', 'provider of the curve to use (when the sweep has several)')
    .option('--requests <n>', 'simulated requests per replication', '20000')
    .option('--replications <n>', 'independent replications for the CI', '5')
    .option('--seed <n>', 'seed (replication 0 replays `load --seed` with the same value)', '1')
    .option('--overhead-ms <ms>', 'serving overhead per batch (default: measured by the latest load/validate run)')
    .option('--no-jitter', 'leave the measured machine jitter out')
    .action(async (o: PredictFlags, cmd: Command) => withApi(cmd, async (api) => {
      const args = parseArgs(predictArgsSchema, {
        runId: o.run, ...parseTrafficFlags(o),
        ...parseConfigFlags(o),
        requests: num('--requests', o.requests, { min: 1, integer: true }), replications: num('--replications', o.replications, { min: 1, integer: true }),
        seed: num('--seed', o.seed, { integer: true }), overheadMs: num('--overhead-ms', o.overheadMs, { min: 0 }), jitter: o.jitter,
      }, 'predict');
      const p = await api.predict(args);
      if (globals(cmd).json) printJson(p); else printPrediction(p);
    }));
}
