// Latency (selected percentile) vs throughput, one line per configuration series, filled point
// by point. Unstable points are hollow triangles, failed points red crosses on the x axis; the
// tooltip says why. An optional SLA line, each point labelled with its batch × instances, and the
// knee of each series marked (annotation plugin); canvas data-knee / data-no-knee say which.
import type { Chart as ChartT, ScatterDataPoint, TooltipItem } from 'chart.js';
import type { PointResult } from '../../../main/common/types.ts';
import { configLabel, ms, num, seriesKey } from '../format.ts';
import type { Percentile } from '../format.ts';
import { axis, colorAt, makeChart } from './setup.ts';
import { findKnee, pointTag, type KneeVerdict } from './knee.ts';

interface Datum extends ScatterDataPoint { point: PointResult; group: string }

export interface LatencyThroughputChart {
  addPoint(point: PointResult, group?: string): void;
  setPoints(points: PointResult[], group?: string): void;
  clear(): void;
  setPercentile(p: Percentile): void;
  setSla(slaMs: number | null): void;
  onSelect(fn: (p: PointResult) => void): void;
  pointCount(): number;
  /** the knee verdict of each series shown (label → verdict) */
  knees(): Map<string, KneeVerdict>;
  /** draw the batch × instances tag next to each point (default on) */
  setPointLabels(on: boolean): void;
  destroy(): void;
}

export function latencyThroughputChart(canvas: HTMLCanvasElement, opts: { percentile?: Percentile; slaMs?: number | null } = {}): LatencyThroughputChart {
  let percentile: Percentile = opts.percentile ?? 'p99';
  let sla: number | null = opts.slaMs ?? null;
  const points: Array<{ point: PointResult; group: string }> = [];
  let selectFn: ((p: PointResult) => void) | undefined;
  let knees = new Map<string, KneeVerdict>();
  let labelsOn = true;

  const chart = makeChart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: { type: 'linear', ...axis('throughput (samples/s, counted)'), beginAtZero: true },
        y: { type: 'linear', ...axis('model-only latency p99 (ms per request)'), beginAtZero: true },
      },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8 } },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => { const d = items[0]?.raw as Datum | undefined; return d ? configLabel(d.point.config) : ''; },
            label: (item: TooltipItem<'line'>) => {
              const d = item.raw as Datum;
              const p = d.point;
              if (p.status === 'failed') return `failed: ${p.error ?? 'unknown reason'}`;
              const lines = [`${percentile} ${ms(p.latencyMs[percentile])} · ${num(p.samplesPerSec, 1)} samples/s · n=${num(p.requests)} requests`];
              if (p.status === 'unstable') lines.push(`unstable: ${p.error ?? 'windows did not agree'}`);
              return lines;
            },
          },
        },
        annotation: { annotations: {} },
      },
      onClick: (_e, els) => {
        const el = els[0];
        if (!el || !selectFn) return;
        const d = chart.data.datasets[el.datasetIndex].data[el.index] as unknown as Datum;
        selectFn(d.point);
      },
    },
  });

  function rebuild(): void {
    const groups = new Map<string, Datum[]>();
    for (const { point, group } of points) {
      const key = `${group ? group + ' · ' : ''}${seriesKey(point.config)}`;
      const y = point.status === 'failed' ? 0 : point.latencyMs[percentile];
      const list = groups.get(key) ?? [];
      list.push({ x: point.status === 'failed' ? 0 : point.samplesPerSec, y, point, group });
      groups.set(key, list);
    }
    const keys = [...groups.keys()];
    knees = new Map(keys.map((k) => [k, findKnee(groups.get(k)!.map((d) => d.point), percentile)] as const));
    chart.data.datasets = keys.map((key, i) => {
      const data = groups.get(key)!.sort((a, b) => a.point.config.batch - b.point.config.batch);
      const color = colorAt(i);
      return {
        label: key, data: data as unknown as ScatterDataPoint[], borderColor: color, backgroundColor: color,
        showLine: true, borderWidth: 2, tension: 0,
        pointStyle: data.map((d) => d.point.status === 'failed' ? 'crossRot' : d.point.status === 'unstable' ? 'triangle' : 'circle'),
        pointRadius: data.map((d) => d.point.status === 'ok' ? 4 : 7),
        pointBorderColor: data.map((d) => d.point.status === 'failed' ? '#dc2626' : color),
        pointBackgroundColor: data.map((d) => d.point.status === 'ok' ? color : 'transparent'),
        segment: { borderDash: (ctx: { p1DataIndex: number }) => (data[ctx.p1DataIndex]?.point.status !== 'ok' ? [4, 4] : undefined) },
      } as never;
    });
    const y = chart.options.scales!.y as { title: { text: string } };
    y.title.text = `model-only ${percentile} latency (ms per request)`;
    const ann = (chart.options.plugins as { annotation: { annotations: Record<string, unknown> } }).annotation;
    const annotations: Record<string, unknown> = {};
    if (sla) annotations.sla = { type: 'line', yMin: sla, yMax: sla, borderColor: '#dc2626', borderWidth: 1.5, borderDash: [6, 4], label: { display: true, content: `SLA ${ms(sla)}`, position: 'end', backgroundColor: 'rgba(220,38,38,0.85)', font: { size: 11 } } };
    const textColor = getComputedStyle(canvas).color || '#333';
    if (labelsOn) {
      let i = 0;
      for (const { point } of points) {
        if (point.status === 'failed') continue;
        annotations[`tag${i++}`] = { type: 'label', xValue: point.samplesPerSec, yValue: point.latencyMs[percentile], content: pointTag(point), yAdjust: -12, color: textColor, font: { size: 10 } };
      }
    }
    const kneeTags: string[] = [];
    let k = 0;
    for (const [key, v] of knees) {
      if (v.kind !== 'knee') continue;
      const color = colorAt(keys.indexOf(key));
      annotations[`knee${k++}`] = { type: 'point', xValue: v.point.samplesPerSec, yValue: v.point.latencyMs[percentile], radius: 9, borderWidth: 2.5, borderColor: color, backgroundColor: 'transparent' };
      annotations[`kneeLabel${k}`] = { type: 'label', xValue: v.point.samplesPerSec, yValue: v.point.latencyMs[percentile], content: `knee ${pointTag(v.point)}`, yAdjust: 16, color, font: { size: 11, weight: 'bold' } };
      kneeTags.push(`${key}: ${pointTag(v.point)}`);
    }
    ann.annotations = annotations;
    chart.update('none');
    canvas.dataset.points = String(points.length);
    canvas.dataset.knee = kneeTags.join('; ');
    canvas.dataset.tags = String(Object.keys(annotations).filter((a) => a.startsWith('tag')).length);
    canvas.dataset.noKnee = [...knees].filter(([, v]) => v.kind === 'not-reached').map(([key]) => key).join('; ');
  }

  return {
    addPoint(point, group = '') { points.push({ point, group }); rebuild(); },
    setPoints(list, group = '') { for (let i = points.length - 1; i >= 0; i--) if (points[i].group === group) points.splice(i, 1); for (const p of list) points.push({ point: p, group }); rebuild(); },
    clear() { points.length = 0; rebuild(); },
    setPercentile(p) { percentile = p; rebuild(); },
    setSla(v) { sla = v; rebuild(); },
    onSelect(fn) { selectFn = fn; },
    pointCount: () => points.length,
    knees: () => knees,
    setPointLabels(on) { labelsOn = on; rebuild(); },
    destroy() { chart.destroy(); },
  };
}
