// Compare: two or more runs overlaid on one latency-vs-throughput chart, with a delta table of the
// configurations they share (relative to the first run).
import type { PointResult, SweepRunResult } from '../../../main/common/types.ts';
import { latencyThroughputChart } from '../charts/latencyThroughput.ts';
import type { View } from '../context.ts';
import { card, h } from '../dom.ts';
import { configKey, configLabel, ms, num, pct } from '../format.ts';
import type { Percentile } from '../format.ts';

export const compareView: View = async (ctx) => {
  const all = await ctx.api.listRuns();
  const chosen = new Set((ctx.query.get('runs') ?? '').split(',').filter(Boolean));
  const picker = h('fieldset', { class: 'chips' }, h('legend', {}, 'Runs to compare (pick two or more)'),
    all.map((r) => {
      const box = h('input', { type: 'checkbox', checked: chosen.has(r.id), value: r.id, 'data-run': r.id });
      box.addEventListener('change', () => { if (box.checked) chosen.add(r.id); else chosen.delete(r.id); ctx.navigate(`#/compare?runs=${[...chosen].map(encodeURIComponent).join(',')}`); });
      return h('label', { class: 'chip' }, box, h('span', {}, `${r.name || r.id} · ${r.model}`));
    }));
  const runs: SweepRunResult[] = (await Promise.all([...chosen].map((id) => ctx.api.getRun({ runId: id }).catch(() => null)))).filter((r): r is SweepRunResult => !!r);
  const label = (r: SweepRunResult) => all.find((x) => x.id === r.runId)?.name || r.runId;

  const canvas = h('canvas', { 'data-testid': 'compare-chart', role: 'img', 'aria-label': 'Latency versus throughput of the compared runs' });
  const chart = latencyThroughputChart(canvas, { percentile: 'p99' });
  ctx.onLeave(() => chart.destroy());
  for (const r of runs) chart.setPoints(r.points, label(r));
  let percentile: Percentile = 'p99';
  const pctSel = h('select', { class: 'input', 'aria-label': 'Latency percentile' }, (['p50', 'p95', 'p99'] as const).map((p) => h('option', { value: p, selected: p === 'p99' }, p)));
  const deltaBody = h('tbody');
  pctSel.addEventListener('change', () => { percentile = pctSel.value as Percentile; chart.setPercentile(percentile); renderDelta(); });

  function renderDelta(): void {
    if (runs.length < 2) { deltaBody.replaceChildren(); return; }
    const [base, ...others] = runs;
    const index = (r: SweepRunResult) => new Map(r.points.filter((p) => p.status !== 'failed').map((p) => [configKey(p.config), p] as const));
    const baseIdx = index(base);
    const rows: HTMLElement[] = [];
    for (const o of others) {
      const oIdx = index(o);
      // same configuration, or the same batch/instances/threads when precision differs (fp32 vs int8)
      const loose = (p: PointResult) => `${p.config.batch}|${p.config.instances}|${p.config.threadsPerInstance}|${p.config.provider}`;
      const looseBase = new Map([...baseIdx.values()].map((p) => [loose(p), p] as const));
      for (const [k, p] of oIdx) {
        const b = baseIdx.get(k) ?? looseBase.get(loose(p));
        if (!b) continue;
        const dl = (p.latencyMs[percentile] / b.latencyMs[percentile] - 1) * 100;
        const dt = (p.samplesPerSec / b.samplesPerSec - 1) * 100;
        rows.push(h('tr', {}, h('td', {}, configLabel(b.config)), h('td', {}, label(o)), h('td', {}, configLabel(p.config)),
          h('td', { class: 'num' }, ms(b.latencyMs[percentile])), h('td', { class: 'num' }, ms(p.latencyMs[percentile])), h('td', { class: `num ${dl < 0 ? 'better' : dl > 0 ? 'worse' : ''}` }, pct(dl)),
          h('td', { class: 'num' }, num(b.samplesPerSec, 1)), h('td', { class: 'num' }, num(p.samplesPerSec, 1)), h('td', { class: `num ${dt > 0 ? 'better' : dt < 0 ? 'worse' : ''}` }, pct(dt)),
          h('td', { class: 'num' }, `${num(b.requests)} / ${num(p.requests)}`)));
      }
    }
    deltaBody.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: '10', class: 'muted' }, 'No configurations in common.'))]));
  }
  renderDelta();

  return h('div', { class: 'view' },
    h('header', { class: 'view-head' }, h('h1', {}, 'Compare'), h('p', { class: 'muted' }, 'Overlay runs (fp32 vs int8, this laptop vs a server import). Deltas are relative to the first selected run.')),
    card(null, picker),
    runs.length < 2 ? card(null, h('p', { class: 'muted' }, 'Pick at least two runs above.')) : null,
    card('Latency vs throughput', h('label', { class: 'field inline' }, h('span', {}, 'percentile'), pctSel), h('div', { class: 'chart tall' }, canvas)),
    runs.length >= 2 ? card(`Delta vs ${label(runs[0])}`, h('table', { class: 'table compact', 'data-testid': 'delta-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'baseline config'), h('th', {}, 'run'), h('th', {}, 'config'), h('th', { class: 'num' }, `${percentile} base`), h('th', { class: 'num' }, `${percentile} run`), h('th', { class: 'num' }, 'Δ latency'),
        h('th', { class: 'num' }, 'samples/s base'), h('th', { class: 'num' }, 'samples/s run'), h('th', { class: 'num' }, 'Δ throughput'), h('th', { class: 'num' }, 'n base / run'))),
      deltaBody)) : null);
};
