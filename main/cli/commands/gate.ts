// `kneepoint gate --baseline RUN|FILE.json --candidate RUN|FILE.json`: fail a CI job on a
// significant performance regression (exit 1), pass otherwise (exit 0); bad input exits 2.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { withContext, globals } from '../openEngine.ts';
import { printJson, table } from '../format.ts';
import { invalidInput } from '../../common/errors.ts';
import { SLA_PERCENTILES, type SlaPercentile } from '../../common/best/sla.ts';
import { loadGateRun } from '../../engine/gate/gateInput.ts';
import { compareRuns, type GateResult } from '../../engine/gate/compareRuns.ts';
import { gateJunit, gateMarkdown } from '../../engine/gate/gateReports.ts';
import { CONFIG_FIELDS, type ConfigField } from '../../common/best/configLabel.ts';
import { strList } from '../parseFlags.ts';

function parsePercent(flag: string, text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*%?\s*$/.exec(text);
  if (!m) throw invalidInput(`${flag} must be a percentage such as 5% or 5 (got "${text}")`);
  return Number(m[1]);
}

function parsePercentile(text: string): SlaPercentile {
  const p = (text === 'p99.9' ? 'p999' : text) as SlaPercentile;
  if (!SLA_PERCENTILES.includes(p)) throw invalidInput(`--percentile must be one of p50, p90, p95, p99, p99.9 (got "${text}")`);
  return p;
}

function printGate(r: GateResult): void {
  console.log(r.sentence);
  console.log('');
  console.log(table(['configuration', 'verdict', 'latency change', 'throughput change', 'why'], r.comparisons.map((c) => [
    c.label, c.status, c.latency ? `${c.latency.changePct >= 0 ? '+' : ''}${c.latency.changePct.toFixed(1)} %` : '–',
    c.throughput ? `${c.throughput.changePct >= 0 ? '+' : ''}${c.throughput.changePct.toFixed(1)} %` : '–', c.reasons.join('; '),
  ])));
  for (const n of r.notes) console.log(`note: ${n}`);
}

export function registerGate(program: Command): void {
  program.command('gate').description('compare a candidate run with a baseline, matched by configuration: exit 1 on a significant regression, 0 otherwise, 2 on bad input')
    .requiredOption('--baseline <run|file.json>', 'baseline: a run id or a JSON export (kneepoint export RUN --format json)')
    .requiredOption('--candidate <run|file.json>', 'candidate: a run id or a JSON export')
    .option('--max-regression <pct>', 'allowed slowdown before a significant change fails the gate', '5%')
    .option('--percentile <p>', 'latency percentile judged: p50 | p90 | p95 | p99 | p99.9', 'p99')
    .option('--match <fields>', `config fields that must agree to compare two points (default all: ${CONFIG_FIELDS.join(',')}); e.g. batch,instances to judge a thread-count change`)
    .option('--junit <file>', 'write JUnit XML (one test case per configuration)')
    .option('--markdown <file>', 'write a Markdown summary (e.g. "$GITHUB_STEP_SUMMARY")')
    .action(async (o: { baseline: string; candidate: string; maxRegression: string; percentile: string; junit?: string; markdown?: string; match?: string }, cmd: Command) => withContext(cmd, async (ctx) => {
      const maxRegressionPct = parsePercent('--max-regression', o.maxRegression);
      const percentile = parsePercentile(o.percentile);
      const baseline = loadGateRun(ctx.store, o.baseline, '--baseline');
      const candidate = loadGateRun(ctx.store, o.candidate, '--candidate');
      const match = strList(o.match) as ConfigField[] | undefined;
      const unknown = match?.filter((f) => !CONFIG_FIELDS.includes(f));
      if (match && (!match.length || unknown!.length)) throw invalidInput(`--match takes a comma-separated list of ${CONFIG_FIELDS.join(', ')} (got "${o.match}")`);
      const r = compareRuns(baseline, candidate, { percentile, maxRegressionPct, match });
      if (!r.comparisons.length) {
        throw invalidInput(`no configuration is in both runs: baseline has ${r.baselineOnly.join('; ') || 'no points'}; candidate has ${r.candidateOnly.join('; ') || 'no points'}. Sweep the candidate with the baseline's --batch/--instances/--threads`);
      }
      if (o.markdown) writeFileSync(o.markdown, gateMarkdown(r), { flag: o.markdown === process.env.GITHUB_STEP_SUMMARY ? 'a' : 'w' });
      if (o.junit) writeFileSync(o.junit, gateJunit(r));
      if (globals(cmd).json) printJson(r); else printGate(r);
      process.exitCode = r.verdict === 'regression' ? 1 : 0;
    }));
}
