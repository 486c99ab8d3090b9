// Run detail's roofline: each point's achieved GFLOP/s against its arithmetic intensity, under this
// machine's two measured roofs (memory bandwidth × intensity, and peak FLOP/s). The machine's roofs
// are measured once (a few seconds, on request); a model whose FLOPs are unknown says so.
import type { RooflineResult } from '../../../main/common/roofline.ts';
import type { Chart } from '../charts/setup.ts';
import { axis, colorAt, makeChart } from '../charts/setup.ts';
import type { ViewContext } from '../viewContext.ts';
import { card, h, toast } from '../dom.ts';
import { num } from '../format.ts';

function drawRoofline(canvas: HTMLCanvasElement, r: RooflineResult): Chart | null {
  const pts = r.points.filter((p) => p.arithmeticIntensity !== null && p.achievedGflopsPerSec !== null);
  if (!r.peak || !pts.length) return null;
  const peak = r.peak;
  const xs = pts.map((p) => p.arithmeticIntensity!);
  const lo = Math.min(...xs, r.ridgeIntensity!) / 4;
  const hi = Math.max(...xs, r.ridgeIntensity!) * 4;
  const roof = [lo, r.ridgeIntensity!, hi].map((x) => ({ x, y: Math.min(peak.peakGflopsPerSec, x * peak.memoryGbPerSec) }));
  return makeChart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        { label: `roofs: ${num(peak.memoryGbPerSec, 1)} GB/s × intensity, ${num(peak.peakGflopsPerSec, 0)} GFLOP/s peak`, data: roof, showLine: true, borderColor: '#6b7280', backgroundColor: '#6b7280', pointRadius: 0, borderDash: [6, 4] },
        ...pts.map((p, i) => ({ label: p.label, data: [{ x: p.arithmeticIntensity!, y: p.achievedGflopsPerSec! }], borderColor: colorAt(i), backgroundColor: colorAt(i), pointRadius: 5 })),
      ],
    },
    options: {
      parsing: false,
      scales: { x: { type: 'logarithmic', ...axis('arithmetic intensity (FLOP/byte)') }, y: { type: 'logarithmic', ...axis('achieved GFLOP/s') } },
      plugins: { legend: { display: true, position: 'bottom' } },
    },
  });
}

export function rooflineCard(ctx: ViewContext, runId: string, charts: Chart[]): HTMLElement {
  const body = h('div', { 'data-testid': 'roofline' }, h('p', { class: 'muted small' }, 'Loading the roofline…'));
  const show = (r: RooflineResult) => {
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Roofline: achieved GFLOP/s versus arithmetic intensity, with the machine\'s memory and compute roofs' });
    const table = h('table', { class: 'table compact' },
      h('thead', {}, h('tr', {}, h('th', {}, 'configuration'), h('th', { class: 'num' }, 'achieved GFLOP/s'), h('th', { class: 'num' }, 'share of peak'), h('th', { class: 'num' }, 'FLOP/byte'), h('th', {}, 'bound'))),
      h('tbody', {}, r.points.map((p) => h('tr', {}, h('td', {}, p.label),
        h('td', { class: 'num' }, p.achievedGflopsPerSec === null ? 'unknown' : num(p.achievedGflopsPerSec, 2)),
        h('td', { class: 'num' }, p.shareOfPeak === null ? '—' : `${num(p.shareOfPeak * 100, 1)}%`),
        h('td', { class: 'num' }, p.arithmeticIntensity === null ? '—' : num(p.arithmeticIntensity, 2)),
        h('td', {}, p.aboveMemoryRoof ? 'in cache (above the DRAM roof)' : p.bound ?? '—')))));
    const measure = h('button', { type: 'button', class: 'btn', 'data-testid': 'measure-roofs', onclick: async () => {
      measure.disabled = true;
      measure.textContent = 'Measuring this machine…';
      try { show(await ctx.api.roofline({ runId, measure: true, remeasure: !!r.peak })); }
      catch (err) { toast((err as Error).message, 'error'); measure.disabled = false; }
    } }, r.peak ? 'Measure the roofs again' : 'Measure this machine\'s roofs (a few seconds)');
    const parts: Array<HTMLElement | null> = [
      r.flopsNote ? h('p', { 'data-testid': 'flops-unknown' }, r.flopsNote) : null,
      r.peak ? h('p', { class: 'small' }, `This machine: ${num(r.peak.peakGflopsPerSec, 0)} GFLOP/s peak (fp32 MatMul), ${num(r.peak.memoryGbPerSec, 1)} GB/s memory bandwidth, measured ${r.peak.measuredAt.slice(0, 10)}.`) : null,
      r.peak && !r.flopsNote ? h('div', { class: 'chart' }, canvas) : null,
      table,
      ...r.notes.filter((n) => n !== r.flopsNote).map((n) => h('p', { class: 'muted small' }, n)),
      h('p', { class: 'muted small' }, r.method),
      h('div', { class: 'row' }, measure)];
    body.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
    const c = drawRoofline(canvas, r);
    if (c) charts.push(c);
  };
  ctx.api.roofline({ runId, measure: false }).then(show, (err) => body.replaceChildren(h('p', { class: 'muted small' }, (err as Error).message)));
  return card('Roofline', body);
}
