// Compare: two or more runs overlaid on one latency-vs-throughput chart, a summary line, and a
// delta table of the configurations they share (relative to the first run). A latency delta is
// coloured only when it is significant given both points' 95 % intervals; the others are grey
// ("within noise", or "unstable" when a point's windows disagreed).
import type { PointResult, SweepRunResult } from '../../../main/common/types.ts';
import { latencyThroughputChart } from '../charts/latencyThroughput.ts';
import type { View } from '../viewContext.ts';
import { card, h } from '../dom.ts';
import { configKey, configLabel, ms, num, pct } from '../format.ts';
import type { Percentile } from '../format.ts';
import { latencyDelta, runLabel, signed, summaryLine, type Delta } from './compareDeltas.ts';

export const compareView: View = async (ctx) => {
  const all = await ctx.api.listRuns();
  const chosen = new Set((ctx.query.get('runs') ?? '').split(',').filter(Boolean));
  // the grid of each listed run (recent ones), to tell runs of the same model apart
  const recent = all.filter((r) => r.kind === 'sweep' || r.kind === 'import').slice(0, 40);
  const bodies = new Map<string, SweepRunResult | null>(await Promise.all(recent.map(async (r) => [r.id, await ctx.api.getRun({ runId: r.id }).catch(() => null)] as const)));
  const picker = h('fieldset', { class: 'chips' }, h('legend', {}, 'Runs to compare (pick two or more; the first is the baseline)'),
    all.map((r) => {
      const box = h('input', { type: 'checkbox', checked: chosen.has(r.id), value: r.id, 'data-run': r.id });
      box.addEventListener('change', () => { if (box.checked) chosen.add(r.id); else chosen.delete(r.id); ctx.navigate(`#/compare?runs=${[...chosen].map(encodeURIComponent).join(',')}`); });
      return h('label', { class: 'chip', 'data-testid': 'run-chip' }, box, h('span', {}, runLabel(r, bodies.get(r.id) ?? null)));
    }));
  const runs: SweepRunResult[] = (await Promise.all([...chosen].map((id) => bodies.get(id) ?? ctx.api.getRun({ runId: id }).catch(() => null)))).filter((r): r is SweepRunResult => !!r);
  const label = (r: SweepRunResult) => all.find((x) => x.id === r.runId)?.name || r.runId;

  const canvas = h('canvas', { 'data-testid': 'compare-chart', role: 'img', 'aria-label': 'Latency versus throughput of the compared runs' });
  const chart = latencyThroughputChart(canvas, { percentile: 'p99' });
  ctx.onLeave(() => chart.destroy());
  for (const r of runs) chart.setPoints(r.points, label(r));
  let percentile: Percentile = 'p99';
  const pctSel = h('select', { class: 'input', 'aria-label': 'Latency percentile' }, (['p50', 'p95', 'p99'] as const).map((p) => h('option', { value: p, selected: p === 'p99' }, p)));
  const deltaBody = h('tbody');
  const summary = h('div', { class: 'stack', 'data-testid': 'compare-summary' });
  const latHead = h('th', { class: 'num' });
  const baseHead = h('th', { class: 'num' });
  const runHead = h('th', { class: 'num' });
  pctSel.addEventListener('change', () => { percentile = pctSel.value as Percentile; chart.setPercentile(percentile); renderDelta(); });

  function pairs(base: SweepRunResult, o: SweepRunResult): Delta[] {
    const index = (r: SweepRunResult) => new Map(r.points.filter((p) => p.status !== 'failed').map((p) => [configKey(p.config), p] as const));
    const baseIdx = index(base);
    // same configuration, or the same batch/instances/threads when precision differs (fp32 vs int8)
    const loose = (p: PointResult) => `${p.config.batch}|${p.config.instances}|${p.config.threadsPerInstance}|${p.config.provider}`;
    const looseBase = new Map([...baseIdx.values()].map((p) => [loose(p), p] as const));
    const out: Delta[] = [];
    for (const [k, p] of index(o)) {
      const b = baseIdx.get(k) ?? looseBase.get(loose(p));
      if (b) out.push(latencyDelta(b, p, percentile));
    }
    return out;
  }

  function renderDelta(): void {
    latHead.textContent = `Δ model-only ${percentile} [95% interval]`;
    baseHead.textContent = `${percentile} base`;
    runHead.textContent = `${percentile} run`;
    if (runs.length < 2) { deltaBody.replaceChildren(); summary.replaceChildren(); return; }
    const [base, ...others] = runs;
    const rows: HTMLElement[] = [];
    const lines: HTMLElement[] = [];
    for (const o of others) {
      const ds = pairs(base, o);
      lines.push(h('p', { class: 'summary-line' }, summaryLine(label(o), ds, percentile)));
      for (const d of ds) {
        const cls = !d.significant ? 'noise' : d.latencyPct < 0 ? 'better' : 'worse';
        const iv = d.latencyIntervalPct ? ` [${signed(d.latencyIntervalPct[0])}, ${signed(d.latencyIntervalPct[1])}]` : '';
        const dt = (d.throughputRatio - 1) * 100;
        rows.push(h('tr', { 'data-significant': String(d.significant) }, h('td', { class: 'cfg' }, configLabel(d.base.config)), h('td', {}, label(o)), h('td', { class: 'cfg' }, configLabel(d.other.config)),
          h('td', { class: 'num' }, ms(d.base.latencyMs[percentile])), h('td', { class: 'num' }, ms(d.other.latencyMs[percentile])),
          h('td', { class: `num ${cls}`, 'data-testid': 'latency-delta' }, `${pct(d.latencyPct)}${iv}`, d.significant ? null : h('span', { class: 'noise-note' }, ` ${d.why}`)),
          h('td', { class: 'num' }, num(d.base.samplesPerSec, 1)), h('td', { class: 'num' }, num(d.other.samplesPerSec, 1)), h('td', { class: 'num' }, pct(dt)),
          h('td', { class: 'num' }, `${num(d.base.requests)} / ${num(d.other.requests)}`)));
      }
    }
    summary.replaceChildren(...lines);
    deltaBody.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: '10', class: 'muted' }, 'No configurations in common.'))]));
  }
  renderDelta();

  return h('div', { class: 'view' },
    h('header', { class: 'view-head' }, h('h1', {}, 'Compare'), h('p', { class: 'muted' }, 'Overlay runs (fp32 vs int8, this laptop vs a server import). Deltas are relative to the first selected run; latencies are model-only (inside the session, per request).')),
    card(null, picker),
    runs.length < 2 ? card(null, h('p', { class: 'muted' }, 'Pick at least two runs above.')) : null,
    runs.length >= 2 ? card('Summary', summary) : null,
    card('Latency vs throughput', h('label', { class: 'field inline' }, h('span', {}, 'percentile'), pctSel), h('div', { class: 'chart tall' }, canvas)),
    runs.length >= 2 ? card(`Delta vs ${label(runs[0])}`, h('p', { class: 'muted small' }, 'A latency change is coloured only when both points\' 95 % intervals rule out no change; grey ones are within noise (or a point is unstable). Throughput has no interval and is not coloured.'),
      // focusable: when narrow it scrolls sideways, and the keyboard must be able to scroll it
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Delta table' }, h('table', { class: 'table compact', 'data-testid': 'delta-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'baseline config'), h('th', {}, 'run'), h('th', {}, 'config'), baseHead, runHead, latHead,
          h('th', { class: 'num' }, 'samples/s base'), h('th', { class: 'num' }, 'samples/s run'), h('th', { class: 'num' }, 'Δ throughput'), h('th', { class: 'num' }, 'n base / run'))),
        deltaBody))) : null);
};
