// The gate's result as a CI job summary (GitHub-flavoured Markdown) and as JUnit XML for test
// dashboards: one test case per matched configuration, a <failure> for each regression.
import { markdownTable } from 'markdown-table';
import { create } from 'xmlbuilder2';
import type { GateResult, MetricComparison } from './compareRuns.ts';

const fms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;

function latencyCell(m: MetricComparison | null): string {
  if (!m) return '–';
  const ciText = (c: [number, number] | null) => (c ? ` [${fms(c[0])}, ${fms(c[1])}]` : '');
  return `${fms(m.baseline)}${ciText(m.baselineCi)} → ${fms(m.candidate)}${ciText(m.candidateCi)} (${signed(m.changePct)})`;
}

function throughputCell(m: MetricComparison | null): string {
  return m ? `${Math.round(m.baseline)} → ${Math.round(m.candidate)} (${signed(m.changePct)})` : '–';
}

const STATUS_MARK: Record<string, string> = { regression: '❌ regression', improvement: '✅ faster', 'no significant change': '✅ no significant change', 'not comparable': '⚪ not comparable' };

export function gateMarkdown(r: GateResult): string {
  const p = r.percentile === 'p999' ? 'p99.9' : r.percentile;
  const lines = [
    `## Kneepoint performance gate: ${r.verdict === 'pass' ? '✅ pass' : '❌ regression'}`,
    '',
    r.sentence,
    '',
    `Baseline \`${r.baseline.runId}\` (${r.baseline.modelId}, ${r.baseline.source}) vs candidate \`${r.candidate.runId}\` (${r.candidate.modelId}, ${r.candidate.source}); ` +
      `allowed regression ${r.maxRegressionPct} %; A/A noise ${r.noiseEnvelopePct === null ? 'not measured' : `${r.noiseEnvelopePct.toFixed(1)} %`}.`,
    '',
    markdownTable([
      ['configuration', 'verdict', `${p} ms [95 % CI]`, 'samples/s', 'why'],
      ...r.comparisons.map((c) => [c.label + (c.unstable ? ' (unstable)' : ''), STATUS_MARK[c.status], latencyCell(c.latency), throughputCell(c.throughput), c.reasons.join('; ').replaceAll('|', '\\|')]),
    ]),
  ];
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}

export function gateJunit(r: GateResult): string {
  const failures = r.comparisons.filter((c) => c.status === 'regression').length;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const suites = doc.ele('testsuites', { name: 'kneepoint gate', tests: r.comparisons.length, failures });
  const suite = suites.ele('testsuite', {
    name: `kneepoint gate ${r.candidate.modelId}: ${r.candidate.runId} vs ${r.baseline.runId}`,
    tests: r.comparisons.length, failures, errors: 0, skipped: r.comparisons.filter((c) => c.status === 'not comparable').length,
  });
  const props = suite.ele('properties');
  props.ele('property', { name: 'baseline', value: r.baseline.runId });
  props.ele('property', { name: 'candidate', value: r.candidate.runId });
  props.ele('property', { name: 'percentile', value: r.percentile });
  props.ele('property', { name: 'maxRegressionPct', value: r.maxRegressionPct });
  props.ele('property', { name: 'noiseEnvelopePct', value: r.noiseEnvelopePct ?? 'not measured' });
  for (const c of r.comparisons) {
    const tc = suite.ele('testcase', { classname: `kneepoint.gate.${r.candidate.modelId}`, name: c.label });
    if (c.status === 'regression') tc.ele('failure', { message: c.reasons[0] ?? 'regression', type: 'performance-regression' }).txt(c.reasons.join('\n'));
    else if (c.status === 'not comparable') tc.ele('skipped', { message: c.reasons[0] ?? 'not comparable' });
    else tc.ele('system-out').txt(c.reasons.join('\n'));
  }
  return doc.end({ prettyPrint: true }) + '\n';
}
