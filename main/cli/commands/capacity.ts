// `kneepoint capacity --model M --sla p99:20`: the highest open-loop arrival rate whose measured
// latency percentile meets the SLA, searched on real load (bracket, then bisect), with the
// predicted capacity beside it. Stored as a run of kind 'capacity'.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { withContext, globals } from '../openEngine.ts';
import { num, parseInputPins } from '../parseFlags.ts';
import { addConfigOptions, addInputAndNameOptions, MODEL_HELP, parseConfigFlags, type ConfigFlags } from '../configFlags.ts';
import { duration, ms, printJson, rate, table } from '../format.ts';
import { invalidInput } from '../../common/errors.ts';
import { parseSla } from '../../common/best/sla.ts';
import { runCapacity, checkCapacitySpec, type CapacityResult } from '../../engine/capacity/capacitySearch.ts';

interface CapacityFlags extends ConfigFlags {
  model: string; sla: string; maxBatch: string; maxDelayMs: string;
  arrival: string; target: string; seconds: string; repeat: string; maxLevels: string; run?: string; seed: string; input: string[]; name?: string;
}

/** The documented --json shape (plus the search's details). */
export function capacityJson(r: CapacityResult): Record<string, unknown> {
  return {
    runId: r.runId, measuredRatePerSec: r.measuredRatePerSec, measuredIntervalPerSec: r.measuredIntervalPerSec,
    predictedRatePerSec: r.predictedRatePerSec, predictedSafeRatePerSec: r.predictedSafeRatePerSec ?? null, errorPct: r.errorPct,
    levels: r.levels.map((l) => ({ ratePerSec: l.ratePerSec, p99Ms: l.p99Ms, meets: l.meets, percentileMs: l.percentileMs, percentileCiMs: l.percentileCiMs, phase: l.phase })),
    model: r.model, sla: r.sla, batcher: r.batcher, threads: r.threads, arrival: r.arrival, bracketed: r.bracketed,
    stabilityBoundPerSec: r.stabilityBoundPerSec, fromSweepRunId: r.fromSweepRunId, estimatedMs: r.estimatedMs, elapsedMs: r.elapsedMs, notes: r.notes,
  };
}

export function printCapacity(r: CapacityResult): void {
  const p = r.sla.percentile;
  const head = r.measuredRatePerSec === null
    ? `No measured rate meets ${p} ≤ ${r.sla.ms} ms for ${r.model}.`
    : `Measured capacity of ${r.model} at ${p} ≤ ${r.sla.ms} ms: ${rate(r.measuredRatePerSec)} requests/s` +
      (r.measuredIntervalPerSec ? ` (between ${rate(r.measuredIntervalPerSec[0])} and ${rate(r.measuredIntervalPerSec[1])})` : ' (not bracketed)') +
      (r.predictedRatePerSec !== null ? `; predicted ${rate(r.predictedRatePerSec)}/s (error ${r.errorPct === null ? '–' : `${r.errorPct >= 0 ? '+' : ''}${r.errorPct.toFixed(1)} %`})` : '') +
      (r.predictedSafeRatePerSec !== null && r.predictedSafeRatePerSec !== undefined ? `, safe ${rate(r.predictedSafeRatePerSec)}/s (the upper end of the p99 band meets the SLA: what plans use)` : '') + '.';
  console.log(head);
  console.log(table(['rate /s', 'phase', `${p} ms`, `${p} 95% CI ms`, 'p99 ms', 'achieved /s', 'meets'], r.levels.map((l) => [
    rate(l.ratePerSec), l.phase, ms(l.percentileMs), l.percentileCiMs ? `${ms(l.percentileCiMs[0])}–${ms(l.percentileCiMs[1])}` : '–', ms(l.p99Ms), rate(l.achievedRequestsPerSec), l.meets ? 'yes' : 'no',
  ])));
  console.log(`${r.levels.length} levels in ${duration(r.elapsedMs)} (estimated ${duration(r.estimatedMs)}); run ${r.runId}`);
  for (const n of r.notes) console.log(`note: ${n}`);
}

export function registerCapacity(program: Command): void {
  const capacity = program.command('capacity').description('measure the highest open-loop arrival rate that meets a latency SLA (real load: bracket, then bisect; the predicted capacity beside it)')
    .requiredOption('--model <id|path>', MODEL_HELP)
    .requiredOption('--sla <pXX:ms>', 'latency SLA, e.g. p99:20 (p50, p90 or p99)');
  addInputAndNameOptions(addConfigOptions(capacity)
    .option('--max-batch <B>', 'dynamic batcher max batch', '1')
    .option('--max-delay-ms <D>', 'dynamic batcher max queue delay', '0')
    .option('--arrival <a>', 'poisson | constant', 'poisson')
    .option('--target <pct>', 'stop when the bracket is within this (e.g. 5%)', '5%')
    .option('--seconds <s>', 'seconds of load per repetition at each level (longer at low rates)', '2')
    .option('--repeat <n>', 'repetitions per level, for the interval', '3')
    .option('--max-levels <n>', 'most load levels to try', '12')
    .option('--run <runId>', 'sweep whose curves give the predicted start (default: the latest matching one, or a quick sweep now)')
    .option('--seed <n>', 'seed', '1'))
    .action(async (o: CapacityFlags, cmd: Command) => withContext(cmd, async (ctx) => {
      const sla = parseSla(o.sla);
      if (sla.percentile !== 'p50' && sla.percentile !== 'p90' && sla.percentile !== 'p99') throw invalidInput(`capacity measures p50, p90 or p99 (got ${o.sla})`);
      const target = /^\s*([0-9]*\.?[0-9]+)\s*%?\s*$/.exec(o.target);
      if (!target) throw invalidInput(`--target must be a percentage such as 5% (got "${o.target}")`);
      const spec = {
        model: o.model, percentile: sla.percentile, slaMs: sla.ms, ...parseConfigFlags(o), maxBatch: num('--max-batch', o.maxBatch, { min: 1, integer: true }),
        maxDelayMs: num('--max-delay-ms', o.maxDelayMs, { min: 0 }), arrival: o.arrival,
        tolerancePct: Number(target[1]), seconds: num('--seconds', o.seconds, { min: 0 }), repeat: num('--repeat', o.repeat, { min: 1, integer: true }),
        maxLevels: num('--max-levels', o.maxLevels, { min: 2, integer: true }), runId: o.run, seed: num('--seed', o.seed, { integer: true }),
        inputs: parseInputPins(o.input), name: o.name,
      };
      checkCapacitySpec(spec as never);
      const controller = new AbortController();
      const onSigint = () => { console.error('\nkneepoint: stopping the capacity search'); controller.abort(); };
      process.on('SIGINT', onSigint);
      const tty = process.stderr.isTTY && !globals(cmd).json;
      const bar = tty ? new cliProgress.SingleBar({ format: ' {bar} {value}/{total} levels | {phase}', clearOnComplete: true, stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
      try {
        const r = await runCapacity(ctx, spec, {
          signal: controller.signal,
          onRunCreated: (id) => console.error(`kneepoint: capacity run ${id}`),
          onEstimate: (estMs, levels) => { console.error(`kneepoint: about ${duration(estMs)} (${levels} load levels expected); Ctrl-C stops`); bar?.start(levels, 0, { phase: 'starting' }); },
          onProgress: (p) => { if (bar) { bar.setTotal(p.total); bar.update(p.done, { phase: p.phase }); } else if (!globals(cmd).json) console.error(`kneepoint: ${p.phase}`); },
        });
        bar?.stop();
        if (globals(cmd).json) printJson(capacityJson(r)); else printCapacity(r);
      } finally {
        bar?.stop();
        process.off('SIGINT', onSigint);
      }
    }));
}
