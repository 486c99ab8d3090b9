// `kneepoint sweep`: closed-loop measurement over a grid, with an estimate up front, a progress bar,
// Ctrl-C that keeps finished points, and --resume.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { withApi, globals, runJob } from '../openEngine.ts';
import { intList, num, parseInputPins, strList } from '../parseFlags.ts';
import { addInputOption, MODEL_HELP } from '../configFlags.ts';
import { sweepSpecSchema } from '../../common/schemas.ts';
import { parseArgs } from '../../engine/argParse.ts';
import { estimateSweep } from '../../common/sweepEstimate.ts';
import { sweepWhere } from '../../engine/remote/sweepWhere.ts';
import type { PointResult, SweepRunResult } from '../../common/types.ts';
import type { JobProgress } from '../../common/api.ts';
import { invalidInput } from '../../common/errors.ts';
import { MIN_SAMPLES_P99 } from '../../common/stats/thresholds.ts';
import { duration, ms, printJson, rate, table, bytes } from '../format.ts';

interface SweepFlags {
  model?: string; batch?: string; instances?: string; threads?: string; precision?: string; provider?: string;
  input?: string[]; resume?: string; name?: string; windowMs?: string; maxWindows?: string; minSamples?: string;
  anchor: boolean; seed?: string; sla?: string; quick?: boolean; accuracyBudget?: string; graphOpt?: string;
  executionMode?: string; spinning?: string; arena?: string; profile?: boolean; target?: string; perTarget?: boolean;
}

export function printPoints(points: PointResult[]): void {
  console.log(table(
    ['batch', 'inst', 'thr', 'prec', 'prov', 'status', 'samples/s', 'p50 ms', 'p99 ms', 'p99 95% CI ms', 'n', 'first ms', 'peak RSS'],
    points.map((p) => [p.config.batch, p.config.instances, p.config.threadsPerInstance, p.config.precision, p.config.provider, p.status,
      rate(p.samplesPerSec), ms(p.latencyMs.p50), ms(p.latencyMs.p99), p.p99CiMs ? `${ms(p.p99CiMs[0])}–${ms(p.p99CiMs[1])}` : '–',
      p.requests, ms(p.firstInferenceMs), p.peakRssBytes ? bytes(p.peakRssBytes) : '–']),
  ));
  for (const p of points) {
    if (p.error) console.log(`  batch ${p.config.batch} × ${p.config.instances}: ${p.error.split('\n')[0]}`);
    if (p.accuracy) {
      // non-finite errors (NaN/Inf outputs, e.g. fp16 overflow) are stored as null
      const err = Number.isFinite(p.accuracy.maxAbsErr) ? (p.accuracy.maxAbsErr as number).toPrecision(3) : 'not finite (NaN/Inf outputs)';
      console.log(`  ${p.config.precision} accuracy vs fp32: cosine ${Number(p.accuracy.cosine).toFixed(5)}, max |err| ${err}${p.accuracy.withinBudget ? '' : ' — OVER the accuracy budget: never recommended'}`);
    }
  }
  console.log('latency = one run() call (a request of `batch` samples); percentiles by nearest rank over the stable windows; n = requests measured.');
}

export function printRun(r: SweepRunResult): void {
  console.log(`run ${r.runId} (${r.status}) — ${r.model.id} on ${r.hardware?.cpu.model ?? 'unknown hardware'}${r.target ? ` (target ${r.target})` : ''}`);
  printPoints(r.points);
  if (r.noisy) console.log(`NOISY: the anchor point drifted ${r.anchorDriftPct?.toFixed(1)}% between the start and the end of the sweep.`);
}

export function registerSweep(program: Command): void {
  addInputOption(program.command('sweep').description('measure a model closed-loop over batch × instances × threads (× precision × provider)')
    .option('--model <id|path>', MODEL_HELP)
    .option('--batch <list>', 'batch sizes, e.g. 1,2,4,8', '1')
    .option('--instances <list>', 'concurrent model instances (worker threads, one session each)', '1')
    .option('--threads <list>', 'intra-op threads per instance', '1')
    .option('--precision <list>', 'fp32,fp16,fp16-weights,int8,int8-per-channel', 'fp32')
    .option('--provider <list>', 'cpu,cuda,tensorrt,webgpu,dml,coreml', 'cpu'))
    .option('--graph-opt <levels>', 'graph optimization level(s): disabled,basic,extended,all (a list makes it an axis)')
    .option('--execution-mode <modes>', 'sequential,parallel')
    .option('--spinning <on|off>', 'intra-op thread spinning: on, off or on,off')
    .option('--arena <on|off>', 'CPU memory arena: on, off or on,off')
    .option('--profile', 'store a per-operator profile with each point')
    .option('--accuracy-budget <cosine>', 'minimum cosine similarity vs fp32 for fp16/int8 variants (default 0.99)')
    .option('--window-ms <ms>', 'minimum measurement window (default 1000)')
    .option('--max-windows <n>', 'windows before an unstable point is stored as such (default 6)')
    .option('--min-samples <n>', `requests needed before a stable point stops (default ${MIN_SAMPLES_P99}, MLPerf p99 minimum)`)
    .option('--sla <ms>', 'stop the batch axis once p99 passes this')
    .option('--no-anchor', 'skip re-measuring the first point at the end (noise check)')
    .option('--quick', 'short windows for a fast look (250 ms windows, 4 max, n >= 100): numbers are indicative')
    .option('--seed <n>', 'seed for synthesized inputs', '1')
    .option('--name <name>', 'a name for the run')
    .option('--resume <runId>', 'resume an interrupted or cancelled run: finished points are kept')
    .option('--target <names>', 'measure on remote target(s) (`kneepoint targets`); a comma list splits the grid across machines of one class')
    .option('--per-target', 'with --target A,B: the whole grid on each target, one run per target (to compare machines)')
    .action(async (o: SweepFlags, cmd: Command) => withApi(cmd, async (api) => {
      const json = globals(cmd).json;
      if (!o.model && !o.resume) throw invalidInput('sweep needs --model ID|PATH (or --resume RUN_ID)');
      const method: Record<string, unknown> = {
        ...(o.quick ? { windowMinMs: 250, maxWindows: 4, minSamplesForP99: 100, windowMinRequests: 20 } : {}),
        ...(o.windowMs ? { windowMinMs: num('--window-ms', o.windowMs, { min: 1 }) } : {}),
        ...(o.maxWindows ? { maxWindows: num('--max-windows', o.maxWindows, { min: 1, integer: true }) } : {}),
        ...(o.minSamples ? { minSamplesForP99: num('--min-samples', o.minSamples, { min: 1, integer: true }) } : {}),
        ...(o.sla ? { slaMs: num('--sla', o.sla, { min: 0 }) } : {}),
        anchor: o.anchor,
        seed: num('--seed', o.seed, { integer: true }),
      };
      // Session options: one value fixes it; a comma list makes it an axis (each combination is its own point).
      const onOff = (flag: string, v: string) => (v === 'on' ? true : v === 'off' ? false
        : (() => { throw invalidInput(`${flag} takes on or off, or a list like on,off (got "${v}")`); })());
      const axes: Array<[string, unknown[]]> = [
        ['graphOptimizationLevel', strList(o.graphOpt) ?? []],
        ['executionMode', strList(o.executionMode) ?? []],
        ['spinning', (strList(o.spinning) ?? []).map((v) => onOff('--spinning', v))],
        ['memoryArena', (strList(o.arena) ?? []).map((v) => onOff('--arena', v))],
      ];
      let combos: Array<Record<string, unknown>> = [o.profile ? { profile: true } : {}];
      for (const [key, values] of axes) {
        if (values.length) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
      }
      const sessionOptions = combos.length === 1 ? combos[0] : {};
      const sessionOptionVariants = combos.length > 1 ? combos : undefined;
      // --resume takes the run's stored spec (the engine validates it); the other flags are for a new sweep
      const spec = parseArgs(sweepSpecSchema, {
        model: o.model ?? '(from the resumed run)', batch: intList('--batch', o.batch), instances: intList('--instances', o.instances),
        threads: intList('--threads', o.threads), precision: strList(o.precision), provider: strList(o.provider),
        inputs: parseInputPins(o.input), method, sessionOptions, sessionOptionVariants, name: o.name,
        ...(o.accuracyBudget ? { accuracyBudget: { minCosine: num('--accuracy-budget', o.accuracyBudget), minTop1Agreement: 0.95 } } : {}),
        ...(o.target ? { target: strList(o.target) } : {}),
        ...(o.perTarget ? { perTarget: true } : {}),
      }, 'sweep');

      const est = estimateSweep(spec, spec.method);
      // an unknown model must fail before a duration is promised for it (remote targets resolve their own)
      if (!o.resume && !spec.target) await api.inspectModel({ model: spec.model });
      if (!o.resume) console.error(`kneepoint: ${est.points} point(s), estimated ${duration(est.lowMs)} – ${duration(est.highMs)}. Ctrl-C stops and keeps finished points.`);
      const controller = new AbortController();
      let jobId: string | null = null;
      let interrupts = 0;
      const onSigint = () => {
        interrupts++;
        if (interrupts > 1) process.exit(130);
        console.error('\nkneepoint: stopping after the current point is abandoned; finished points are kept (Ctrl-C again to quit now)');
        controller.abort();
        if (jobId) void api.cancelJob({ jobId });
      };
      process.on('SIGINT', onSigint);
      const tty = process.stderr.isTTY;
      const bar = tty ? new cliProgress.SingleBar({ format: ' {bar} {value}/{total} points | {phase} | ~{remaining} left', clearOnComplete: true, stream: process.stderr },
        cliProgress.Presets.shades_classic) : null;
      let started = false;
      const onProgress = (p: Omit<JobProgress, 'jobId'>) => {
        if (!bar) return;
        if (!started) { bar.start(p.total, p.done, { phase: p.phase, remaining: '?' }); started = true; }
        bar.update(p.done, { phase: p.phase.slice(0, 60), remaining: p.remainingMs === null ? '?' : duration(p.remainingMs) });
      };
      const onPoint = (p: PointResult) => {
        if (!bar) console.error(`kneepoint: batch ${p.config.batch} × ${p.config.instances} inst × ${p.config.threadsPerInstance} thr ${p.config.precision}/${p.config.provider}: ${p.status}` +
          (p.status === 'failed' ? ` (${p.error?.split('\n')[0]})` : ` ${rate(p.samplesPerSec)} samples/s, p99 ${ms(p.latencyMs.p99)} ms (n=${p.requests})`));
      };
      const announce = (id: string) => console.error(`kneepoint: run ${id}${o.resume ? ' resumed' : ''} (resume with --resume ${id} if interrupted)`);
      try {
        if (spec.perTarget) {
          // --per-target: one run per target, which the API's one-job-one-run contract does not carry yet
          const outcome = await sweepWhere(api.context, spec, { signal: controller.signal, onRunCreated: announce, onProgress, onPoint });
          bar?.stop();
          const runs = Array.isArray(outcome) ? outcome : [outcome];
          if (json) printJson(runs); else runs.forEach((r) => printRun(r));
          if (runs.some((r) => r.status !== 'completed')) process.exitCode = 1;
          return;
        }
        const { end, run: result } = await runJob(api, () => api.startSweep(o.resume ? { resumeRunId: o.resume } : spec), {
          onProgress, onPoint,
          onStarted: (ref) => {
            jobId = ref.jobId;
            announce(ref.runId);
            if (controller.signal.aborted) void api.cancelJob({ jobId });
          },
        });
        bar?.stop();
        if (json) printJson(end.error ? { ...result, error: end.error } : result); else printRun(result);
        if (end.error) console.error(`kneepoint: the sweep failed: ${end.error}`);
        if (end.status === 'failed') process.exitCode = 1;
        if (end.status === 'cancelled') { console.error(`kneepoint: cancelled; ${result.points.length} finished point(s) kept. Resume with --resume ${result.runId}`); process.exitCode = 130; }
      } finally {
        bar?.stop();
        process.off('SIGINT', onSigint);
      }
    }));
}
