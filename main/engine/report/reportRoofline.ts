// The report's roofline section: the machine's measured roofs, each point's achieved GFLOP/s and
// share of peak, and a log-log chart of achieved FLOP/s against arithmetic intensity. A model
// whose FLOPs are unknown gets a sentence saying so, never zeros.
import type { RooflineResult } from '../../common/roofline.ts';
import type { ChartSpec } from './reportCharts.ts';
import { esc } from './htmlFormat.ts';
import { chartFigure } from './reportPlan.ts';

const COLORS = ['#1d4e89', '#c25a17', '#2f7d32', '#6c2a91', '#4a5a66', '#a3172b'];
const f = (v: number | null, d = 2) => (v === null || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(d));

export function rooflineChart(r: RooflineResult): ChartSpec | null {
  const pts = r.points.filter((p) => p.arithmeticIntensity !== null && p.achievedGflopsPerSec !== null);
  if (!r.peak || r.ridgeIntensity === null || !pts.length) return null;
  const peak = r.peak;
  const xs = pts.map((p) => p.arithmeticIntensity!);
  const lo = Math.min(...xs, r.ridgeIntensity) / 4;
  const hi = Math.max(...xs, r.ridgeIntensity) * 4;
  const roof = [lo, r.ridgeIntensity, hi].map((x) => ({ x: +x.toPrecision(6), y: +Math.min(peak.peakGflopsPerSec, x * peak.memoryGbPerSec).toPrecision(6) }));
  const axis = (text: string) => ({ type: 'logarithmic', title: { display: true, text, color: '#222' }, ticks: { color: '#222' } });
  return {
    id: 'roofline', title: 'Roofline',
    caption: `Achieved GFLOP/s of each point against its arithmetic intensity, under this machine's measured roofs (${f(peak.memoryGbPerSec, 1)} GB/s × intensity, and ${f(peak.peakGflopsPerSec, 0)} GFLOP/s).`,
    config: {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'roofs (memory, compute)', data: roof, showLine: true, borderColor: '#888', backgroundColor: '#888', borderDash: [6, 4], pointRadius: 0 },
          ...pts.map((p, i) => ({ label: p.label, data: [{ x: +p.arithmeticIntensity!.toPrecision(6), y: +p.achievedGflopsPerSec!.toPrecision(6) }], borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length], pointRadius: 5 })),
        ],
      },
      options: { animation: false, responsive: false, devicePixelRatio: 2, parsing: false, scales: { x: axis('arithmetic intensity (FLOP/byte)'), y: axis('achieved GFLOP/s') }, plugins: { legend: { position: 'bottom', labels: { color: '#222' } } } },
    },
  };
}

export function rooflineSection(r: RooflineResult, chart: ChartSpec | null): string {
  const rows = r.points.map((p) => `<tr><td>${esc(p.label)}</td><td class="num">${p.achievedGflopsPerSec === null ? 'unknown' : f(p.achievedGflopsPerSec)}</td><td class="num">${p.shareOfPeak === null ? '—' : `${(p.shareOfPeak * 100).toFixed(1)}%`}</td><td class="num">${f(p.arithmeticIntensity)}</td><td>${p.aboveMemoryRoof ? 'in cache (above the DRAM roof)' : esc(p.bound ?? '—')}</td></tr>`).join('\n');
  return `<section class="page" id="roofline">
  <h2>Roofline</h2>
  ${r.flopsNote ? `<p>${esc(r.flopsNote)}.</p>` : ''}
  ${r.peak ? `<p>This machine: ${f(r.peak.peakGflopsPerSec, 0)} GFLOP/s peak, ${f(r.peak.memoryGbPerSec, 1)} GB/s memory bandwidth (${esc(r.peak.method)}).</p>` : '<p>This machine\'s roofs are not measured yet (<code>kneepoint roofline RUN_ID</code> measures them once).</p>'}
  ${chart ? chartFigure(chart) : ''}
  <table><thead><tr><th>configuration</th><th class="num">achieved GFLOP/s</th><th class="num">share of peak</th><th class="num">FLOP/byte</th><th>bound</th></tr></thead>
  <tbody>${rows}</tbody></table>
  ${r.notes.filter((n) => n !== r.flopsNote).map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
  <p class="note">${esc(r.method)}</p>
</section>`;
}
