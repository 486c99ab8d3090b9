// Sweep: pick a model, pin its inputs, choose a grid with the matrix picker (batch × instances ×
// threads × precision × provider; cells measured before are marked), see the estimated duration,
// then watch the latency-vs-throughput chart fill point by point, with progress and Cancel.
// Opening the view while a sweep runs (e.g. after a reload) re-attaches to it (listJobs).
import type { JobProgress, JobRef } from '../../../main/common/api.ts';
import type { InputPin, ModelInfo, PointResult, Precision, ProviderName } from '../../../main/common/types.ts';
import { methodSchema, type SweepSpec, type SweepSpecResolved } from '../../../main/common/schemas.ts';
import { gridPoints } from '../../../main/common/sweepGrid.ts';
import { estimateSweep } from '../../../main/common/sweepEstimate.ts';
import { MIN_SAMPLES_P99 } from '../../../main/common/stats/thresholds.ts';
import { latencyThroughputChart } from '../charts/latencyThroughput.ts';
import type { View } from '../viewContext.ts';
import { card, h, stat, toast } from '../dom.ts';
import { configKey, duration, ms, num } from '../format.ts';
import type { Percentile } from '../format.ts';
import { targetPicker } from './targets.ts';

const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const INSTANCES = [1, 2, 4];
const THREADS = [1, 2, 4];
const PRECISIONS: Precision[] = ['fp32', 'fp16', 'int8'];

/** Method presets: "quick" is for a first look (short windows), "standard" is MEASUREMENT.md's. */
export const METHOD_PRESETS = {
  quick: { label: 'Quick look (short windows, ~1 s per point)', method: { warmupMinRuns: 5, warmupMaxRuns: 200, windowMinMs: 150, windowMinRequests: 20, stableWindows: 2, maxWindows: 4, minSamplesForP99: 100, anchor: false }, perPointMs: 900 },
  standard: { label: `Standard method (stable windows, ≥${MIN_SAMPLES_P99} samples for p99)`, method: {}, perPointMs: 6000 },
} as const;

export const sweepView: View = async (ctx) => {
  const [models, info] = await Promise.all([ctx.api.listModels(), ctx.api.getInfo()]);
  const runOn = await targetPicker(ctx.api);
  const providers = info.providers.filter((p) => ['cpu', 'cuda', 'tensorrt', 'webgpu', 'dml', 'coreml'].includes(p.name));
  const sel = {
    batch: new Set([1, 2, 4, 8]), instances: new Set([1]), threads: new Set([1]),
    precision: new Set<Precision>(['fp32']), provider: new Set<ProviderName>(['cpu']),
  };
  let model: ModelInfo | undefined = models.find((m) => m.id === ctx.query.get('model')) ?? models[0];
  let measured = new Set<string>();
  let pins: InputPin[] = [];
  let preset: keyof typeof METHOD_PRESETS = 'quick';
  // per-operator profiling, as `kneepoint sweep --profile`: ORT's profiler on, a breakdown per point
  const profileBox = h('input', { type: 'checkbox', 'data-testid': 'sweep-profile' });
  let job: JobRef | null = null;

  const modelSelect = h('select', { class: 'input', id: 'sweep-model', 'aria-label': 'Model' }, models.map((m) => h('option', { value: m.id, selected: m.id === model?.id }, m.name)));
  const pinsBox = h('div', { class: 'pins' });
  const matrix = h('div', { class: 'matrix-wrap' });
  const axes = h('div', { class: 'axes' });
  const estimate = h('div', { class: 'estimate', 'data-testid': 'estimate' });
  const startBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'start-sweep' }, 'Start sweep');
  const cancelBtn = h('button', { type: 'button', class: 'btn danger', disabled: true, 'data-testid': 'cancel-sweep' }, 'Cancel');
  const attachNote = h('p', { class: 'muted small', 'data-testid': 'attach-note' });
  const progressBar = h('progress', { max: 1, value: 0, 'aria-label': 'Sweep progress' });
  const progressText = h('div', { class: 'muted small', 'data-testid': 'progress-text' }, 'Not running.');
  const canvas = h('canvas', { 'data-testid': 'sweep-chart', 'aria-label': 'Latency versus throughput, filled as points finish', role: 'img' });
  const pctSelect = h('select', { class: 'input', 'aria-label': 'Latency percentile' }, (['p50', 'p95', 'p99'] as const).map((p) => h('option', { value: p, selected: p === 'p99' }, p)));
  const pointsTable = h('tbody');
  const chart = latencyThroughputChart(canvas, { percentile: 'p99' });
  ctx.onLeave(() => chart.destroy());
  pctSelect.addEventListener('change', () => chart.setPercentile(pctSelect.value as Percentile));

  function chips<T extends string | number>(label: string, values: T[], set: Set<T>, disabled?: (v: T) => string | null): HTMLElement {
    return h('fieldset', { class: 'chips' }, h('legend', {}, label), values.map((v) => {
      const why = disabled?.(v) ?? null;
      const box = h('input', { type: 'checkbox', checked: set.has(v), disabled: !!why, 'data-axis': label, value: String(v) });
      box.addEventListener('change', () => { if (box.checked) set.add(v); else set.delete(v); renderMatrix(); });
      return h('label', { class: `chip${why ? ' disabled' : ''}`, title: why ?? null }, box, h('span', {}, String(v)));
    }));
  }

  function renderAxes(): void {
    axes.replaceChildren(
      chips('batch', BATCHES, sel.batch), chips('instances', INSTANCES, sel.instances), chips('threads per instance', THREADS, sel.threads),
      chips('precision', PRECISIONS, sel.precision),
      chips('provider', providers.map((p) => p.name), sel.provider, (v) => { const p = providers.find((x) => x.name === v); return p && !p.available ? `not available: ${p.reason ?? 'unknown reason'}` : null; }),
      h('label', { class: 'field' }, h('span', {}, 'method'), (() => {
        const s = h('select', { class: 'input', 'aria-label': 'Measurement method' }, Object.entries(METHOD_PRESETS).map(([k, v]) => h('option', { value: k, selected: k === preset }, v.label)));
        s.addEventListener('change', () => { preset = s.value as keyof typeof METHOD_PRESETS; renderMatrix(); });
        return s;
      })()),
      h('label', { class: 'field check', title: 'onnxruntime\'s profiler on: time per operator for each point (Run detail shows the breakdown); adds a little overhead' }, profileBox,
        h('span', {}, 'profile per operator (as ', h('code', {}, '--profile'), ')')));
  }

  const gridAxes = () => ({ batch: [...sel.batch], instances: [...sel.instances], threads: [...sel.threads], precision: [...sel.precision], provider: [...sel.provider] });
  /** the points the engine will measure (main/common/sweepGrid.ts: the same expansion) */
  function grid() {
    return gridPoints(gridAxes());
  }

  /** Rows: instances × threads; columns: batch. A cell is the set of selected precisions/providers. */
  function renderMatrix(): void {
    const cols = BATCHES;
    const rows: Array<[number, number]> = [];
    for (const i of INSTANCES) for (const t of THREADS) rows.push([i, t]);
    const table = h('table', { class: 'matrix', 'aria-label': 'Grid of points: rows are instances × threads, columns are batch sizes' },
      h('thead', {}, h('tr', {}, h('th', {}, 'inst × thr \\ batch'), cols.map((b) => h('th', {}, String(b))))),
      h('tbody', {}, rows.map(([i, t]) => h('tr', {}, h('th', {}, `${i} × ${t}`), cols.map((b) => {
        const on = sel.batch.has(b) && sel.instances.has(i) && sel.threads.has(t);
        const keys = [...sel.precision].flatMap((pr) => [...sel.provider].map((pv) => configKey({ batch: b, instances: i, threadsPerInstance: t, precision: pr, provider: pv })));
        const done = keys.length > 0 && keys.every((k) => measured.has(k));
        const some = !done && keys.some((k) => measured.has(k));
        const cell = h('button', {
          type: 'button', class: `cell${on ? ' on' : ''}${done ? ' measured' : some ? ' partly' : ''}`,
          'aria-pressed': String(on), title: `batch ${b}, ${i} instance(s) × ${t} thread(s)${done ? ' — measured before' : some ? ' — partly measured before' : ''}`,
          onclick: () => { const add = !on; for (const [s, v] of [[sel.batch, b], [sel.instances, i], [sel.threads, t]] as const) if (add) s.add(v); renderAxes(); renderMatrix(); },
        }, on ? (done ? '✓●' : '✓') : done ? '●' : some ? '◐' : '');
        return h('td', {}, cell);
      })))));
    matrix.replaceChildren(table, h('p', { class: 'muted small legend' }, '✓ selected · ● measured before on this model · ◐ partly measured. Clicking a cell adds its row and column.'));
    const est = estimateSweep(gridAxes(), methodSchema.parse(METHOD_PRESETS[preset].method));
    const n = grid().length;
    const estMs = (est.lowMs + est.highMs) / 2;
    estimate.replaceChildren(stat('points', num(n)), stat('estimated duration', `≈ ${duration(estMs)}`, 'rough: points × typical time per point for this method; large batches take longer'));
    startBtn.disabled = n === 0 || !model || job !== null;
  }

  function renderPins(): void {
    if (!model) { pinsBox.replaceChildren(); return; }
    pins = model.inputs.map((t) => ({ ...(model!.defaultPins?.find((p) => p.name === t.name) ?? { name: t.name }) }));
    pinsBox.replaceChildren(h('p', { class: 'muted small' }, 'Inputs: unpinned ones are synthesized from the model metadata. In a shape, N is the batch size.'),
      ...model.inputs.map((t, i) => {
        const pin = pins[i];
        const field = (key: 'shape' | 'value' | 'range', label: string, placeholder: string) => {
          const cur = pin[key];
          const inp = h('input', { class: 'input', placeholder, value: cur === undefined ? '' : Array.isArray(cur) ? cur.join(',') : String(cur), 'aria-label': `${t.name} ${label}` });
          inp.addEventListener('change', () => {
            const v = inp.value.trim();
            if (!v) { delete pin[key]; return; }
            if (key === 'value') pin.value = Number(v);
            else if (key === 'range') pin.range = v.split(',').map(Number).slice(0, 2) as [number, number];
            else pin.shape = v.split(',').map((s) => (/^-?\d+$/.test(s.trim()) ? Number(s) : s.trim()));
          });
          return h('label', { class: 'field' }, h('span', {}, label), inp);
        };
        return h('div', { class: 'pin' }, h('div', {}, h('code', {}, t.name), h('span', { class: 'muted small' }, `  ${t.type} [${t.shape.map((d) => d ?? '?').join(', ')}]`)),
          h('div', { class: 'pin-fields' }, field('shape', 'shape', 'N,3,48,192'), field('value', 'fixed value', 'e.g. 16000'), field('range', 'range min,max', '0,1')));
      }));
  }

  async function loadMeasured(): Promise<void> {
    measured = new Set();
    if (!model) return;
    try {
      const runs = (await ctx.api.listRuns({ model: model.id, kind: 'sweep' })).slice(0, 8);
      const results = await Promise.all(runs.map((r) => ctx.api.getRun({ runId: r.id }).catch(() => null)));
      for (const r of results) for (const p of r?.points ?? []) if (p.status !== 'failed') measured.add(configKey(p.config));
    } catch { /* marks are a convenience */ }
    renderMatrix();
  }

  modelSelect.addEventListener('change', () => { model = models.find((m) => m.id === modelSelect.value); renderPins(); void loadMeasured(); });

  const offs: Array<() => void> = [];
  ctx.onLeave(() => { for (const f of offs) f(); });
  /** points that arrive while re-attaching wait here, so none is lost or drawn twice */
  let attachBuffer: PointResult[] | null = null;
  offs.push(ctx.api.on('job.point', (e) => {
    if (!job || e.jobId !== job.jobId) return;
    if (attachBuffer) attachBuffer.push(e.point); else addPoint(e.point);
  }));
  function showProgress(e: JobProgress): void {
    progressBar.max = Math.max(1, e.total); progressBar.value = e.done;
    progressText.textContent = `${e.done} of ${e.total} points · ${e.phase} · elapsed ${duration(e.elapsedMs)} · remaining ${e.remainingMs === null ? 'estimating…' : `≈ ${duration(e.remainingMs)}`}`;
  }
  offs.push(ctx.api.on('job.progress', (e) => { if (job && e.jobId === job.jobId) showProgress(e); }));
  offs.push(ctx.api.on('job.finished', (e) => {
    if (!job || e.jobId !== job.jobId) return;
    const runId = job.runId;
    job = null;
    attachNote.replaceChildren();
    cancelBtn.disabled = true;
    progressText.replaceChildren(`Sweep ${e.status}${e.error ? `: ${e.error}` : ''}. `, h('a', { href: `#/runs/${encodeURIComponent(runId)}`, 'data-testid': 'open-run' }, 'Open the run →'));
    progressText.dataset.status = e.status;
    renderMatrix();
    void loadMeasured();
  }));

  const shown = new Set<string>();
  function addPoint(p: PointResult): void {
    const key = configKey(p.config);
    if (shown.has(key)) return;
    shown.add(key);
    chart.addPoint(p);
    pointsTable.append(h('tr', { class: p.status }, h('td', {}, String(p.config.batch)), h('td', {}, `${p.config.instances} × ${p.config.threadsPerInstance}`), h('td', {}, `${p.config.precision} · ${p.config.provider}`),
      h('td', { class: 'num' }, ms(p.latencyMs.p50)), h('td', { class: 'num' }, ms(p.latencyMs.p99)), h('td', { class: 'num' }, num(p.samplesPerSec, 1)), h('td', { class: 'num' }, num(p.requests)),
      h('td', { title: p.error ?? '' }, h('span', { class: `badge ${p.status}` }, p.status), p.error ? h('span', { class: 'muted small' }, ` ${p.error}`) : null)));
  }

  startBtn.addEventListener('click', async () => {
    if (!model) return;
    const g = grid();
    if (!g.length) return;
    const spec: SweepSpec = {
      model: model.id, batch: [...sel.batch].sort((a, b) => a - b), instances: [...sel.instances].sort((a, b) => a - b),
      threads: [...sel.threads].sort((a, b) => a - b), precision: [...sel.precision], provider: [...sel.provider],
      inputs: pins.filter((p) => Object.keys(p).length > 1), method: { ...METHOD_PRESETS[preset].method },
      ...(profileBox.checked ? { sessionOptions: { profile: true } } : {}),
      ...(runOn.value() ? { target: runOn.value() } : {}),
    };
    startBtn.disabled = true;
    chart.clear(); pointsTable.replaceChildren(); shown.clear();
    try {
      job = await ctx.api.startSweep(spec);
      cancelBtn.disabled = false;
      progressBar.max = g.length; progressBar.value = 0;
      progressText.textContent = `Started: 0 of ${g.length} points.`;
      delete progressText.dataset.status;
    } catch (err) {
      startBtn.disabled = false;
      toast(err instanceof Error ? err.message : String(err), 'error');
    }
  });
  cancelBtn.addEventListener('click', async () => {
    if (!job) return;
    cancelBtn.disabled = true;
    progressText.textContent = 'Cancelling after the current point…';
    try { await ctx.api.cancelJob({ jobId: job.jobId }); } catch (err) { toast(err instanceof Error ? err.message : String(err), 'error'); }
  });

  /** A sweep already running (started before a reload, or from another tab): show it live. */
  async function reattach(): Promise<void> {
    const running = (await ctx.api.listJobs().catch(() => [])).find((j) => j.kind === 'sweep');
    if (!running || job) return;
    job = { jobId: running.jobId, runId: running.runId };
    attachBuffer = [];
    startBtn.disabled = true; cancelBtn.disabled = false;
    progressText.textContent = 'Re-attaching to the running sweep…';
    const run = await ctx.api.getRun({ runId: running.runId }).catch(() => null);
    const spec = (run?.spec ?? {}) as Partial<SweepSpecResolved>;
    const m = models.find((x) => x.id === run?.model.id);
    if (m) { model = m; modelSelect.value = m.id; renderPins(); }
    if (spec.batch) sel.batch = new Set(spec.batch);
    if (spec.instances) sel.instances = new Set(spec.instances);
    if (spec.threads) sel.threads = new Set(spec.threads);
    if (spec.precision) sel.precision = new Set(spec.precision);
    if (spec.provider) sel.provider = new Set(spec.provider);
    renderAxes(); void loadMeasured();
    const buffered = attachBuffer;
    attachBuffer = null;
    for (const p of [...(run?.points ?? []), ...buffered]) addPoint(p);
    if (!job || job.jobId !== running.jobId) return; // it finished while we were reading it
    progressText.dataset.attached = 'true';
    attachNote.replaceChildren(`Re-attached to the sweep that was already running (${spec.name || running.runId}); its earlier points are back on the chart. `,
      h('a', { href: `#/runs/${encodeURIComponent(running.runId)}` }, 'Open its run →'));
    if (running.progress) showProgress(running.progress);
    else progressText.textContent = `Re-attached: ${shown.size} points so far.`;
    progressBar.max = Math.max(1, running.progress?.total ?? grid().length);
    progressBar.value = Math.max(running.progress?.done ?? 0, shown.size);
  }

  renderAxes(); renderPins(); renderMatrix(); void loadMeasured(); void reattach();
  return h('div', { class: 'view' },
    h('header', { class: 'view-head' }, h('h1', {}, 'Sweep'), h('p', { class: 'muted' }, 'Closed-loop measurement of every point of the grid on this machine. Each point is stored the moment it finishes.')),
    h('div', { class: 'grid sweep-grid' },
      card('1 · Model and inputs', h('label', { class: 'field' }, h('span', {}, 'model'), modelSelect), pinsBox),
      card('2 · Grid', axes, matrix)),
    card('3 · Run', h('div', { class: 'row' }, runOn.el, startBtn, cancelBtn, estimate), progressBar, progressText, attachNote),
    card('Latency vs throughput (live)', h('div', { class: 'row' }, h('label', { class: 'field inline' }, h('span', {}, 'latency percentile'), pctSelect),
      h('span', { class: 'muted small' }, '● stable · △ unstable (hover for why) · ✕ failed')),
      h('div', { class: 'chart tall' }, canvas),
      h('table', { class: 'table compact' }, h('thead', {}, h('tr', {}, h('th', {}, 'batch'), h('th', {}, 'inst × thr'), h('th', {}, 'precision · provider'), h('th', { class: 'num' }, 'model-only p50'), h('th', { class: 'num' }, 'model-only p99'), h('th', { class: 'num' }, 'samples/s'), h('th', { class: 'num' }, 'n (requests)'), h('th', {}, 'status'))), pointsTable)));
};
