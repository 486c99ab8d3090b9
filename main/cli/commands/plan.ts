// `kneepoint plan --workload FILE [--run RUN_ID] [--load-run ID]` and `kneepoint plans`: the costed serving decision.
import type { Command } from 'commander';
import { withApi, withContext, globals } from '../openEngine.ts';
import { planFromRequest, listShippedWorkloads } from '../../engine/plan/planRun.ts';
import type { Plan } from '../../common/plan/index.ts';
import { ms, printJson, table } from '../format.ts';

const usd = (v: number | null) => (v === null ? 'unknown' : v >= 100 ? `$${v.toFixed(0)}` : `$${v.toFixed(2)}`);

/** Latency at the workload's SLA percentile (p99 when the plan predates slaPercentile). */
function atSla(p: Plan): { ms: number; band: [number, number] } | null {
  if (!p.predicted) return null;
  return { ms: p.predicted.slaPercentileMs ?? p.predicted.p99Ms, band: p.predicted.slaBandMs ?? p.predicted.p99BandMs };
}

const pctText = (x: number) => (x > 0 && x < 0.01 ? '<1%' : `${(x * 100).toFixed(0)}%`);

function planRow(p: Plan): Array<string | number> {
  const l = atSla(p);
  return [p.mode, p.variant, p.feasible ? 'yes' : 'no', p.config?.instanceType ?? '–', p.config ? `${p.config.precision} b${p.config.batch} d${p.config.maxDelayMs}ms ×${p.config.instances}` : '–',
    p.replicas, usd(p.monthlyCostUsd), p.costPerMillionUsd === null ? 'unknown' : `$${p.costPerMillionUsd.toFixed(4)}`,
    l ? ms(l.ms) : '–', l ? `${ms(l.band[0])}–${ms(l.band[1])}` : '–',
    p.feasible ? pctText(p.utilization) : '–', p.feasible ? `${+p.headroomPct.toFixed(1)}%` : '–', (p.feasible ? p.bindingConstraint : p.reason ?? '').slice(0, 70)];
}

export function registerPlan(program: Command): void {
  program.command('plan').description('recommend real-time, deferred, batch or hybrid serving for a workload, with a costed capacity plan')
    .option('--workload <file>', 'workload YAML (see workloads/ for examples; `kneepoint plan --list`)')
    .option('--run <runId>', 'plan on this stored sweep (default: the latest completed sweep of the workload\'s model here)')
    .option('--load-run <runId>', 'include the serving overhead and machine jitter measured by this load or validate run (default: the latest of the workload\'s model here, if any)')
    .option('--map-model <runModel>', 'plan on a run of another model on purpose (its model id): the plan says so in its first line and title')
    .option('--no-sweep', 'fail instead of running a quick default sweep when the model has no curves yet')
    .option('--list', 'list the shipped example workloads')
    .option('--validate', 'when the model has no validate run on this machine, run a quick one first (about 90 s) and plan with its calibration')
    .action(async (o: { workload?: string; run?: string; loadRun?: string; mapModel?: string; sweep: boolean; list?: boolean; validate?: boolean }, cmd: Command) => withContext(cmd, async (ctx) => {
      const json = globals(cmd).json;
      if (o.list || !o.workload) {
        const wl = listShippedWorkloads().map(({ yaml: _y, ...w }) => w);
        if (json) return printJson(wl);
        if (!o.list) console.error('kneepoint: plan needs --workload FILE; the shipped examples are:');
        console.log(table(['id', 'name', 'path'], wl.map((w) => [w.id, w.name, w.path])));
        if (!o.list) process.exitCode = 2;
        return;
      }
      const r = await planFromRequest(ctx, {
        workloadFile: o.workload, runId: o.run, loadRunId: o.loadRun, mapModel: o.mapModel, sweepIfMissing: o.sweep, validateIfMissing: o.validate,
        validateProgress: (p) => { if (!json) console.error(`kneepoint: validate: ${p.phase}`); },
        sweep: { onPoint: (p) => { if (!json) console.error(`kneepoint: measured batch ${p.config.batch} × ${p.config.instances}: ${p.status}`); } },
      });
      if (json) return printJson(r);
      for (const n of r.notes) console.log(n);
      console.log(`\nVERDICT: ${r.verdict.toUpperCase()}   (plan ${r.planId}, curves from run ${r.runId})\n`);
      for (const line of r.explanation) console.log(`  • ${line}`);
      console.log('');
      const pct = r.plans.find((p) => p.predicted?.slaPercentile !== undefined)?.predicted?.slaPercentile ?? 99;
      console.log(table(['mode', 'variant', 'feasible', 'instance', 'config', 'replicas', '$/month', '$/1M', `p${pct} ms`, `p${pct} band ms`, 'util', 'headroom', 'binding constraint / reason'], r.plans.map(planRow)));
      console.log(`\np${pct} = predicted end-to-end ${pct}th percentile, the workload's SLA percentile (simulated over the measured service-time distributions, plus network and pre/post-processing); band = uncertainty; util = today's peak / capacity at the SLA of the fleet.`);
      const sla = r.sensitivity.sla.filter((s) => s.monthlyCostUsd !== null);
      if (sla.length) console.log(`cost vs SLA: ${sla.map((s) => `${s.slaMs} ms → ${usd(s.monthlyCostUsd)}`).join(', ')}`);
      const dl = r.sensitivity.deadline.filter((s) => s.monthlyCostUsd !== null);
      if (dl.length) console.log(`cost vs deadline: ${dl.map((s) => `${s.deadlineS} s → ${usd(s.monthlyCostUsd)}`).join(', ')}`);
    }));
  program.command('plans').description('list stored plans')
    .option('--run <runId>', 'only plans made from this run')
    .action(async (o: { run?: string }, cmd: Command) => withApi(cmd, async (api) => {
      const plans = await api.listPlans({ runId: o.run });
      if (globals(cmd).json) return printJson(plans);
      console.log(table(['id', 'run', 'workload', 'verdict', 'created'], plans.map((p) => [p.id, p.runId ?? '–', p.workloadName ?? '–', p.verdict ?? '–', p.createdAt.replace('T', ' ').slice(0, 19)])));
    }));
}
