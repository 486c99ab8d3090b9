// `kneepoint demo [SCENARIO] [--offline] [--json]` and `kneepoint demo --list`: the guided
// scenarios of the Learn view on the command line. Runs the scenario's small real measurement
// (quick sweeps, stored like any run) or uses the bundled recordings with --offline, plans the
// scenario's workloads, and prints the narrative steps with the real figures.
import type { Command } from 'commander';
import { globals, runJob, withApi } from '../openEngine.ts';
import { printJson, table } from '../format.ts';
import { SCENARIOS, findScenario } from '../../common/learn/scenarios.ts';
import { loadRecording } from '../../common/learn/recordings.ts';
import { buildWalkthrough, measurementSweepSpec } from '../../common/learn/walkthrough.ts';
import type { Scenario, Walkthrough } from '../../common/learn/types.ts';
import type { SweepRunResult } from '../../common/types.ts';
import { KneepointError } from '../../common/errors.ts';
import { listShippedWorkloads } from '../../engine/plan/planRun.ts';

interface DemoFlags { offline?: boolean; list?: boolean }

function scenarioList() {
  return SCENARIOS.map((s) => ({
    id: s.id, title: s.title, tagline: s.tagline,
    measurements: s.measurements.map((m) => ({ id: m.id, model: m.model, batch: m.batch, precision: m.precision ?? ['fp32'] })),
    workloads: s.workloads.map((w) => ({ key: w.key, workload: w.workload, role: w.role })),
    steps: s.steps.map((x) => x.title),
  }));
}

function workloadTexts(): Record<string, string> {
  return Object.fromEntries(listShippedWorkloads().map((w) => [w.id, w.yaml]));
}

async function measure(cmd: Command, scenario: Scenario, json: boolean): Promise<Record<string, SweepRunResult>> {
  return withApi(cmd, async (api) => {
    const runs: Record<string, SweepRunResult> = {};
    for (const m of scenario.measurements) {
      const spec = measurementSweepSpec(m, `demo ${scenario.id}: ${m.id}`);
      console.error(`kneepoint: measuring ${m.model} (batch ${m.batch.join(', ')}; ${(m.precision ?? ['fp32']).join(', ')}) with quick windows…`);
      const { run } = await runJob(api, () => api.startSweep(spec), {
        onPoint: (p) => { if (!json || process.stderr.isTTY) console.error(`  batch ${p.config.batch} ${p.config.precision}: ${p.status}${p.status === 'failed' ? ` (${p.error?.split('\n')[0]})` : ''}`); },
      });
      if (run.status === 'failed' || !run.points.some((p) => p.status !== 'failed')) {
        throw new KneepointError('engine', `the ${m.model} measurement failed (run ${run.runId}); try --offline to use the bundled recording`);
      }
      runs[m.id] = run;
    }
    return runs;
  });
}

function printWalkthrough(w: Walkthrough): void {
  console.log(`${w.scenario.title}\n`);
  console.log(w.source === 'recording'
    ? `Figures from a bundled RECORDING made on ${w.machine} (not this machine; drop --offline to measure here).`
    : `Figures measured just now on ${w.machine} (runs ${Object.values(w.runIds).join(', ')}).`);
  console.log(`\nSituation  ${w.scenario.situation}\nQuestion   ${w.scenario.question}\nLook at    ${w.scenario.lookAt}\n`);
  w.steps.forEach((s, i) => {
    console.log(`${i + 1}. ${s.title}`);
    console.log(`   ${s.text}`);
    const shown = s.figures.filter((f) => typeof f.value === 'number');
    if (shown.length) console.log(`   [${shown.map((f) => `${f.label}: ${f.text}`).join(' · ')}]`);
    console.log('');
  });
  console.log('Verdicts');
  console.log(table(['workload', 'verdict', '$/month', 'p99 (predicted)', 'role'], w.verdicts.map((v) => [
    v.key, v.verdict, v.monthlyCostUsd === null ? '–' : v.monthlyCostUsd.toFixed(2), v.p99Ms === null ? '–' : `${v.p99Ms.toFixed(2)} ms`, v.role,
  ])));
  for (const v of w.verdicts) if (v.summary) console.log(`- ${v.key}: ${v.summary}`);
}

export function registerDemo(program: Command): void {
  program.command('demo').argument('[scenario]', `one of: ${SCENARIOS.map((s) => s.id).join(', ')}`)
    .description('guided scenarios: a small real measurement (or --offline recordings), the plan, and the story with real figures')
    .option('--offline', 'use the bundled recordings instead of measuring (no database needed)')
    .option('--list', 'list the scenarios')
    .action(async (id: string | undefined, o: DemoFlags, cmd: Command) => {
      const json = Boolean(globals(cmd).json);
      if (o.list || !id) {
        const list = scenarioList();
        if (json) return printJson(list);
        console.log(table(['scenario', 'title', 'models'], list.map((s) => [s.id, s.title, s.measurements.map((m) => m.model).join(', ')])));
        if (!id) console.log('\nkneepoint demo SCENARIO runs a small real measurement (under a minute); add --offline to use the bundled recordings.');
        return;
      }
      const scenario = findScenario(id);
      let runs: Record<string, SweepRunResult>;
      if (o.offline) runs = Object.fromEntries(scenario.measurements.map((m) => [m.id, loadRecording(m.id)]));
      else runs = await measure(cmd, scenario, json);
      const walkthrough = buildWalkthrough(scenario, runs, workloadTexts(), o.offline ? 'recording' : 'measured');
      if (json) printJson(walkthrough);
      else printWalkthrough(walkthrough);
    });
}
