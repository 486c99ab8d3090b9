// `kneepoint best RUN_ID --sla p99:20`: the run's configurations that meet the SLA, ranked, and why the others fail.
import type { Command } from 'commander';
import { withApi, globals } from '../openEngine.ts';
import { num } from '../parseFlags.ts';
import { ms, printJson, rate, table } from '../format.ts';
import type { BestResult } from '../../common/best/bestConfig.ts';

export function printBest(r: BestResult): void {
  console.log(r.sentence);
  const p = r.sla.percentile === 'p999' ? 'p99.9' : r.sla.percentile;
  if (r.top.length) {
    console.log('');
    console.log(table(['#', 'config', 'samples/s', 'requests/s', `${p} ms`, `${p} 95% CI ms`, 'samples/s per core', 'note'],
      r.top.map((e, i) => [i + 1, e.label, rate(e.samplesPerSec), rate(e.requestsPerSec), ms(e.percentileMs),
        `${ms(e.percentileCiMs[0])}–${ms(e.percentileCiMs[1])}`, rate(e.samplesPerSecPerCore), e.unstable ? 'unstable' : ''])));
  }
  if (r.rejected.length) {
    console.log('');
    console.log(table(['not chosen', 'why'], r.rejected.map((x) => [x.label, x.reason])));
  }
}

export function registerBest(program: Command): void {
  program.command('best <runId>').description('the run\'s configurations that meet a latency SLA (judged on the upper end of the percentile\'s 95% CI), ranked')
    .requiredOption('--sla <pXX:ms>', 'latency SLA, e.g. p99:20 (p50|p90|p95|p99|p99.9, limit in ms)')
    .option('--objective <o>', 'throughput (most samples/s) | cost (most samples/s per CPU core) | latency (lowest percentile)', 'throughput')
    .option('--top <n>', 'how many passing configurations to list', '3')
    .action(async (runId: string, o: { sla: string; objective: string; top: string }, cmd: Command) => withApi(cmd, async (api) => {
      const r = await api.bestConfig({ runId, sla: o.sla, objective: o.objective as 'throughput', top: num('--top', o.top, { min: 1, integer: true }) });
      if (globals(cmd).json) printJson(r); else printBest(r);
    }));
}
