// The method page: Kneepoint's definitions (what p99 and throughput mean here) and the settings
// and sample counts of this particular run, so a reader can judge the numbers without the tool.
import type { RunDocumentBody } from './runDocument.ts';
import { METHOD_DEFINITIONS } from './methodDefinitions.ts';
import { esc, fmtNum, DASH } from './htmlFormat.ts';

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function range(xs: number[]): string {
  if (!xs.length) return DASH;
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? fmtNum(lo) : `${fmtNum(lo)} – ${fmtNum(hi)} (median ${fmtNum(median(xs))})`;
}

/** Settings of this run's measurement method, as rows of [setting, value]. */
function settingsRows(run: RunDocumentBody): Array<[string, string]> {
  const spec = (run.spec ?? {}) as Record<string, unknown>;
  const m = (spec.method ?? {}) as Record<string, number | boolean | undefined>;
  const measured = run.points.filter((p) => p.status !== 'failed');
  const rows: Array<[string, string]> = [];
  if (typeof spec.source === 'string') {
    rows.push(['Source', `imported from ${spec.source}${spec.fileName ? ` (${spec.fileName})` : ''}`]);
    if (spec.mode) rows.push(['Load mode', String(spec.mode)]);
  }
  if (m.warmupMinRuns !== undefined) rows.push(['Warm-up', `≥ ${m.warmupMinRuns} runs, until the rolling median moves < ${m.warmupTolerancePct} % (cap ${m.warmupMaxRuns})`]);
  if (m.windowMinMs !== undefined) rows.push(['Windows', `≥ ${fmtNum(Number(m.windowMinMs))} ms and ≥ ${m.windowMinRequests} requests each; stable when the last ${m.stableWindows} agree within ${m.stabilityTolerancePct} %; at most ${m.maxWindows}`]);
  if (m.anchor !== undefined) rows.push(['Anchor re-measurement', m.anchor ? `yes (tolerance ${m.anchorTolerancePct} %)` : 'off for this run']);
  if (m.seed !== undefined) rows.push(['Inputs', `seed ${m.seed}, rotating over ${m.inputRotation ?? 1} distinct tensors`]);
  rows.push(['Requests per point', range(measured.map((p) => p.requests).filter((n) => n > 0))]);
  rows.push(['Windows per point', range(measured.map((p) => p.windows).filter((n) => n > 0))]);
  rows.push(['Warm-up runs per point', range(measured.map((p) => p.warmupRuns).filter((n) => n > 0))]);
  return rows;
}

/** The last page: definitions, this run's settings and `machine` (where and on what it was measured). */
export function methodPage(run: RunDocumentBody, machine = ''): string {
  const quick = ((run.spec ?? {}) as { method?: { windowMinMs?: number } }).method?.windowMinMs;
  return `<section class="page" id="method">
    <h2>Method</h2>
    <p>How the numbers in this report were produced. Peers (perf_analyzer, MLPerf LoadGen, OpenVINO benchmark_app) define
    these terms differently; these are Kneepoint's definitions.</p>
    <dl class="defs" data-testid="definitions">
      ${METHOD_DEFINITIONS.map((d) => `<dt>${esc(d.term)}</dt><dd>${esc(d.text)}</dd>`).join('\n')}
    </dl>
    <h3>This run</h3>
    <table class="kv"><tbody>
      ${settingsRows(run).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n')}
    </tbody></table>
    ${quick !== undefined && quick < 1000 ? `<p class="callout">This run used shortened windows (${quick} ms): a quick look, not a measurement to plan production on.</p>` : ''}
    ${machine}
  </section>`;
}
