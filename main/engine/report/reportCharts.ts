// Chart.js configurations of a report, as plain JSON (no callbacks) so they can be embedded in the
// HTML and drawn offline. Every series differs by dash pattern and point style as well as colour,
// so the charts stay readable on a black-and-white printout.
import type { PointResult } from '../../common/types.ts';
import type { PlanResult } from '../../common/plan/types.ts';

export interface ChartSpec {
  id: string;
  title: string;
  /** what the chart shows, in one sentence under it (also the canvas's accessible label) */
  caption: string;
  config: Record<string, unknown>;
}

const COLORS = ['#1d4e89', '#c25a17', '#2f7d32', '#6c2a91', '#4a5a66', '#a3172b'];
const DASHES = [[], [7, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2]];
const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star'];

/** Series style i: colour, dash pattern and marker all differ between neighbours. */
export function seriesStyle(i: number): Record<string, unknown> {
  const color = COLORS[i % COLORS.length];
  return {
    borderColor: color, backgroundColor: color, pointBorderColor: color,
    borderDash: DASHES[i % DASHES.length], pointStyle: POINT_STYLES[i % POINT_STYLES.length],
    borderWidth: 2, pointRadius: 4.5, pointBorderWidth: 1.5,
  };
}

const axis = (title: string, extra: Record<string, unknown> = {}) => ({
  title: { display: true, text: title, color: '#222', font: { size: 12, weight: 'bold' } },
  grid: { color: '#e3e3e3' }, ticks: { color: '#333' }, border: { color: '#777' }, ...extra,
});

function baseOptions(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    animation: false, responsive: false, devicePixelRatio: 2,
    plugins: {
      legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 36, color: '#222', padding: 14 } },
      tooltip: { enabled: true },
      ...(extra.plugins as Record<string, unknown> ?? {}),
    },
    scales: extra.scales,
  };
}

/** One curve = one way to run a replica: precision, provider, instances × threads. */
export function configGroupLabel(p: PointResult): string {
  const c = p.config;
  return `${c.precision} · ${p.providerUsed ?? c.provider} · ${c.instances} inst × ${c.threadsPerInstance} thr`;
}

/** Whether the run's curves run along the batch axis or, when every point has one batch size
 * (perf_analyzer imports, instance sweeps), along instances / offered rate. */
function curveAxis(points: PointResult[]): 'batch' | 'instances' {
  const ok = points.filter((p) => p.status !== 'failed');
  return new Set(ok.map((p) => p.config.batch)).size <= 1 && new Set(ok.map((p) => `${p.config.instances}/${p.config.requestRatePerSec}`)).size > 1 ? 'instances' : 'batch';
}

function curveLabel(p: PointResult, axis: 'batch' | 'instances'): string {
  const c = p.config;
  return axis === 'batch' ? configGroupLabel(p) : `${c.precision} · ${p.providerUsed ?? c.provider} · batch ${c.batch} · ${c.threadsPerInstance} thr`;
}

function pointTag(p: PointResult, axis: 'batch' | 'instances'): string {
  if (p.config.requestRatePerSec !== undefined) return `${p.config.requestRatePerSec}/s`;
  return axis === 'batch' ? `b${p.config.batch}` : `×${p.config.instances}`;
}

function groups(points: PointResult[], axis: 'batch' | 'instances' = curveAxis(points)): Array<[string, PointResult[]]> {
  const m = new Map<string, PointResult[]>();
  for (const p of points) {
    if (p.status === 'failed') continue;
    const k = curveLabel(p, axis);
    m.set(k, [...(m.get(k) ?? []), p]);
  }
  for (const list of m.values()) {
    list.sort((a, b) => a.config.batch - b.config.batch || a.config.instances - b.config.instances || (a.config.requestRatePerSec ?? 0) - (b.config.requestRatePerSec ?? 0));
  }
  return [...m];
}

export type LatencyKey = 'p50' | 'p90' | 'p95' | 'p99' | 'p999';

/** Which latency field answers an SLA at `percentile` (p99.9 falls back to p99 when not measured). */
export function latencyKeyFor(percentile: number): LatencyKey {
  if (percentile >= 99.9) return 'p999';
  if (percentile >= 99) return 'p99';
  if (percentile >= 95) return 'p95';
  if (percentile >= 90) return 'p90';
  return 'p50';
}

export function latencyVsThroughputChart(points: PointResult[], sla: { slaMs: number; percentile: number } | null): ChartSpec {
  const key = latencyKeyFor(sla?.percentile ?? 99);
  const label = key === 'p999' ? 'p99.9' : key;
  const axisOf = curveAxis(points);
  const gs = groups(points, axisOf);
  const lat = (p: PointResult) => p.latencyMs[key] ?? p.latencyMs.p99;
  const datasets = gs.map(([name, ps], i) => ({
    label: name, ...seriesStyle(i), showLine: true,
    data: ps.map((p) => ({ x: +p.samplesPerSec.toFixed(3), y: +lat(p).toFixed(4) })),
    // hollow markers = unstable points
    pointBackgroundColor: ps.map((p) => (p.status === 'unstable' ? '#ffffff' : (seriesStyle(i).borderColor as string))),
  }));
  const annotations: Record<string, unknown> = {};
  const all = gs.flatMap(([, ps]) => ps);
  if (all.length <= 40) {
    all.forEach((p, i) => {
      annotations[`b${i}`] = {
        type: 'label', xValue: +p.samplesPerSec.toFixed(3), yValue: +lat(p).toFixed(4), yAdjust: -13,
        content: pointTag(p, axisOf),
        font: { size: 10 }, color: '#333',
      };
    });
  }
  let maxY = Math.max(0, ...all.map(lat));
  if (sla) {
    annotations.sla = {
      type: 'line', scaleID: 'y', value: sla.slaMs, borderColor: '#111', borderWidth: 1.5, borderDash: [8, 4],
      label: { display: true, content: `SLA: ${label} ≤ ${sla.slaMs} ms (end to end)`, position: 'end', backgroundColor: 'rgba(255,255,255,0.9)', color: '#111', font: { size: 11 } },
    };
    maxY = Math.max(maxY, sla.slaMs);
  }
  return {
    id: 'latency-vs-throughput',
    title: `Latency (${label}) vs throughput`,
    caption: `Each curve is one configuration; labels give the ${axisOf === 'batch' ? 'batch size (b)' : 'concurrency / instances (×) or offered rate'}. Moving right along a curve buys throughput with latency.${sla ? ' The dashed line is the SLA, which is end to end: queueing, batching and network add to these model-only latencies.' : ''} Hollow markers are unstable points.`,
    config: {
      type: 'scatter',
      data: { datasets },
      options: baseOptions({
        plugins: { annotation: { annotations } },
        scales: {
          x: axis('throughput (samples/s)', { beginAtZero: true }),
          y: axis(`model-only ${label} latency per request (ms)`, { beginAtZero: true, suggestedMax: +(maxY * 1.12).toFixed(3) }),
        },
      }),
    },
  };
}

/** Throughput along the run's swept axis: batch size, or instances / concurrency when batch is fixed. */
export function throughputChart(points: PointResult[]): ChartSpec {
  const axisOf = curveAxis(points);
  const gs = groups(points, axisOf).filter(([, ps]) => ps.every((p) => p.config.requestRatePerSec === undefined));
  const xOf = (p: PointResult) => (axisOf === 'batch' ? p.config.batch : p.config.instances);
  const xs = [...new Set(gs.flatMap(([, ps]) => ps.map(xOf)))].sort((a, b) => a - b);
  const datasets = gs.map(([name, ps], i) => ({
    label: name, ...seriesStyle(i), spanGaps: true,
    data: xs.map((x) => {
      const best = ps.filter((p) => xOf(p) === x).reduce<PointResult | null>((a, p) => (!a || p.samplesPerSec > a.samplesPerSec ? p : a), null);
      return best ? +best.samplesPerSec.toFixed(3) : null;
    }),
  }));
  const byBatch = axisOf === 'batch';
  return {
    id: byBatch ? 'throughput-vs-batch' : 'throughput-vs-instances',
    title: byBatch ? 'Throughput vs batch size' : 'Throughput vs concurrency',
    caption: byBatch
      ? 'Samples per second at each batch size, per configuration. Where a curve flattens, larger batches only add latency.'
      : 'Samples per second at each concurrency (model instances, or requests kept outstanding). Where the curve flattens, the server is saturated.',
    config: {
      type: 'line',
      data: { labels: xs.map(String), datasets },
      options: baseOptions({
        scales: { x: axis(byBatch ? 'batch size (samples per request)' : 'concurrency (instances / outstanding requests)'), y: axis('throughput (samples/s)', { beginAtZero: true }) },
      }),
    },
  };
}

function sensitivityChart(id: string, title: string, caption: string, xTitle: string, unit: string,
  rows: Array<{ x: number; monthlyCostUsd: number | null; verdict: string }>, current: number | null): ChartSpec {
  // evenly spaced categories (the curve's x values span decades; a log axis crowds its labels)
  const sorted = [...rows].sort((a, b) => a.x - b.x);
  const labels = sorted.map((r) => `${r.x}`);
  const annotations: Record<string, unknown> = {};
  sorted.forEach((r, i) => {
    // name the mode where it changes, under the line
    if (r.monthlyCostUsd === null || (i > 0 && sorted[i - 1].verdict === r.verdict && sorted[i - 1].monthlyCostUsd !== null)) return;
    annotations[`v${i}`] = { type: 'label', xValue: i, yValue: r.monthlyCostUsd, yAdjust: 14, xAdjust: i === 0 ? 22 : 0, content: r.verdict, font: { size: 10 }, color: '#333' };
  });
  if (current !== null && sorted.length) {
    const near = sorted.reduce((best, r, i) => (Math.abs(Math.log(r.x / current)) < Math.abs(Math.log(sorted[best].x / current)) ? i : best), 0);
    annotations.current = {
      type: 'line', scaleID: 'x', value: near, borderColor: '#111', borderWidth: 1.5, borderDash: [8, 4],
      label: { display: true, content: `this workload: ${current} ${unit}`, position: 'start', backgroundColor: 'rgba(255,255,255,0.9)', color: '#111', font: { size: 11 } },
    };
  }
  const maxY = Math.max(0, ...sorted.map((r) => r.monthlyCostUsd ?? 0));
  return {
    id, title, caption,
    config: {
      type: 'line',
      data: { labels, datasets: [{ label: 'cheapest feasible plan (monthly cost, USD)', ...seriesStyle(0), spanGaps: false, data: sorted.map((r) => r.monthlyCostUsd) }] },
      options: baseOptions({
        plugins: { annotation: { annotations } },
        scales: { x: axis(xTitle, { ticks: { maxRotation: 0, autoSkip: true, color: '#333' } }), y: axis('monthly cost (USD)', { beginAtZero: true, suggestedMax: +(maxY * 1.2).toFixed(2) }) },
      }),
    },
  };
}

/** Cost vs SLA and cost vs deadline, from the plan's sensitivity curves (empty when it has none or no prices). */
export function planCharts(plan: PlanResult, workload: { slaMs?: number; deadlineS?: number }): ChartSpec[] {
  const out: ChartSpec[] = [];
  const sla = plan.sensitivity?.sla ?? [];
  if (sla.some((r) => r.monthlyCostUsd !== null)) {
    const missing = sla.filter((r) => r.monthlyCostUsd === null).map((r) => `${r.slaMs} ms`);
    out.push(sensitivityChart('cost-vs-sla', 'Cost vs SLA',
      `Monthly cost of the cheapest feasible plan if the latency SLA were tighter or looser; labels name the mode where it changes; gaps mean no feasible plan.${missing.length ? ` No feasible plan at ${missing.join(', ')}.` : ''}`,
      'latency SLA (ms)', 'ms', sla.map((r) => ({ x: r.slaMs, monthlyCostUsd: r.monthlyCostUsd, verdict: r.verdict })),
      workload.slaMs ?? null));
  }
  const dl = plan.sensitivity?.deadline ?? [];
  if (dl.some((r) => r.monthlyCostUsd !== null)) {
    out.push(sensitivityChart('cost-vs-deadline', 'Cost vs freshness deadline',
      'Monthly cost of the cheapest feasible plan for a given answer deadline; longer deadlines let work be deferred or batched.',
      'deadline (s)', 's', dl.map((r) => ({ x: r.deadlineS, monthlyCostUsd: r.monthlyCostUsd, verdict: r.verdict })),
      workload.deadlineS ?? null));
  }
  return out;
}
