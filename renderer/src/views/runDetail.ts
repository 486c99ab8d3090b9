// Run detail: latency (p50/p95/p99) vs throughput per configuration series with an SLA line,
// throughput vs batch, the latency distribution (CDF) of a selected point, the per-op breakdown
// when profiled, and a table of every point with n and confidence intervals. A run still running
// (its job found with listJobs) fills in live, with progress and Cancel, like the Sweep view.
import type { JobProgress } from '../../../main/common/api.ts';
import { bestConfigs } from '../../../main/common/best/bestConfig.ts';
import type { SlaPercentile } from '../../../main/common/best/sla.ts';
import { hardwareLabel } from '../../../main/common/hardwareLabel.ts';
import type { PointResult, SweepRunResult } from '../../../main/common/types.ts';
import { latencyThroughputChart } from '../charts/latencyThroughput.ts';
import { barChart, lineChart } from '../charts/simpleCharts.ts';
import type { Chart } from '../charts/setup.ts';
import type { View, ViewContext } from '../viewContext.ts';
import { card, h, stat, toast } from '../dom.ts';
import { exportControls } from '../download.ts';
import { rooflineCard } from './runRoofline.ts';
import { bytes, configKey, configLabel, date, duration, ms, num, seriesKey } from '../format.ts';
import type { Percentile } from '../format.ts';

export const runDetailView: View = async (ctx) => {
  const runId = ctx.params[0];
  const run = await ctx.api.getRun({ runId });
  const summary = (await ctx.api.listRuns()).find((r) => r.id === runId);
  const liveJob = run.status === 'running' ? (await ctx.api.listJobs().catch(() => [])).find((j) => j.runId === runId) : undefined;
  const ok = run.points.filter((p) => p.status !== 'failed');
  let selected: PointResult | undefined = ok[0];

  const ltCanvas = h('canvas', { 'data-testid': 'run-chart', role: 'img', 'aria-label': 'Latency versus throughput per configuration' });
  const lt = latencyThroughputChart(ltCanvas, { percentile: 'p99' });
  lt.setPoints(run.points);
  ctx.onLeave(() => lt.destroy());
  const charts: Chart[] = [];
  ctx.onLeave(() => { for (const c of charts) c.destroy(); });

  const pct = h('select', { class: 'input', 'aria-label': 'Latency percentile', 'data-testid': 'percentile' }, (['p50', 'p95', 'p99'] as const).map((p) => h('option', { value: p, selected: p === 'p99' }, p)));
  const sla = h('input', { type: 'number', class: 'input narrow', min: '0', step: 'any', placeholder: 'ms', 'aria-label': 'SLA in milliseconds' });
  const bestBox = h('div', { class: 'best-box', 'data-testid': 'sla-best', 'aria-live': 'polite' });
  const kneeNote = h('div', { class: 'muted small', 'data-testid': 'knee-note' });
  /** The SLA's answer, by the same rule as `kneepoint best`: the best config in a sentence, the top 3, why the rest fail. */
  function renderBest(): void {
    const limit = Number(sla.value);
    if (!(limit > 0)) { bestBox.replaceChildren(h('p', { class: 'muted small' }, 'Type an SLA to see which configuration of this run meets it best (judged on the upper end of each point\'s 95 % interval).')); return; }
    const r = bestConfigs(run.points, { sla: { percentile: pct.value as SlaPercentile, ms: limit }, top: 3 });
    const fails = r.rejected.filter((x) => !/ranks below the top/.test(x.reason));
    bestBox.replaceChildren(...[
      h('p', { class: 'best-sentence', 'data-testid': 'best-sentence' }, r.sentence),
      r.top.length ? h('ol', { class: 'best-top', 'data-testid': 'best-top' }, r.top.map((e) => h('li', {}, `${e.label}: ${num(e.samplesPerSec, 1)} samples/s, model-only ${pct.value} ${ms(e.percentileMs)} [${ms(e.percentileCiMs[0])}, ${ms(e.percentileCiMs[1])}]${e.unstable ? ' (unstable)' : ''}`))) : null,
      fails.length ? h('details', { 'data-testid': 'best-rejected' }, h('summary', {}, `Why the other ${fails.length} fail`),
        h('ul', { class: 'small' }, fails.map((x) => h('li', {}, `${x.label}: ${x.reason}`)))) : null].filter((x) => x !== null));
  }
  function renderKnees(): void {
    const lines: HTMLElement[] = [];
    for (const [key, v] of lt.knees()) {
      if (v.kind === 'knee') lines.push(h('p', {}, `Knee of ${key}: batch ${v.point.config.batch} (${num(v.point.samplesPerSec, 1)} samples/s at model-only ${pct.value} ${ms(v.point.latencyMs[pct.value as Percentile])}); past it, latency grows faster than throughput.`));
      else if (v.kind === 'not-reached') lines.push(h('p', { 'data-testid': 'no-knee' }, `No knee reached for ${key}: throughput per unit of latency still rises at the largest batch measured (${v.last.config.batch}) — sweep larger batch sizes or more instances next.`));
    }
    kneeNote.replaceChildren(...lines);
  }
  pct.addEventListener('change', () => { lt.setPercentile(pct.value as Percentile); renderBest(); renderKnees(); });
  sla.addEventListener('input', () => { lt.setSla(Number(sla.value) > 0 ? Number(sla.value) : null); renderBest(); });

  // throughput vs batch, one line per series
  const byBatchCanvas = h('canvas', { role: 'img', 'aria-label': 'Throughput versus batch size' });
  const series = new Map<string, PointResult[]>();
  for (const p of ok) { const k = seriesKey(p.config); series.set(k, [...(series.get(k) ?? []), p]); }
  charts.push(lineChart(byBatchCanvas, { xTitle: 'batch size (samples per request)', yTitle: 'throughput (samples/s)', xLog: true, series: [...series].map(([label, ps]) => ({ label, points: ps.sort((a, b) => a.config.batch - b.config.batch).map((p) => ({ x: p.config.batch, y: p.samplesPerSec })) })) }));

  const distBox = h('div', {});
  const opsBox = h('div', {});
  const tbody = h('tbody');
  function selectPoint(p: PointResult): void {
    selected = p;
    for (const tr of tbody.querySelectorAll('tr')) tr.classList.toggle('selected', (tr as HTMLElement).dataset.idx === String(run.points.indexOf(p)));
    renderDistribution(); renderOps();
  }
  lt.onSelect(selectPoint);

  function renderDistribution(): void {
    for (const c of charts.splice(1)) c.destroy();
    const p = selected;
    if (!p) { distBox.replaceChildren(h('p', { class: 'muted' }, 'No successful points.')); return; }
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Latency CDF of the selected point' });
    distBox.replaceChildren(
      h('p', {}, h('strong', {}, configLabel(p.config)), h('span', { class: 'muted small' }, ` · n = ${num(p.requests)} requests in ${p.windows} windows`)),
      h('div', { class: 'stats' }, stat('model-only p50', ms(p.latencyMs.p50)), stat('model-only p90', ms(p.latencyMs.p90)), stat('model-only p95', ms(p.latencyMs.p95)), stat('model-only p99', ms(p.latencyMs.p99)),
        stat('p99 95% CI', p.p99CiMs ? `${ms(p.p99CiMs[0])} – ${ms(p.p99CiMs[1])}` : 'n too small'), stat('p99.9 latency', p.latencyMs.p999 === null ? 'n too small' : ms(p.latencyMs.p999))),
      p.quantilesMs?.length ? h('div', { class: 'chart' }, canvas) : h('p', { class: 'muted' }, 'No distribution stored for this point.'));
    if (p.quantilesMs?.length) {
      const q = p.quantilesMs;
      // the far tail (q100 is a single request) would squash the body of the distribution
      const xMaxMs = Math.max(q[99] * 1.15, p.latencyMs.p99 * 1.3);
      charts.push(lineChart(canvas, { xMaxMs, xTitle: q[100] > xMaxMs ? `latency per request (ms; max ${ms(q[100])} off the chart)` : 'latency per request (ms)', yTitle: 'share of requests at or below (CDF, %)', series: [{ label: 'CDF', points: q.map((v, i) => ({ x: v, y: (i * 100) / (q.length - 1) })) }], marker: { x: p.latencyMs.p99, label: `p99 ${ms(p.latencyMs.p99)}` } }));
    }
  }
  function renderOps(): void {
    const prof = selected?.profile ?? run.points.find((p) => p.profile)?.profile;
    if (!prof) { opsBox.replaceChildren(h('p', { class: 'muted' }, 'Not profiled. Sweep with session option "profile" to see time per operator.')); return; }
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Time per operator type' });
    opsBox.replaceChildren(h('div', { class: 'chart' }, canvas),
      h('table', { class: 'table compact' }, h('thead', {}, h('tr', {}, h('th', {}, 'top nodes'), h('th', {}, 'op'), h('th', { class: 'num' }, 'time (ms)'), h('th', { class: 'num' }, 'share'))),
        h('tbody', {}, prof.topNodes.slice(0, 8).map((n) => h('tr', {}, h('td', {}, h('code', {}, n.name)), h('td', {}, n.opType), h('td', { class: 'num' }, num(n.totalMs, 3)), h('td', { class: 'num' }, `${num(n.pct, 1)}%`))))));
    const top = prof.byOpType.slice(0, 12);
    charts.push(barChart(canvas, { labels: top.map((o) => `${o.opType} (${o.calls}×)`), values: top.map((o) => o.pct), title: 'share of profiled time (%)', horizontal: true }));
  }

  const pointRow = (p: PointResult, i: number) => h('tr', { class: p.status, 'data-idx': String(i), tabindex: '0', onclick: () => selectPoint(p), onkeydown: (e: Event) => { if ((e as KeyboardEvent).key === 'Enter') selectPoint(p); } },
    h('td', {}, String(p.config.batch)), h('td', {}, `${p.config.instances} × ${p.config.threadsPerInstance}`), h('td', {}, `${p.config.precision} · ${p.providerUsed ?? p.config.provider}`),
    h('td', { class: 'num' }, num(p.requests)), h('td', { class: 'num' }, ms(p.latencyMs.p50)), h('td', { class: 'num' }, ms(p.latencyMs.p95)), h('td', { class: 'num' }, ms(p.latencyMs.p99)),
    h('td', { class: 'num small' }, p.p99CiMs ? `${ms(p.p99CiMs[0])} – ${ms(p.p99CiMs[1])}` : '—'),
    h('td', { class: 'num' }, num(p.samplesPerSec, 1)), h('td', { class: 'num' }, bytes(p.peakRssBytes)),
    h('td', { title: p.error ?? '' }, h('span', { class: `badge ${p.status}` }, p.status), p.error ? h('div', { class: 'muted small' }, p.error) : null));
  tbody.append(...run.points.map(pointRow));

  renderDistribution(); renderOps(); renderBest(); renderKnees();
  const pointsStat = stat('points', num(run.points.length));
  const live = liveJob ? liveCard(ctx, liveJob, (p) => {
    if (run.points.some((q) => configKey(q.config) === configKey(p.config))) return;
    run.points.push(p);
    lt.addPoint(p);
    tbody.append(pointRow(p, run.points.length - 1));
    renderBest(); renderKnees();
    pointsStat.querySelector('.stat-value')!.textContent = num(run.points.length);
    if (!selected && p.status !== 'failed') selectPoint(p);
  }) : null;
  const hw = run.hardware;
  return h('div', { class: 'view' },
    h('header', { class: 'view-head' }, h('div', {}, h('a', { href: '#/runs', class: 'muted small' }, '← Runs'), h('h1', {}, summary?.name || run.runId)),
      h('div', { class: 'row' }, exportButtons(ctx, run), h('a', { class: 'btn', href: `#/compare?runs=${encodeURIComponent(run.runId)}` }, 'Compare with…'), h('a', { class: 'btn primary', href: `#/plan?run=${encodeURIComponent(run.runId)}` }, 'Plan with this run'))),
    live,
    card(null, h('div', { class: 'stats' }, stat('model', run.model.name), stat('status', run.status), pointsStat,
      stat('point quality', `${run.points.filter((p) => p.status === 'failed').length} failed, ${run.points.filter((p) => p.status === 'unstable').length} unstable`, 'failed: no result; unstable: its last windows disagreed (figures are indicative)'),
      stat(summary?.imported ? `hardware (imported from ${summary.imported.format})` : 'hardware', hw ? hardwareLabel(hw) : 'unknown'), stat('created', date(run.createdAt)),
      stat('anchor drift', run.anchorDriftPct === null || run.anchorDriftPct === undefined ? '—' : `${num(run.anchorDriftPct, 1)}%${run.noisy ? ' (noisy)' : ''}`, 'first point re-measured at the end'))),
    card('Latency vs throughput', h('div', { class: 'row wrap' }, h('label', { class: 'field inline' }, h('span', {}, 'percentile'), pct), h('label', { class: 'field inline' }, h('span', {}, 'SLA (ms, model-only)'), sla), h('span', { class: 'muted small' }, 'Latency is model-only: one run() call inside the session, no queue or network. Click a point (or a row below) to see its distribution.')),
      bestBox, h('div', { class: 'chart tall' }, ltCanvas), kneeNote),
    h('div', { class: 'grid two' }, card('Throughput vs batch', h('div', { class: 'chart' }, byBatchCanvas)), card('Latency distribution of the selected point', distBox)),
    card('Per-operator breakdown', opsBox),
    run.points.length ? rooflineCard(ctx, run.runId, charts) : null,
    card('All points', h('table', { class: 'table compact', 'data-testid': 'points-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'batch'), h('th', {}, 'inst × thr'), h('th', {}, 'precision · provider'), h('th', { class: 'num' }, 'n (requests)'), h('th', { class: 'num' }, 'model-only p50'), h('th', { class: 'num' }, 'model-only p95'), h('th', { class: 'num' }, 'model-only p99'), h('th', { class: 'num' }, 'p99 95% CI'), h('th', { class: 'num' }, 'samples/s'), h('th', { class: 'num' }, 'peak RSS'), h('th', {}, 'status'))),
      tbody)));
};

function exportButtons(ctx: ViewContext, run: SweepRunResult): HTMLElement {
  return exportControls(ctx, ['html', 'json', 'csv', 'pdf'], async () => run.runId);
}

/** Progress, points as they finish, and Cancel for a run whose job is still going. */
function liveCard(ctx: ViewContext, job: { jobId: string; runId: string; progress: JobProgress | null }, onPoint: (p: PointResult) => void): HTMLElement {
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Run progress' });
  const text = h('div', { class: 'muted small', 'data-testid': 'live-progress' }, 'Running…');
  const show = (e: JobProgress) => {
    bar.max = Math.max(1, e.total); bar.value = e.done;
    text.textContent = `${e.done} of ${e.total} points · ${e.phase} · elapsed ${duration(e.elapsedMs)} · remaining ${e.remainingMs === null ? 'estimating…' : `≈ ${duration(e.remainingMs)}`}`;
  };
  if (job.progress) show(job.progress);
  const cancel = h('button', { type: 'button', class: 'btn danger', 'data-testid': 'cancel-run', onclick: async () => {
    cancel.disabled = true;
    text.textContent = 'Cancelling after the current point…';
    try { await ctx.api.cancelJob({ jobId: job.jobId }); } catch (err) { cancel.disabled = false; toast((err as Error).message, 'error'); }
  } }, 'Cancel');
  const offs = [
    ctx.api.on('job.point', (e) => { if (e.jobId === job.jobId) onPoint(e.point); }),
    ctx.api.on('job.progress', (e) => { if (e.jobId === job.jobId) show(e); }),
    // the stored run now has its final status, anchor drift and every point: show that
    ctx.api.on('job.finished', (e) => { if (e.jobId === job.jobId) ctx.refresh(); }),
  ];
  ctx.onLeave(() => { for (const off of offs) off(); });
  // points that finished between the first read and the subscription (onPoint skips repeats)
  void ctx.api.getRun({ runId: job.runId }).then((r) => { for (const p of r.points) onPoint(p); }, () => { /* the refresh on finish shows them */ });
  return h('section', { class: 'card live', 'data-testid': 'live-run' }, h('h2', {}, 'Running now'), h('div', { class: 'row' }, bar, cancel), text);
}
