// Small single-purpose charts: x/y lines (throughput vs batch, CDF, cost curves) and bars.
import type { Chart as ChartT } from 'chart.js';
import { axis, colorAt, makeChart } from './setup.ts';

export interface Series { label: string; points: Array<{ x: number; y: number }>; dashed?: boolean }

export function lineChart(canvas: HTMLCanvasElement, o: { xTitle: string; yTitle: string; series: Series[]; xLog?: boolean; step?: boolean; marker?: { x: number; label: string } | null; xMaxMs?: number }): ChartT<'line'> {
  return makeChart(canvas, {
    type: 'line',
    data: { datasets: o.series.map((s, i) => ({ label: s.label, data: s.points, borderColor: colorAt(i), backgroundColor: colorAt(i), borderDash: s.dashed ? [6, 4] : undefined, pointRadius: s.points.length > 60 ? 0 : 3, stepped: o.step ? 'before' as const : false })) },
    options: {
      parsing: false,
      scales: { x: { type: o.xLog ? 'logarithmic' : 'linear', ...axis(o.xTitle), ...(o.xMaxMs ? { max: o.xMaxMs } : {}) }, y: { type: 'linear', beginAtZero: true, ...axis(o.yTitle) } },
      plugins: {
        legend: { display: o.series.length > 1, position: 'bottom' },
        annotation: { annotations: o.marker ? { m: { type: 'line', xMin: o.marker.x, xMax: o.marker.x, borderColor: '#dc2626', borderDash: [6, 4], label: { display: true, content: o.marker.label, position: 'start' } } } : {} },
      },
    },
  });
}

export function barChart(canvas: HTMLCanvasElement, o: { labels: string[]; values: number[]; title: string; horizontal?: boolean }): ChartT<'bar'> {
  return makeChart(canvas, {
    type: 'bar',
    data: { labels: o.labels, datasets: [{ label: o.title, data: o.values, backgroundColor: colorAt(0) }] },
    options: {
      indexAxis: o.horizontal ? 'y' : 'x',
      plugins: { legend: { display: false } },
      scales: o.horizontal ? { x: axis(o.title) } : { y: axis(o.title) },
    },
  });
}
