// Plan: a workload form that round-trips with its YAML, the verdict with its explanation, the
// plans table, cost-vs-SLA and cost-vs-deadline curves, what-if sliders, levers when it does not
// fit, export of the plan shown, and "validate with real load" (an open-loop run at the planned
// rate through the planned batcher). Every plan, what-ifs included, is the engine's: one planner.
import { Document as YamlDocument, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { Plan, PlanResult } from '../../../main/common/plan/types.ts';
import { headroomFigure, latencyAtSla, plansSlaPercentile, utilizationFigure } from '../../../main/common/plan/planFigures.ts';
import type { RunSummary } from '../../../main/common/types.ts';
import { lineChart } from '../charts/simpleCharts.ts';
import type { Chart } from '../charts/setup.ts';
import type { StoredPlanRecord } from '../../../main/common/api.ts';
import type { View } from '../viewContext.ts';
import { card, errorBox, h, stat, toast } from '../dom.ts';
import { exportControls } from '../download.ts';
import { date, ms, num, usd } from '../format.ts';
import { leverList, scaleDailyProfile } from './planLevers.ts';
import { checkPredictionButton } from './planCheck.ts';
import { deployControls } from './planDeploy.ts';

type FieldPath = Array<string | number>;
interface FieldDef { path: FieldPath; label: string; kind: 'text' | 'number' | 'bool'; unit?: string }

const FIELDS: FieldDef[] = [
  { path: ['name'], label: 'name', kind: 'text' },
  { path: ['model', 'id'], label: 'model', kind: 'text' },
  { path: ['sla', 'percentile'], label: 'SLA percentile', kind: 'number', unit: 'e.g. 99' },
  { path: ['sla', 'slaMs'], label: 'SLA latency', kind: 'number', unit: 'ms, end to end' },
  { path: ['callers', 'synchronous'], label: 'callers wait for the answer', kind: 'bool' },
  { path: ['callers', 'acceptsAsync'], label: 'callers accept a job id (async)', kind: 'bool' },
  { path: ['traffic', 'meanRatePerSec'], label: 'mean rate', kind: 'number', unit: 'requests/s' },
  { path: ['traffic', 'peakToMean'], label: 'peak / mean', kind: 'number', unit: '×' },
  { path: ['freshness', 'deadlineS'], label: 'deferred deadline', kind: 'number', unit: 's' },
  { path: ['overheads', 'networkMs'], label: 'network', kind: 'number', unit: 'ms' },
  { path: ['instances', 0, 'name'], label: 'instance type', kind: 'text' },
  { path: ['instances', 0, 'pricePerHourUsd'], label: 'instance price', kind: 'number', unit: '$/hour' },
];

const YAML_KEY = (planId: string) => `kneepoint.plan-yaml.${planId}`;
/** The workload text a plan was made from, kept in this browser so reopening it shows the user's text. */
function rememberYamlText(planId: string, text: string): void { try { localStorage.setItem(YAML_KEY(planId), text); } catch { /* storage may be off or full */ } }
function yamlTextOf(planId: string): string | null { try { return localStorage.getItem(YAML_KEY(planId)); } catch { return null; } }

const MODE_LABEL: Record<string, string> = { realtime: 'Real-time', deferred: 'Deferred online', batch: 'Scheduled batch', hybrid: 'Hybrid', infeasible: 'Infeasible' };

export const planView: View = async (ctx) => {
  const planId = ctx.query.get('plan');
  const [workloads, runs, stored] = await Promise.all([ctx.api.listWorkloads(), ctx.api.listRuns(),
    planId ? ctx.api.getPlan({ planId }) : Promise.resolve(null as StoredPlanRecord | null)]);
  // measured curves: sweeps here and imported runs (another machine's sweep, a perf_analyzer CSV)
  let usable = runs.filter((r) => (r.kind === 'sweep' || r.kind === 'import') && (r.status === 'completed' || r.pointCount > 0));
  const wantWorkload = ctx.query.get('workload');
  let doc: Document = parseDocument((workloads.find((w) => w.id === wantWorkload) ?? workloads[0])?.yaml ?? 'name: my workload\nmodel:\n  id: mlp-tiny\nsla:\n  percentile: 99\n  slaMs: 50\ncallers:\n  synchronous: true\ntraffic:\n  meanRatePerSec: 100\n  peakToMean: 2\ninstances:\n  - name: c6i.large\n    pricePerHourUsd: 0.085\n');
  // a stored plan opens with its workload, its run and its result as they were planned
  // (with the YAML text it was planned from, comments and order included, when this browser planned it)
  const storedText = stored ? yamlTextOf(stored.id) : null;
  if (stored) doc = storedText !== null ? parseDocument(storedText) : new YamlDocument(stored.workload);
  let runId = stored?.runId ?? ctx.query.get('run') ?? '';
  let last: PlanResult | null = null;
  /** the stored plan the verdict shows (what Export exports when no slider moved) */
  let lastPlanId = stored?.id ?? '';
  let base: { rate: number; peak: number; sla: number; price: number } | null = null;
  const charts: Chart[] = [];
  ctx.onLeave(() => { for (const c of charts) c.destroy(); });

  const storedName = String((stored?.workload as { name?: unknown } | undefined)?.name ?? stored?.id ?? '');
  const workloadSel = h('select', { class: 'input', 'aria-label': 'Workload file' },
    stored ? h('option', { value: '', selected: true }, `stored plan: ${storedName}`) : null,
    workloads.map((w) => h('option', { value: w.id, selected: !stored && w.id === wantWorkload }, `${w.name} (${w.path})`)));
  const runSel = h('select', { class: 'input', 'aria-label': 'Sweep run to plan with', 'data-testid': 'plan-run' });
  const yamlArea = h('textarea', { class: 'input code', rows: 18, spellcheck: false, 'aria-label': 'Workload YAML', 'data-testid': 'workload-yaml' });
  const yamlError = h('div', { class: 'muted small' });
  const form = h('div', { class: 'form-grid' });
  const inputs = new Map<string, HTMLInputElement>();
  const result = h('div', { class: 'stack', 'data-testid': 'plan-result' });
  const planBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'make-plan' }, 'Plan');
  const sliders = h('div', { class: 'sliders' });

  const getIn = (p: FieldPath) => doc.getIn(p) as unknown;
  const mismatch = h('div', { class: 'warning small', role: 'status', hidden: true, 'data-testid': 'run-mismatch' });
  const mapBox = h('input', { type: 'checkbox', 'data-testid': 'map-model' });
  const mismatchText = h('span', {});
  const mapText = h('span', {});
  mismatch.append(mismatchText, h('label', { class: 'field check' }, mapBox, mapText));
  /** the run's model when the user mapped the workload's model to it (else undefined: a mismatch is refused) */
  const mapModel = (): string | undefined => (!mismatch.hidden && mapBox.checked ? usable.find((r) => r.id === runId)?.model : undefined);
  function checkMismatch(): void {
    const want = String(getIn(['model', 'id']) ?? '');
    const have = usable.find((r) => r.id === runId)?.model;
    const was = mismatch.hidden;
    mismatch.hidden = !have || !want || have === want;
    if (mismatch.hidden !== was) mapBox.checked = false;
    mismatchText.textContent = mismatch.hidden ? '' : `This run measured ${have}, but the workload runs ${want}: the engine refuses a plan on another model's curves. Pick a run of ${want} (or sweep it first), or map the model: `;
    mapText.textContent = mismatch.hidden ? '' : `plan ${want} with ${have}'s curves (the plan and its report say so)`;
  }
  function fillRuns(): void {
    const modelId = String(getIn(['model', 'id']) ?? '');
    const list = [...usable].sort((a, b) => Number(b.model === modelId) - Number(a.model === modelId) || b.createdAt.localeCompare(a.createdAt));
    if (!runId || !list.some((r) => r.id === runId)) runId = list.find((r) => r.model === modelId)?.id ?? list[0]?.id ?? '';
    // runs of the workload's model first; the others stay pickable, grouped apart (and warned about)
    const option = (r: RunSummary) => h('option', { value: r.id, selected: r.id === runId }, `${r.name || r.id} · ${r.model} · ${r.pointCount} points${r.imported ? ` · imported (${r.hardwareLabel ?? 'other machine'})` : ''}`);
    const mine = list.filter((r) => r.model === modelId);
    const others = list.filter((r) => r.model !== modelId);
    const groups = [h('optgroup', { label: mine.length ? `runs of ${modelId || 'the workload\'s model'}` : `no runs of ${modelId || 'the workload\'s model'} yet` }, mine.map(option))];
    if (others.length) groups.push(h('optgroup', { label: 'other models' }, others.map(option)));
    runSel.replaceChildren(...groups);
    checkMismatch();
  }
  function fillForm(): void {
    for (const f of FIELDS) {
      const el = inputs.get(f.path.join('.'))!;
      const v = getIn(f.path);
      if (f.kind === 'bool') el.checked = v === true;
      else el.value = v === undefined || v === null ? '' : String(v);
    }
  }
  // the YAML as the user wrote it (comments, order, formatting) is what the engine plans; form edits
  // change only the fields they touch (the yaml Document keeps everything else)
  function syncYaml(): void { yamlArea.value = doc.toString(); yamlError.textContent = ''; }

  for (const f of FIELDS) {
    const el = h('input', { class: 'input', type: f.kind === 'bool' ? 'checkbox' : f.kind === 'number' ? 'number' : 'text', step: 'any', 'aria-label': f.label, 'data-field': f.path.join('.') });
    el.addEventListener('change', () => {
      if (f.kind === 'bool') doc.setIn(f.path, el.checked);
      else if (el.value === '') doc.deleteIn(f.path);
      else doc.setIn(f.path, f.kind === 'number' ? Number(el.value) : el.value);
      syncYaml();
      if (f.path[0] === 'model') fillRuns();
    });
    inputs.set(f.path.join('.'), el);
    form.append(h('label', { class: f.kind === 'bool' ? 'field check' : 'field' }, h('span', {}, f.label, f.unit ? h('span', { class: 'muted' }, ` (${f.unit})`) : null), el));
  }
  yamlArea.addEventListener('input', () => {
    const d = parseDocument(yamlArea.value);
    if (d.errors.length) {
      const e = d.errors[0];
      const at = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : '';
      yamlError.textContent = `YAML ${at}${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
      yamlError.setAttribute('role', 'alert');
      return;
    }
    doc = d; yamlError.textContent = ''; fillForm(); fillRuns();
  });
  workloadSel.addEventListener('change', () => {
    const w = workloads.find((x) => x.id === workloadSel.value);
    if (!w) return;
    doc = parseDocument(w.yaml); syncYaml(); fillForm(); fillRuns(); base = null;
  });
  runSel.addEventListener('change', () => { runId = runSel.value; checkMismatch(); });
  const planTiming = h('span', { class: 'muted small', 'data-testid': 'plan-timing' });

  /** the workload with the sliders' values (the workload as written while no slider moved) */
  let whatIfWorkload: Record<string, any> | null = null;
  let planSeq = 0;
  async function runPlan(opts: { whatIf: boolean }): Promise<void> {
    const seq = ++planSeq;
    if (!opts.whatIf) { planBtn.disabled = true; whatIfWorkload = null; result.replaceChildren(h('div', { class: 'loading' }, 'Planning (simulating the measured curves)…')); }
    const t0 = performance.now();
    try {
      // the engine plans (and stores) the workload as the user wrote it; a what-if is planned unstored
      const args = opts.whatIf && whatIfWorkload
        ? { runId: runId || undefined, mapModel: mapModel(), workload: whatIfWorkload, whatIf: true }
        : { runId: runId || undefined, mapModel: mapModel(), workload: doc.toJS(), workloadYaml: yamlArea.value };
      let r = await ctx.api.plan(args) as PlanResult & { planId?: string };
      if (seq !== planSeq) return;
      if (opts.whatIf && last) r = { ...r, sensitivity: last.sensitivity };
      else { last = r; lastPlanId = r.planId ?? ''; if (lastPlanId && args.workloadYaml !== undefined) rememberYamlText(lastPlanId, args.workloadYaml); }
      renderResult(r, opts.whatIf);
      planTiming.textContent = `planned by the engine in ${Math.round(performance.now() - t0)} ms`;
      if (!opts.whatIf) renderSliders();
    } catch (err) {
      if (seq !== planSeq) return;
      // the engine's own words (a refused model, a workload error with its line): no verdict
      result.replaceChildren(h('div', { 'data-testid': 'plan-error' }, errorBox(err)));
      if (!opts.whatIf) sliders.replaceChildren();
    } finally { if (!opts.whatIf) planBtn.disabled = false; }
  }
  planBtn.addEventListener('click', () => { base = null; void runPlan({ whatIf: false }); });

  function renderSliders(): void {
    const w = doc.toJS() as Record<string, any>;
    base = {
      rate: Number(w.traffic?.meanRatePerSec ?? 10), peak: Number(w.traffic?.peakToMean ?? 1),
      sla: Number(w.sla?.slaMs ?? 100), price: Number(w.instances?.[0]?.pricePerHourUsd ?? 0.1),
    };
    const profile: number[] | undefined = Array.isArray(w.traffic?.dailyProfile) ? w.traffic.dailyProfile.map(Number) : undefined;
    // a daily profile fixes the peak itself: the slider scales the profile's swing around its mean
    if (profile) base.peak = Math.max(...profile) / (profile.reduce((a, x) => a + x, 0) / profile.length || 1);
    const b = base;
    const current = { ...b };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const recompute = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const wl = structuredClone(doc.toJS()) as Record<string, any>;
        wl.traffic = { ...(wl.traffic ?? {}), meanRatePerSec: current.rate };
        if (profile) wl.traffic.dailyProfile = scaleDailyProfile(profile, current.peak);
        else wl.traffic.peakToMean = current.peak;
        wl.sla = { ...(wl.sla ?? {}), slaMs: current.sla };
        if (wl.instances?.[0]) wl.instances[0].pricePerHourUsd = current.price;
        whatIfWorkload = wl;
        void runPlan({ whatIf: true });
      }, 60);
    };
    const slider = (key: keyof typeof current, label: string, min: number, max: number, step: number, fmt: (v: number) => string) => {
      const out = h('output', {}, fmt(current[key]));
      const el = h('input', { type: 'range', min: String(min), max: String(max), step: String(step), value: String(current[key]), 'aria-label': label, 'data-slider': key });
      el.addEventListener('input', () => { current[key] = Number(el.value); out.textContent = fmt(current[key]); recompute(); });
      return h('label', { class: 'slider' }, h('span', {}, label), el, out);
    };
    sliders.replaceChildren(
      slider('rate', 'mean rate', Math.max(0.1, b.rate / 10), b.rate * 10, Math.max(0.1, b.rate / 100), (v) => `${num(v, 1)} req/s`),
      slider('peak', profile ? 'peak / mean (scales the daily profile)' : 'peak / mean', 1, Math.max(10, b.peak * 2), 0.1, (v) => `×${v.toFixed(1)}`),
      slider('sla', 'SLA', Math.max(1, b.sla / 10), b.sla * 5, Math.max(0.1, b.sla / 100), (v) => ms(v)),
      slider('price', 'instance price', b.price / 10 || 0.001, (b.price || 0.1) * 5, (b.price || 0.1) / 100, (v) => `$${v.toFixed(3)}/h`),
      h('button', { type: 'button', class: 'btn small', onclick: () => { void runPlan({ whatIf: false }); } }, 'Reset to the workload'));
  }

  function renderResult(r: PlanResult, whatIf = false): void {
    for (const c of charts.splice(0)) c.destroy();
    const w = (whatIf && whatIfWorkload ? whatIfWorkload : doc.toJS()) as Record<string, any>;
    const chosen: Plan | undefined = r.plans[0];
    const feasible = r.verdict !== 'infeasible';
    // latencies are at the workload's SLA percentile (p95 for a p95 SLA); p99 is shown beside it, labelled
    const pct = plansSlaPercentile(r.plans, Number(w?.sla?.percentile) || 99);
    const atSla = chosen?.predicted ? latencyAtSla(chosen.predicted) : null;
    const withBand = (v: number, band: [number, number]) => `${ms(v)} (${ms(band[0])}–${ms(band[1])})`;
    const pctText = (fig: string | null) => (fig === null ? 'scales per request' : `${fig}%`);
    const latencyCell = (p: Plan) => {
      if (!p.predicted) return '—';
      const l = latencyAtSla(p.predicted);
      return h('span', {}, `${l.percentile !== pct ? `p${l.percentile} ` : ''}${ms(l.ms)}`,
        l.percentile !== 99 ? h('span', { class: 'muted small' }, ` · p99 ${ms(p.predicted.p99Ms)}`) : null);
    };
    const slaCanvas = h('canvas', { role: 'img', 'aria-label': 'Monthly cost versus SLA' });
    const dlCanvas = h('canvas', { role: 'img', 'aria-label': 'Monthly cost versus deadline' });
    result.replaceChildren(
      h('section', { class: `card verdict ${feasible ? 'good' : 'bad'}`, 'data-testid': 'verdict' },
        h('div', { class: 'verdict-head' }, h('span', { class: 'verdict-label' }, 'Recommendation'), h('h2', { 'data-testid': 'verdict-mode' }, MODE_LABEL[r.verdict] ?? r.verdict)),
        chosen ? h('div', { class: 'stats' },
          stat('monthly cost', r.costUnknown ? 'no price given' : usd(chosen.monthlyCostUsd)), stat('per million requests', usd(chosen.costPerMillionUsd)),
          stat('replicas at peak', num(chosen.replicas)),
          stat(`predicted end-to-end p${atSla?.percentile ?? pct}`, atSla ? withBand(atSla.ms, atSla.bandMs) : '—', 'end to end: queue + batching + model + network and pre/post-processing'),
          atSla && atSla.percentile !== 99 && chosen.predicted ? stat('predicted end-to-end p99', withBand(chosen.predicted.p99Ms, chosen.predicted.p99BandMs), 'end to end: queue + batching + model + network and pre/post-processing') : null,
          stat('headroom at peak', pctText(headroomFigure(chosen))), stat('binding constraint', chosen.bindingConstraint),
          chosen.config ? stat('configuration', `${chosen.config.precision} · batch ≤${chosen.config.batch} · ${chosen.config.instances} inst × ${chosen.config.threadsPerInstance} thr · ${chosen.config.instanceType}`) : null) : null,
        // the planner lists its levers as "  - …" sub-lines: they are shown once, below, as levers
        h('ul', { class: 'explanation' }, r.explanation.filter((l) => !/^\s+- /.test(l)).map((l) => h('li', {}, l.replace(/Levers:$/, 'The levers are listed below.')))),
        r.uncertaintyPct ? h('p', { class: 'muted small' }, `± ${r.uncertaintyPct}% on capacity and latency: the target instance was not measured.`) : null,
        r.checked === null && !whatIf ? checkPredictionButton(ctx, String(r.model), () => void runPlan({ whatIf: false }), r.checkTarget) : null,
        leverList(r, { slaMs: Number(w.sla?.slaMs), percentile: Number(w.sla?.percentile) || 99, modelId: String(w.model?.id ?? r.model), int8Sweep: int8Sweep }),
        h('div', { class: 'row wrap', 'data-slot': 'plan-actions' },
          chosen && feasible ? validateButton(chosen) : null,
          exportControls(ctx, ['html', 'pdf', 'json'], exportId, { label: whatIf ? 'Export this what-if' : 'Export plan', testId: 'export-plan' }),
          feasible ? deployControls(ctx, exportId) : null)),
      card('Plans by mode', h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Plans by mode' }, h('table', { class: 'table compact', 'data-testid': 'plans-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'mode'), h('th', {}, 'variant'), h('th', {}, 'feasible'), h('th', { class: 'num' }, 'replicas'), h('th', { class: 'num' }, '$/month'), h('th', { class: 'num' }, '$ per 1M'), h('th', { class: 'num' }, `end-to-end p${pct} (predicted)`), h('th', { class: 'num' }, 'utilisation'), h('th', {}, 'binding constraint / reason'))),
        h('tbody', {}, r.plans.map((p) => h('tr', { class: p.feasible ? '' : 'muted' }, h('td', {}, MODE_LABEL[p.mode] ?? p.mode), h('td', {}, p.variant), h('td', {}, p.feasible ? 'yes' : 'no'),
          h('td', { class: 'num' }, num(p.replicas)), h('td', { class: 'num' }, usd(p.monthlyCostUsd)), h('td', { class: 'num' }, usd(p.costPerMillionUsd)),
          h('td', { class: 'num' }, latencyCell(p)), h('td', { class: 'num' }, p.feasible ? pctText(utilizationFigure(p)) : '—'), h('td', { class: 'small' }, p.feasible ? p.bindingConstraint : p.reason ?? ''))))))),
      h('div', { class: 'grid two' },
        card(whatIf ? 'Cost vs SLA (of the workload as written)' : 'Cost vs SLA', r.sensitivity.sla.length ? h('div', { class: 'chart' }, slaCanvas) : h('p', { class: 'muted' }, 'not computed')),
        card(whatIf ? 'Cost vs deadline (of the workload as written)' : 'Cost vs deadline', r.sensitivity.deadline.length ? h('div', { class: 'chart' }, dlCanvas) : h('p', { class: 'muted' }, 'not computed'))));
    const slaNow = Number(w?.sla?.slaMs);
    if (r.sensitivity.sla.length) charts.push(lineChart(slaCanvas, { xTitle: 'SLA latency (ms)', yTitle: 'cheapest plan ($/month)', xLog: true, step: true, series: [{ label: 'cost', points: r.sensitivity.sla.filter((s) => s.monthlyCostUsd !== null).map((s) => ({ x: s.slaMs, y: s.monthlyCostUsd! })) }], marker: Number.isFinite(slaNow) ? { x: slaNow, label: `your SLA ${ms(slaNow)}` } : null }));
    if (r.sensitivity.deadline.length) charts.push(lineChart(dlCanvas, { xTitle: 'deadline (s, log)', yTitle: 'cheapest plan ($/month)', xLog: true, step: true, series: [{ label: 'cost', points: r.sensitivity.deadline.filter((s) => s.monthlyCostUsd !== null).map((s) => ({ x: s.deadlineS, y: s.monthlyCostUsd! })) }] }));
  }

  /** The plan shown: the stored plan, or (after a slider moved) that what-if, stored now so it can be exported. */
  async function exportId(): Promise<string> {
    if (!whatIfWorkload && lastPlanId) return lastPlanId;
    const r = await ctx.api.plan({ runId: runId || undefined, mapModel: mapModel(), workload: whatIfWorkload ?? doc.toJS() }) as { planId: string };
    return r.planId;
  }

  /** The int8 lever: measure fp32 and int8 over the run's grid, then plan again with that run. */
  async function int8Sweep(status: HTMLElement, btn: HTMLButtonElement): Promise<void> {
    const modelId = String(getIn(['model', 'id']) ?? '');
    const from = runId ? await ctx.api.getRun({ runId }).catch(() => null) : null;
    const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
    const pts = from?.model.id === modelId ? from.points : [];
    const batch = pts.length ? uniq(pts.map((p) => p.config.batch)) : [1, 2, 4, 8];
    const instances = pts.length ? uniq(pts.map((p) => p.config.instances)) : [1];
    const threads = pts.length ? uniq(pts.map((p) => p.config.threadsPerInstance)) : [1];
    btn.disabled = true;
    try {
      // the same measurement method as the run it extends, so both precisions are measured alike
      const method = pts.length ? (from!.spec as { method?: Record<string, unknown> } | undefined)?.method : undefined;
      const job = await ctx.api.startSweep({ model: modelId, batch, instances, threads, precision: ['fp32', 'int8'], ...(method ? { method } : {}), name: `int8 lever for ${String(getIn(['name']) ?? modelId)}` });
      const total = batch.length * instances.length * threads.length * 2;
      status.textContent = `Measuring ${modelId} in fp32 and int8: 0 of ${total} points…`;
      const offs = [
        ctx.api.on('job.progress', (e) => { if (e.jobId === job.jobId) status.textContent = `Measuring ${modelId} in fp32 and int8: ${e.done} of ${e.total} points…`; }),
        ctx.api.on('job.finished', async (e) => {
          if (e.jobId !== job.jobId) return;
          for (const off of offs) off();
          btn.disabled = false;
          if (e.status !== 'completed') { status.textContent = `The int8 sweep ended ${e.status}${e.error ? `: ${e.error}` : ''}.`; return; }
          usable = (await ctx.api.listRuns()).filter((x) => (x.kind === 'sweep' || x.kind === 'import') && (x.status === 'completed' || x.pointCount > 0));
          runId = e.runId; fillRuns();
          void runPlan({ whatIf: false });
        }),
      ];
      ctx.onLeave(() => { for (const off of offs) off(); });
    } catch (err) { btn.disabled = false; status.textContent = ''; toast((err as Error).message, 'error'); }
  }

  function validateButton(p: Plan): HTMLElement {
    const status = h('span', { class: 'muted small' });
    const btn = h('button', { type: 'button', class: 'btn', onclick: async () => {
      const w = doc.toJS() as Record<string, any>;
      const c = p.config;
      const perReplica = Math.max(1, (Number(w.traffic?.meanRatePerSec ?? 10)) / Math.max(1, p.replicas));
      try {
        btn.disabled = true;
        const job = await ctx.api.startLoad({ model: String(w.model?.id ?? last?.model), rate: perReplica, seconds: 10, arrival: 'poisson', maxBatch: c?.batch ?? 1, maxDelayMs: c?.maxDelayMs ?? 0, instances: c?.instances ?? 1, threads: c?.threadsPerInstance ?? 1, precision: c?.precision ?? 'fp32', slaMs: Number(w.sla?.slaMs) || undefined, name: `validate ${w.name ?? ''}` });
        status.textContent = `Running 10 s of Poisson load at ${num(perReplica, 1)} req/s on one replica…`;
        const off = ctx.api.on('job.finished', (e) => {
          if (e.jobId !== job.jobId) return;
          off(); btn.disabled = false;
          status.replaceChildren(`Load run ${e.status}. `, h('a', { href: `#/runs/${encodeURIComponent(e.runId)}` }, 'Open it →'));
        });
        ctx.onLeave(off);
      } catch (err) { btn.disabled = false; toast((err as Error).message, 'error'); }
    } }, 'Validate with real load');
    return h('span', { class: 'row tight' }, btn, status);
  }

  syncYaml(); fillForm(); fillRuns();
  if (storedText !== null) yamlArea.value = storedText;
  let storedNote: HTMLElement | null = null;
  if (stored) {
    const runGone = !!stored.runId && !usable.some((r) => r.id === stored.runId);
    storedNote = h('p', { class: 'muted small', 'data-testid': 'stored-plan' }, `Stored plan ${stored.id} of ${date(stored.createdAt)}`,
      stored.runId ? ` with run ${stored.runId}${runGone ? ' (that run was deleted: what-if and re-planning use the run picked below)' : ''}` : '', '. Press Plan to plan it again.');
    last = stored.result as PlanResult;
    renderResult(last);
    planTiming.textContent = 'stored result (not recomputed)';
    lastPlanId = stored.id;
    renderSliders();
  }
  return h('div', { class: 'view' },
    h('header', { class: 'view-head' }, h('h1', {}, 'Plan'), h('p', { class: 'muted' }, 'How should this model be served for this workload, and what does it cost? Predictions come from simulating the measured curves.'), storedNote),
    h('div', { class: 'grid plan-grid' },
      card('Workload', h('div', { class: 'row wrap' }, workloads.length ? h('label', { class: 'field' }, h('span', {}, 'workload file'), workloadSel) : null, h('label', { class: 'field' }, h('span', {}, 'measured run'), runSel)),
        mismatch, form, h('div', { class: 'row' }, planBtn, h('span', { class: 'muted small' }, usable.length ? '' : 'No sweep runs yet: run a sweep first.'))),
      card('YAML', yamlArea, yamlError)),
    card('What if…', h('p', { class: 'muted small' }, 'Move a slider: the engine plans it again at once, without storing it (the workload file is not changed; Export stores and exports the plan shown). ', planTiming), sliders),
    result);
};
