// One self-contained HTML report: inline CSS, chart.js inlined, data embedded, no request to any
// server (a CSP meta tag forbids them outright). Opens offline and prints to A4 or Letter.
import type { ReportSubject } from './reportSubject.ts';
import { REPORT_CSS } from './reportCss.ts';
import { chartLibrariesJs } from './chartAssets.ts';
import { esc, scriptJson } from './htmlFormat.ts';
import { latencyVsThroughputChart, planCharts, throughputChart, type ChartSpec } from './reportCharts.ts';
import { machineTables, planSubjectName, summaryPage } from './reportSummary.ts';
import { methodPage } from './reportMethod.ts';
import { measurementsPage } from './reportTable.ts';
import { chartFigure, costPage, planPage } from './reportPlan.ts';
import { workloadFacts } from './workloadFacts.ts';
import { rooflineChart, rooflineSection } from './reportRoofline.ts';

/** Nothing may be fetched: scripts and styles are inline, images only data: URLs. */
export const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

// Draws every chart, then sets data-charts-ready on <html> (what the PDF renderer waits for).
const DRAW_JS = `
(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  var failed = [];
  try { if (window['chartjs-plugin-annotation']) Chart.register(window['chartjs-plugin-annotation']); } catch (e) { failed.push('annotation: ' + e.message); }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  specs.forEach(function (s) {
    var canvas = document.getElementById('chart-' + s.id);
    try { new Chart(canvas, s.config); } catch (e) { failed.push(s.id + ': ' + e.message); }
  });
  document.documentElement.setAttribute('data-charts-ready', failed.length ? 'error' : 'true');
  if (failed.length) document.documentElement.setAttribute('data-chart-errors', failed.join('; '));
})();`;

export interface ReportHtmlOptions {
  /** fixed timestamp (tests, reproducible output); default now */
  generatedAt?: string;
}

/** The report of a run (and of a plan, when the subject has one) as one HTML document. */
export function renderReportHtml(subject: ReportSubject, opts: ReportHtmlOptions = {}): string {
  const { run, plan } = subject;
  const generatedAt = opts.generatedAt ?? new Date().toISOString();
  const w = plan ? workloadFacts(plan.workload) : null;
  const sla = w && w.slaMs !== null ? { slaMs: w.slaMs, percentile: w.percentile } : null;
  // page 1 carries the latency-vs-throughput chart; the charts page the rest
  const lvt = latencyVsThroughputChart(run.points, sla);
  const measured: ChartSpec[] = [];
  const tvb = throughputChart(run.points);
  if ((tvb.config.data as { labels: string[] }).labels.length >= 2) measured.push(tvb);
  const costCharts = plan && w ? planCharts(plan.result, { slaMs: w.slaMs ?? undefined, deadlineS: w.deadlineS ?? undefined }) : [];
  const roofChart = subject.roofline ? rooflineChart(subject.roofline) : null;
  const allCharts = [lvt, ...measured, ...costCharts, ...(roofChart ? [roofChart] : [])];
  const title = `Kneepoint report: ${plan ? planSubjectName(plan.result) : run.model.name}${plan ? ` — ${plan.result.verdict}` : ''} (${plan ? plan.id : run.runId})`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Kneepoint">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${summaryPage(subject, generatedAt, lvt)}
${measured.length ? `<section class="page" id="charts">
  <h2>Charts</h2>
  ${measured.map(chartFigure).join('\n')}
</section>` : ''}
${measurementsPage(run)}
${plan ? planPage(plan) : ''}
${plan ? costPage(plan, costCharts) : ''}
${subject.roofline ? rooflineSection(subject.roofline, roofChart) : ''}
${methodPage(run, machineTables(run))}
</main>
<script type="application/json" id="chart-specs">${scriptJson(allCharts.map((c) => ({ id: c.id, config: c.config })))}</script>
<script>${chartLibrariesJs()}</script>
<script>${DRAW_JS}</script>
</body>
</html>
`;
}
