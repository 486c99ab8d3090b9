// Overview: what the user can do first, what runs on this machine (available providers first, the
// others folded with their reasons), recent runs and plans, and every shipped workload.
import type { View } from '../viewContext.ts';
import { card, h, stat } from '../dom.ts';
import { bytes, date, num } from '../format.ts';
import { targetsCard } from './targets.ts';

export const overviewView: View = async (ctx) => {
  const [info, runs, plans, workloads] = await Promise.all([
    ctx.api.getInfo(), ctx.api.listRuns().catch(() => []), ctx.api.listPlans().catch(() => []), ctx.api.listWorkloads().catch(() => []),
  ]);
  const runName = new Map(runs.map((r) => [r.id, r.name || r.id]));
  const targets = await targetsCard(ctx.api);
  const hw = info.hardware;
  const hardware = card('This machine',
    h('div', { class: 'stats' },
      stat('CPU', hw.cpu.model), stat('logical cores', num(hw.cpu.cores)), stat('physical cores', num(hw.cpu.physicalCores)),
      stat('clock (GHz)', hw.cpu.speedGHz ? hw.cpu.speedGHz.toFixed(2) : '—'), stat('memory', bytes(hw.memoryBytes)),
      stat('GPU', hw.gpus.length ? hw.gpus.map((g) => `${g.model}${g.vramBytes ? ` (${bytes(g.vramBytes)})` : ''}`).join(', ') : 'none found'),
      stat('OS', hw.os)),
    h('p', { class: 'muted small' }, `Node ${info.versions.node} · onnxruntime ${info.versions.onnxruntime}${info.versions.kneepoint ? ` · Kneepoint ${info.versions.kneepoint}` : ''}${hw.fingerprint ? ` · hardware fingerprint ${hw.fingerprint.slice(0, 12)}` : ''}`));

  const provider = (p: (typeof info.providers)[number]) => h('li', { class: p.available ? 'ok' : 'off' },
    h('span', { class: `badge ${p.available ? 'good' : 'neutral'}` }, p.available ? 'available' : 'not available'),
    h('strong', {}, p.name), p.reason ? h('span', { class: 'muted' }, ` — ${p.reason}`) : null);
  const on = info.providers.filter((p) => p.available);
  const off = info.providers.filter((p) => !p.available);
  const providers = card('Execution providers',
    h('ul', { class: 'providers', 'data-testid': 'providers-available' }, on.map(provider)),
    off.length ? h('details', { class: 'providers-off', 'data-testid': 'providers-unavailable' }, h('summary', {}, `${off.length} not available on this machine (${off.map((p) => p.name).join(', ')}): why`),
      h('ul', { class: 'providers' }, off.map(provider))) : null);

  const start = card('Start here',
    h('div', { class: 'actions' },
      action('Measure a model', 'Sweep batch sizes and instances; watch latency vs throughput fill in.', '#/sweep'),
      action('Import a model', 'Add your own .onnx file and inspect its inputs, ops and FLOPs.', '#/models'),
      action('Plan a workload', 'Turn a measured run into a costed serving decision.', '#/plan'),
      action('Compare runs', 'fp32 vs int8, this laptop vs a server.', '#/compare')));

  const recent = card('Recent runs', runs.length === 0
    ? h('p', { class: 'muted' }, 'No runs yet. Start with a sweep of a small model such as mlp-tiny.')
    : h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'run'), h('th', {}, 'model'), h('th', {}, 'kind'), h('th', {}, 'status'), h('th', { class: 'num' }, 'points (n)'), h('th', {}, 'created'))),
      h('tbody', {}, runs.slice(0, 6).map((r) => h('tr', {},
        h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(r.id)}` }, r.name || r.id)), h('td', {}, r.model), h('td', {}, r.kind),
        h('td', {}, h('span', { class: `badge ${r.status}` }, r.status)), h('td', { class: 'num' }, num(r.pointCount)), h('td', {}, date(r.createdAt)))))));

  const recentPlans = card('Recent plans', plans.length === 0
    ? h('p', { class: 'muted' }, 'No plans yet. Plan a workload with a measured run.')
    : h('table', { class: 'table', 'data-testid': 'recent-plans' },
      h('thead', {}, h('tr', {}, h('th', {}, 'workload'), h('th', {}, 'verdict'), h('th', {}, 'measured run'), h('th', {}, 'created'))),
      h('tbody', {}, plans.slice(0, 6).map((p) => h('tr', { 'data-plan': p.id },
        h('td', {}, h('a', { href: `#/plan?plan=${encodeURIComponent(p.id)}` }, p.workloadName || p.id)),
        h('td', {}, p.verdict ? h('span', { class: `badge ${p.verdict === 'infeasible' ? 'failed' : 'good'}` }, p.verdict) : '—'),
        h('td', {}, p.runId ? (runName.has(p.runId) ? h('a', { href: `#/runs/${encodeURIComponent(p.runId)}` }, runName.get(p.runId)!) : h('span', { class: 'muted' }, `${p.runId} (deleted)`)) : '—'),
        h('td', {}, date(p.createdAt)))))));

  const workloadList = card('Workloads to plan', workloads.length === 0
    ? h('p', { class: 'muted' }, 'No workload files found.')
    : h('ul', { class: 'plain workload-list', 'data-testid': 'workload-list' }, workloads.map((w) => h('li', {}, h('a', { href: `#/plan?workload=${encodeURIComponent(w.id)}` }, w.name), h('span', { class: 'muted small' }, ` ${w.path}`)))));

  return h('div', { class: 'view' },
    h('header', { class: 'view-head' }, h('h1', {}, 'Overview'), h('p', { class: 'muted' }, 'Measure real ONNX models on this machine and turn the measurements into a costed serving decision.')),
    start,
    h('div', { class: 'grid two' }, recentPlans, workloadList),
    recent,
    h('div', { class: 'grid two' }, providers, hardware),
    targets);
};

function action(title: string, text: string, href: string): HTMLElement {
  return h('a', { class: 'action', href }, h('strong', {}, title), h('span', { class: 'muted' }, text));
}
