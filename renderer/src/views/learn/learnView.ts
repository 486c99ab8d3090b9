// The Learn view: guided scenarios (#/learn/SCENARIO[?step=N&present=1]), the live queue
// (#/learn/queue), the glossary (#/learn/glossary[?term=ID]) and the index (#/learn).
import { RECORDING_IDS, loadRecording } from '../../../../main/common/learn/recordings.ts';
import { SCENARIOS } from '../../../../main/common/learn/scenarios.ts';
import type { QueuePreset } from '../../../../main/common/learn/types.ts';
import type { View, ViewContext } from '../../viewContext.ts';
import { card, h } from '../../dom.ts';
import { glossaryLink } from './glossaryLink.ts';
import { glossaryView } from './glossaryView.ts';
import { queuePlayground } from './queuePlayground.ts';
import type { Playground } from './queuePlayground.ts';
import { walkthroughView } from './walkthroughView.ts';
import { latestMeasured } from './storedRuns.ts';
import { date } from '../../format.ts';
import type { RunSummary } from '../../../../main/common/types.ts';

export const learnView: View = async (ctx) => {
  const sub = ctx.params[0];
  if (sub === 'glossary') return glossaryView(ctx);
  if (sub === 'queue') return queueView(ctx);
  const scenario = sub ? SCENARIOS.find((s) => s.id === sub) : undefined;
  if (sub && !scenario) ctx.navigate('#/learn');
  if (scenario) return walkthroughView(ctx, scenario);
  return indexView(await ctx.api.listRuns().catch(() => []));
};

function indexView(runs: RunSummary[]): HTMLElement {
  return h('div', { class: 'view learn-index', 'data-testid': 'learn-index' },
    h('header', { class: 'view-head' }, h('div', {}, h('h1', {}, 'Learn'),
      h('p', { class: 'muted' }, 'Guided scenarios that explain real-time vs batch, latency vs throughput and why queues behave as they do, with real numbers from a small measurement on this machine (or a bundled recording).'))),
    h('div', { class: 'learn-scenarios' }, SCENARIOS.map((s, i) => h('article', { class: 'card learn-scenario', 'data-scenario': s.id },
      h('div', { class: 'learn-scenario-num' }, String(i + 1)),
      h('h2', {}, h('a', { href: `#/learn/${s.id}`, 'data-testid': `learn-open-${s.id}` }, s.title)),
      h('p', {}, s.tagline),
      h('p', { class: 'muted small' }, `Measures ${s.measurements.map((m) => m.model).join(' and ')} · plans ${s.workloads.map((w) => w.workload).filter((x, j, a) => a.indexOf(x) === j).join(', ')} · ${s.steps.length} steps`),
      ((m) => h('p', { class: 'small', 'data-testid': `learn-state-${s.id}` }, m
        ? h('span', { class: 'badge good' }, `measured here · ${date(m.at)}`)
        : h('span', { class: 'badge' }, 'bundled recording (not measured here yet)')))(latestMeasured(s, runs)),
      h('div', { class: 'row' }, h('a', { class: 'btn primary small', href: `#/learn/${s.id}` }, 'Start'), h('a', { class: 'btn small', href: `#/learn/${s.id}?present=1` }, 'Present'))))),
    h('div', { class: 'grid two' },
      card('The queue, live', h('p', {}, 'Watch requests arrive, wait, get batched and finish; move the rate, ', glossaryLink('burstiness'), ', batch size, delay and instances and see the ', glossaryLink('knee'), ' appear.'),
        h('a', { class: 'btn primary', href: '#/learn/queue', 'data-testid': 'learn-open-queue' }, 'Open the live queue')),
      card('Glossary', h('p', {}, 'Latency percentiles, throughput, utilization, Little\'s law, coordinated omission, cold start, dynamic batching, SLA, goodput: the definitions behind every number.'),
        h('a', { class: 'btn', href: '#/learn/glossary' }, 'Open the glossary'))));
}

const SOURCES: Array<{ id: string; label: string }> = [
  { id: 'analogy', label: 'analogy: 8 ms + 2 ms per request' },
  ...RECORDING_IDS.map((id) => ({ id, label: `${id} (bundled recording)` })),
];

function queueView(ctx: ViewContext): HTMLElement {
  const holder = h('div', {});
  let pg: Playground | null = null;
  const select = h('select', { class: 'input', 'aria-label': 'Service times from', 'data-testid': 'queue-source' }, SOURCES.map((s) => h('option', { value: s.id }, s.label)));
  const mount = () => {
    pg?.destroy();
    const id = select.value;
    const runs = id === 'analogy' ? {} : { [id]: loadRecording(id) };
    const preset: QueuePreset = id === 'analogy'
      ? { synthetic: { fixedMs: 8, perItemMs: 2 }, loadFraction: 0.6, cv: 1, maxBatch: 4, maxDelayMs: 4, instances: 1 }
      : { measurement: id, loadFraction: 0.6, cv: 1, maxBatch: 8, maxDelayMs: 1, instances: 1 };
    pg = queuePlayground({ preset, runs, sourceLabel: id === 'analogy' ? 'A batch of m requests takes 8 ms + 2 ms × m: the kitchen from the restaurant scenario.' : `Service times sampled from the recorded ${id} curve (101 quantiles per batch size).` });
    holder.replaceChildren(pg.el);
  };
  select.addEventListener('change', mount);
  ctx.onLeave(() => pg?.destroy());
  mount();
  return h('div', { class: 'view learn-queue', 'data-testid': 'learn-queue' },
    h('header', { class: 'view-head' }, h('div', {}, h('p', { class: 'muted small' }, h('a', { href: '#/learn' }, 'Learn'), ' / the queue, live'), h('h1', {}, 'The queue, live'),
      h('p', { class: 'muted' }, 'A Triton-style ', glossaryLink('dynamic-batching', 'dynamic batcher'), ' over k instances, run by the same simulator the planner uses: the counters match its figures for the same settings.')),
      h('label', { class: 'field' }, h('span', {}, 'service times from'), select)),
    h('section', { class: 'card' }, holder));
}
