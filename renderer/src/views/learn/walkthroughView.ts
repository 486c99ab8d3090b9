// One scenario, step by step: starts from the bundled recordings (works offline), "Run it for
// real" measures the scenario's quick sweeps through the API with progress and re-plans; ←/→
// (or PageUp/PageDown, space) move between steps, P toggles presenter mode, Esc leaves it.
import { findGlossaryEntry } from '../../../../main/common/learn/glossary.ts';
import { loadRecording } from '../../../../main/common/learn/recordings.ts';
import type { Recording } from '../../../../main/common/learn/recordings.ts';
import type { Scenario, Walkthrough } from '../../../../main/common/learn/types.ts';
import { measurementSweepSpec, walkScenario } from '../../../../main/common/learn/walkthrough.ts';
import type { PlanResult, Workload } from '../../../../main/common/plan/index.ts';
import type { SweepRunResult } from '../../../../main/common/types.ts';
import type { ViewContext } from '../../viewContext.ts';
import { h, stat } from '../../dom.ts';
import { date } from '../../format.ts';
import { glossaryLink } from './glossaryLink.ts';
import { setPresenter } from './presenter.ts';
import { renderStepView } from './stepViews.ts';
import { loadMeasured, measurementRunName } from './storedRuns.ts';
import type { Rendered } from './stepViews.ts';
import { workloadTexts } from './workloadTexts.ts';
import { targetPicker } from '../targets.ts';

interface State {
  runs: Record<string, SweepRunResult>;
  source: Walkthrough['source'];
  walkthrough: Walkthrough;
  plans: Record<string, PlanResult>;
  workloads: Record<string, Workload>;
}

export async function walkthroughView(ctx: ViewContext, scenario: Scenario): Promise<HTMLElement> {
  const yaml = await workloadTexts(ctx.api);
  const recordings: Record<string, Recording> = Object.fromEntries(scenario.measurements.map((m) => [m.id, loadRecording(m.id)]));
  const build = (runs: Record<string, SweepRunResult>, source: Walkthrough['source']): State => {
    const r = walkScenario(scenario, runs, yaml, source);
    return { runs, source, walkthrough: r.walkthrough, plans: r.plans, workloads: r.workloads };
  };
  // measured here before (this visit or an earlier one): those figures, not the recording
  const stored = await loadMeasured(ctx.api, scenario);
  // "run it for real" here or on a remote target (hidden when none is configured)
  const runOn = await targetPicker(ctx.api);
  let state = stored ? build(stored.runs, 'measured') : build(recordings, 'recording');
  const startStep = Number(ctx.query.get('step') ?? '1');
  let index = Number.isInteger(startStep) && startStep >= 1 && startStep <= scenario.steps.length ? startStep - 1 : 0;
  let current: Rendered | null = null;
  let running = false;
  let lastStatus = stored ? `Measured here on ${date(stored.at)}: every step shows this machine's figures.` : '';
  /** when this scenario's figures were measured here: null = just now (this visit) */
  let measuredAt: string | null = stored?.at ?? null;
  const roles = Object.fromEntries(scenario.workloads.map((w) => [w.key, w.role]));

  const body = h('div', { class: 'learn-step', 'data-testid': 'learn-step' });
  const sourceHolder = h('div', { class: 'learn-source-line' });
  const sourceBadge = h('span', { class: 'badge', 'data-testid': 'learn-source' });
  const counter = h('span', { class: 'muted', 'data-testid': 'learn-step-counter' });
  const prevBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'learn-prev', onclick: () => go(index - 1) }, '← Previous');
  const nextBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'learn-next', onclick: () => go(index + 1) }, 'Next →');
  const dots = h('ol', { class: 'learn-dots', 'aria-label': 'Steps' });
  const presentBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'learn-present', title: 'Presenter mode (P)', onclick: () => togglePresenter() }, 'Present');

  function togglePresenter(on = !document.body.classList.contains('presenter')): void {
    setPresenter(on);
    presentBtn.textContent = on ? 'Exit presenter (Esc)' : 'Present';
    render();
  }

  function go(i: number): void {
    if (i < 0 || i >= scenario.steps.length || i === index) return;
    index = i;
    history.replaceState(null, '', `#/learn/${scenario.id}?step=${index + 1}${document.body.classList.contains('presenter') ? '&present=1' : ''}`);
    render();
  }

  function sourceLine(): HTMLElement {
    if (state.source === 'measured') {
      return h('p', { class: 'muted small' }, `Measured ${measuredAt ? `here on ${date(measuredAt)}` : 'just now'} on ${state.walkthrough.machine}: `,
        ...Object.values(state.walkthrough.runIds).map((id, i) => [i ? ', ' : '', h('a', { href: `#/runs/${encodeURIComponent(id)}` }, id)]).flat());
    }
    const rec = recordings[scenario.measurements[0].id].recording;
    return h('p', { class: 'muted small' }, `Figures from a bundled recording made on ${rec.machine} (${date(rec.capturedAt)}), not this machine. Run it for real to measure here.`);
  }

  function measurePanel(): HTMLElement {
    const progress = h('progress', { max: 1, value: 0, hidden: true, 'data-testid': 'learn-progress' });
    const status = h('div', { class: 'muted small', 'data-testid': 'learn-run-status' }, lastStatus);
    const runBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'learn-run-real', disabled: running }, running ? 'Measuring…' : 'Run it for real');
    const recBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'learn-use-recording', disabled: running || state.source === 'recording' }, 'Use the recording');
    recBtn.addEventListener('click', () => { state = build(recordings, 'recording'); render(); });
    runBtn.addEventListener('click', () => { void runForReal(progress, status, runBtn); });
    return h('div', { class: 'learn-measure' },
      h('table', { class: 'table compact' },
        h('thead', {}, h('tr', {}, h('th', {}, 'model'), h('th', {}, 'batch sizes'), h('th', {}, 'precision'), h('th', {}, 'why this model'))),
        h('tbody', {}, scenario.measurements.map((m) => h('tr', {}, h('td', {}, m.model), h('td', {}, m.batch.join(', ')), h('td', {}, (m.precision ?? ['fp32']).join(', ')), h('td', { class: 'small' }, m.why))))),
      h('p', { class: 'muted small' }, 'Quick closed-loop sweeps (250 ms windows, at most 4 per point, ≥ 100 requests): under a minute, indicative figures. Each point re-warms first (', glossaryLink('cold-start', 'warm-up'), ').'),
      h('div', { class: 'row wrap' }, runOn.el, runBtn, recBtn), progress, status);
  }

  async function runForReal(progress: HTMLProgressElement, status: HTMLElement, btn: HTMLButtonElement): Promise<void> {
    running = true;
    btn.disabled = true;
    btn.textContent = 'Measuring…';
    progress.hidden = false;
    const runs: Record<string, SweepRunResult> = {};
    const target = runOn.value();
    try {
      for (const [i, m] of scenario.measurements.entries()) {
        status.textContent = `Starting ${m.model} (${i + 1}/${scenario.measurements.length})…`;
        let jobId = '';
        const finished = new Promise<{ status: string; error?: string; runId: string }>((resolve) => {
          const offDone = ctx.api.on('job.finished', (e) => { if (e.jobId === jobId) { offDone(); offProg(); resolve(e); } });
          const offProg = ctx.api.on('job.progress', (p) => {
            if (p.jobId !== jobId) return;
            progress.max = Math.max(1, p.total);
            progress.value = p.done;
            status.textContent = `${m.model} (${i + 1}/${scenario.measurements.length}): ${p.done}/${p.total} points · ${p.phase}`;
          });
          ctx.onLeave(() => { offDone(); offProg(); });
        });
        const ref = await ctx.api.startSweep({ ...measurementSweepSpec(m, measurementRunName(scenario, m.id)), ...(target ? { target } : {}) });
        jobId = ref.jobId;
        const fin = await finished;
        if (fin.status !== 'completed') throw new Error(`the ${m.model} sweep ${fin.status}${fin.error ? `: ${fin.error}` : ''}; use the recording instead`);
        runs[m.id] = await ctx.api.getRun({ runId: ref.runId });
      }
      state = build(runs, 'measured');
      measuredAt = null;
      lastStatus = target ? `Done: every step now shows the figures of target ${target.join(', ')}.` : 'Done: every step now shows this machine\'s figures.';
    } catch (err) {
      lastStatus = `Could not measure: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      running = false;
      if (body.isConnected) render();
    }
  }

  function termLinks(terms: string[]): HTMLElement | null {
    if (!terms.length) return null;
    return h('p', { class: 'learn-terms small' }, 'Terms: ', terms.map((t, i) => [i ? ' · ' : '', glossaryLink(t, findGlossaryEntry(t)?.term ?? t)]).flat());
  }

  function render(): void {
    current?.destroy();
    current = null;
    const step = state.walkthrough.steps[index];
    const spec = scenario.steps[index];
    counter.textContent = `Step ${index + 1} of ${scenario.steps.length}`;
    prevBtn.disabled = index === 0;
    nextBtn.disabled = index === scenario.steps.length - 1;
    sourceBadge.textContent = state.source === 'measured' ? 'measured here' : 'recording';
    sourceBadge.className = `badge ${state.source === 'measured' ? 'good' : 'unstable'}`;
    dots.replaceChildren(...scenario.steps.map((s, i) => h('li', {}, h('button', { type: 'button', class: `learn-dot${i === index ? ' active' : ''}`, 'aria-label': `Step ${i + 1}: ${s.title}`, 'aria-current': i === index ? 'step' : null, onclick: () => go(i) }, String(i + 1)))));
    const figures = step.figures.filter((f) => f.value !== null && (typeof f.value === 'number' || f.text.length < 40));
    const rendered = renderStepView(spec.view, { runs: state.runs, plans: state.plans, workloads: state.workloads, roles });
    current = rendered;
    body.replaceChildren(...[
      h('h2', { class: 'learn-step-title', 'data-testid': 'learn-step-title' }, step.title),
      spec.view.kind === 'intro' ? h('div', { class: 'learn-intro' },
        h('div', {}, h('h3', {}, 'The situation'), h('p', {}, scenario.situation)),
        h('div', {}, h('h3', {}, 'The question'), h('p', {}, scenario.question)),
        h('div', {}, h('h3', {}, 'What to look at'), h('p', {}, scenario.lookAt))) : null,
      h('p', { class: 'learn-text', 'data-testid': 'learn-text' }, step.text),
      figures.length && spec.view.kind !== 'measure' ? h('div', { class: 'stats learn-figures' }, figures.map((f) => stat(f.label, f.text))) : null,
      spec.view.kind === 'measure' ? measurePanel() : null,
      rendered.el,
      termLinks(step.terms)].filter((x): x is HTMLElement => x !== null));
    sourceHolder.replaceChildren(sourceLine());
    root.dataset.step = String(index + 1);
    root.dataset.source = state.source;
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (e.key === 'ArrowRight' || e.key === 'PageDown' || (e.key === ' ' && t?.tagName !== 'BUTTON')) { e.preventDefault(); go(index + 1); }
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { e.preventDefault(); go(index - 1); }
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(scenario.steps.length - 1);
    else if (e.key === 'p' || e.key === 'P') togglePresenter();
    else if (e.key === 'Escape' && document.body.classList.contains('presenter')) togglePresenter(false);
  };
  window.addEventListener('keydown', onKey);
  ctx.onLeave(() => { window.removeEventListener('keydown', onKey); current?.destroy(); setPresenter(false); });

  const root = h('div', { class: 'view learn-walkthrough', 'data-testid': 'learn-walkthrough', 'data-scenario': scenario.id },
    h('header', { class: 'view-head' },
      h('div', {}, h('p', { class: 'muted small learn-crumb' }, h('a', { href: '#/learn' }, 'Learn'), ' / scenario'), h('h1', {}, scenario.title), sourceHolder),
      h('div', { class: 'row' }, sourceBadge, presentBtn)),
    h('section', { class: 'card learn-card' }, body,
      h('nav', { class: 'learn-nav', 'aria-label': 'Step navigation' }, prevBtn, dots, counter, nextBtn),
      h('p', { class: 'muted small learn-keys' }, 'Keys: ← → move between steps · P presenter mode · Esc leaves it')));
  if (ctx.query.get('present') === '1') { setPresenter(true); presentBtn.textContent = 'Exit presenter (Esc)'; }
  render();
  return root;
}
