// `kneepoint validate`: predicted vs measured open-loop latency on this machine.
import type { Command } from 'commander';
import { withContext, globals } from '../openEngine.ts';
import { intList, num, parseInputPins } from '../parseFlags.ts';
import { addInputAndNameOptions, MODEL_HELP } from '../configFlags.ts';
import { validateSpecSchema } from '../../common/schemas.ts';
import { parseArgs } from '../../engine/argParse.ts';
import { validateWhere } from '../../engine/remote/remoteJob.ts';
import type { ValidationResult } from '../../common/loadTypes.ts';
import { invalidInput } from '../../common/errors.ts';
import { duration, ms, printJson, rate, table } from '../format.ts';

interface ValidateFlags {
  model?: string; quick?: boolean; instances: string; threads: string; batches?: string; maxBatch: string; maxDelayMs: string;
  loads?: string; seconds?: string; repeat?: string; sla?: string; seed: string; input?: string[]; name?: string; target?: string;
}

const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`);

export function printValidation(v: ValidationResult): void {
  console.log(`validate run ${v.runId} — ${v.model}${v.target ? ` on target ${v.target}` : ''}, ${v.instances} instance(s) × ${v.threads} thread(s), service curves from sweep ${v.sweepRunId} (${duration(v.durationMs)})`);
  console.log(`serving overhead ${ms(v.overhead.overheadMs)} ms per batch (batch 1 served ${ms(v.overhead.servedMsPerRequest)} ms vs bare run() ${ms(v.overhead.bareMsPerRequest)} ms); ` +
    `timer oversleep p99 ${ms(v.jitter.timerOversleepMs.p99)} ms, GC max ${ms(v.jitter.gcPauses.maxMs)} ms, CPU steal ${v.jitter.cpuStealPct === null ? 'n/a' : v.jitter.cpuStealPct.toFixed(1) + '%'}`);
  const cal = v.calibration;
  if (cal) {
    console.log(`serving path under load: run() ×${(cal.serviceScale ?? 1).toFixed(3)} vs closed loop, busy − run() ${ms(cal.overheadMs)} ms per batch; ` +
      (cal.stalls ? `stalls ${cal.stalls.ratePerSec.toFixed(1)}/s (median ${ms(cal.stalls.durationQuantilesMs[50])} ms, longest ${ms(cal.stalls.durationQuantilesMs[100])} ms)` : 'no stalls above the threshold') +
      (cal.band ? `; band spread: machine ${(cal.band.sigmaMachine * 100).toFixed(0)}%, model ${(cal.band.sigmaModel * 100).toFixed(0)}% (log sd, ${cal.band.levels} calibration runs)` : ''));
  }
  console.log(table(['config', 'load', 'rate/s', 'util', 'p50 pred ms', 'p50 meas ms', 'p50 err', 'p99 pred ms [95% band]', 'p99 meas ms (reps low–high)', 'p99 reference gen ms', 'p99 err', 'in band', 'batch pred/meas', 'valid'],
    v.rows.map((r) => [r.config, `${(r.loadFraction * 100).toFixed(0)}%`, rate(r.ratePerSec), r.predicted.utilization.toFixed(2),
      ms(r.predicted.p50Ms), ms(r.measured.p50Ms), pct(r.p50ErrorPct),
      `${ms(r.predicted.p99Ms)} [${ms(r.predicted.p99BandMs?.[0])}, ${ms(r.predicted.p99BandMs?.[1])}]`,
      `${ms(r.measured.p99Ms)}${r.measured.p99RangeMs ? ` (${ms(r.measured.p99RangeMs[0])}–${ms(r.measured.p99RangeMs[1])})` : ''}`,
      r.reference ? `${ms(r.reference.p99Ms)} (${pct(r.reference.loadVsReferencePct)})` : '–', pct(r.p99ErrorPct),
      r.insideBand === undefined ? '–' : r.insideBand ? 'yes' : 'NO',
      `${r.predicted.meanBatchSize.toFixed(2)}/${r.measured.meanBatchSize.toFixed(2)}`, r.measured.valid ? 'yes' : 'lag']),
  ));
  if (v.summary.bandCoveragePct !== undefined) {
    console.log(`band coverage: ${v.summary.bandCoveragePct.toFixed(0)}% of ${v.summary.levels} levels inside the predicted 95% band (target >= 90%); median band width ${v.summary.medianBandWidthPct?.toFixed(0)}% of the prediction`);
  }
  const s = v.summary;
  console.log(`summary: median |p50 error| ${s.medianAbsP50ErrorPct.toFixed(1)}%, median |p99 error| ${s.medianAbsP99ErrorPct.toFixed(1)}%, ` +
    `worst optimistic p99 error ${pct(s.worstOptimisticP99ErrorPct)} (target: |p99 error| <= 15% at utilization <= 0.8, none worse than -20%; ` +
    `${Number.isFinite(s.p99Within15PctShare) ? (s.p99Within15PctShare * 100).toFixed(0) + '% of those rows within 15%' : 'no rows at utilization <= 0.8'})`);
  const c = v.capacity;
  console.log(`capacity at p99 <= ${c.slaMs} ms (${c.config}): predicted ${rate(c.predictedPerSec)}/s, measured ${c.measuredPerSec === null ? 'not bracketed' : rate(c.measuredPerSec) + '/s'} ` +
    `(${c.measuredNote})${c.errorPct === null ? '' : `, error ${pct(c.errorPct)} (target within 10%)`}` +
    (c.safePerSec !== undefined ? `; safe capacity (the band's upper end meets the SLA; what plans use) ${rate(c.safePerSec)}/s${c.safeErrorPct === null || c.safeErrorPct === undefined ? '' : ` (${pct(c.safeErrorPct)})`}` : ''));
  for (const n of v.notes) console.log(`note: ${n}`);
  console.log('error = (predicted − measured) / measured; negative = optimistic. Latency = completion − scheduled arrival. ' +
    'band = 95% interval for a future measurement here; reference gen = the same rate through the independent open-loop generator (unbatched only; in brackets: load vs reference).');
}

export function registerValidate(program: Command): void {
  addInputAndNameOptions(program.command('validate').description('check the latency predictor against real open-loop load on this machine (or on a target)')
    .option('--model <id|path>', MODEL_HELP)
    .option('--quick', 'short runs (about a minute on a small model): figures are indicative')
    .option('--instances <k>', 'model instances', '1')
    .option('--threads <n>', 'intra-op threads per instance (pinned for curves and load alike)', '1')
    .option('--batches <list>', 'batch sizes for the service curve (default 1,2,3,4,6,8; quick 1,2,4,8)')
    .option('--max-batch <B>', 'the batched configuration: max batch', '8')
    .option('--max-delay-ms <D>', 'the batched configuration: max queue delay, ms', '2')
    .option('--loads <list>', 'fractions of predicted capacity, e.g. 0.3,0.5,0.7,0.8')
    .option('--seconds <s>', 'seconds per load level and repetition (default 6; quick 3)')
    .option('--repeat <R>', 'repetitions per load level (default 2; quick 1)')
    .option('--sla <ms>', 'p99 SLA for the capacity comparison')
    .option('--seed <n>', 'seed', '1'))
    .option('--target <name>', 'validate on a remote target (`kneepoint targets`): measured there, stored here with its hardware')
    .action(async (o: ValidateFlags, cmd: Command) => withContext(cmd, async (ctx) => {
      const loads = o.loads === undefined ? undefined : o.loads.split(',').map((x) => Number(x.trim()));
      if (loads && loads.some((x) => !(x > 0 && x <= 1.5))) throw invalidInput(`--loads takes fractions of capacity between 0 and 1.5, e.g. 0.3,0.5,0.7,0.8 (got "${o.loads}")`);
      const spec = parseArgs(validateSpecSchema, {
        model: o.model, quick: Boolean(o.quick), instances: num('--instances', o.instances, { min: 1, integer: true }),
        threads: num('--threads', o.threads, { min: 1, integer: true }), batches: intList('--batches', o.batches),
        maxBatch: num('--max-batch', o.maxBatch, { min: 2, integer: true }), maxDelayMs: num('--max-delay-ms', o.maxDelayMs, { min: 0 }),
        loads, seconds: num('--seconds', o.seconds, { min: 0 }), repeat: num('--repeat', o.repeat, { min: 1, integer: true }),
        slaMs: num('--sla', o.sla, { min: 0 }), seed: num('--seed', o.seed, { integer: true }), inputs: parseInputPins(o.input), name: o.name,
        ...(o.target ? { target: o.target } : {}),
      }, 'validate');
      const json = globals(cmd).json;
      const controller = new AbortController();
      const onSigint = () => { console.error('\nkneepoint: stopping validation'); controller.abort(); };
      process.on('SIGINT', onSigint);
      try {
        const v = await validateWhere(ctx, spec, {
          signal: controller.signal,
          onRunCreated: (id) => console.error(`kneepoint: validate run ${id}`),
          onLog: (line) => console.error(`kneepoint: ${line}`),
        });
        if (json) printJson(v); else printValidation(v);
      } finally {
        process.off('SIGINT', onSigint);
      }
    }));
}
