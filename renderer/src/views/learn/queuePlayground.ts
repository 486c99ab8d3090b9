// The live queue animation with its controls: a canvas driven by the event-level stepper
// (main/common/learn/queueStepper.ts, the simulator's own semantics), live counters, the
// simulator's steady-state figures for the same settings, and the latency-vs-load curve with
// its knee. Moving a control restarts the animation with the new settings.
import { createQueueStepper } from '../../../../main/common/learn/queueStepper.ts';
import type { QueueStepper } from '../../../../main/common/learn/queueStepper.ts';
import type { QueuePreset } from '../../../../main/common/learn/types.ts';
import { resolveQueuePreset } from '../../../../main/common/learn/walkthrough.ts';
import { simulate, stabilityBoundPerSec } from '../../../../main/common/sim/index.ts';
import { batcherFromFields } from '../../../../main/common/sim/batchPolicy.ts';
import type { ArrivalSpec, BatcherConfig, ServiceModel } from '../../../../main/common/sim/index.ts';
import type { SweepRunResult } from '../../../../main/common/types.ts';
import { lineChart } from '../../charts/simpleCharts.ts';
import type { Chart } from '../../charts/setup.ts';
import { h } from '../../dom.ts';
import { drawQueueFrame } from './queueCanvas.ts';
import { glossaryLink } from './glossaryLink.ts';

export interface PlaygroundOptions {
  preset: QueuePreset;
  runs: Record<string, SweepRunResult>;
  /** draw an SLA line on the histogram and the knee curve */
  slaMs?: number;
  /** a caption saying where the service times come from */
  sourceLabel?: string;
}

export interface Playground { el: HTMLElement; destroy(): void }

interface Settings { ratePerSec: number; cv: number; maxBatch: number; maxDelayMs: number; instances: number; arrivalsPerScreenSec: number }

const BATCHES = [1, 2, 4, 8, 16, 32, 64];

function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : v >= 1 ? `${v.toFixed(2)} ms` : `${v.toFixed(3)} ms`;
}
function fmtRate(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
}

export function queuePlayground(o: PlaygroundOptions): Playground {
  const base = resolveQueuePreset(o.preset, o.runs);
  const service: ServiceModel = base.service;
  const s: Settings = {
    ratePerSec: base.arrival.ratePerSec ?? 1, cv: o.preset.cv, maxBatch: o.preset.maxBatch, maxDelayMs: o.preset.maxDelayMs,
    instances: o.preset.instances, arrivalsPerScreenSec: 12,
  };
  const s1 = service.meanMs(1) + service.overheadMs;
  const delayMax = Math.max(1, niceStep(s1 * 20));
  const canvas = h('canvas', { class: 'queue-canvas', role: 'img', 'aria-label': 'Queue animation: arrivals, the queue, busy instances and the latency histogram', 'data-testid': 'queue-canvas' });
  const charts: Chart[] = [];
  let stepper: QueueStepper;
  let started = 0;
  let simMsPerScreenMs = 1;
  let raf = 0;
  let counterTimer: ReturnType<typeof setInterval> | undefined;
  let kneeTimer: ReturnType<typeof setTimeout> | undefined;
  let latencies: number[] = [];
  let live = { p50: NaN, p99: NaN };

  const batcher = (): BatcherConfig => batcherFromFields(s);
  const arrival = (rate = s.ratePerSec): ArrivalSpec => (s.cv === 1 ? { kind: 'poisson', ratePerSec: rate } : { kind: 'gamma', ratePerSec: rate, cv: s.cv });
  const bound = () => stabilityBoundPerSec(service, batcher());

  // counters
  const cell = (id: string) => h('td', { class: 'num', 'data-testid': id }, '—');
  const liveCells = { completed: cell('queue-live-completed'), p50: cell('queue-live-p50'), p99: cell('queue-live-p99'), rate: cell('queue-live-rate'), util: cell('queue-live-util'), batch: cell('queue-live-batch') };
  const simCells = { completed: cell('queue-sim-completed'), p50: cell('queue-sim-p50'), p99: cell('queue-sim-p99'), rate: cell('queue-sim-rate'), util: cell('queue-sim-util'), batch: cell('queue-sim-batch') };
  const counters = h('table', { class: 'table compact queue-counters', 'data-testid': 'queue-counters' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { class: 'num' }, 'requests'), h('th', { class: 'num' }, 'p50'), h('th', { class: 'num' }, glossaryLink('p99', 'p99')),
      h('th', { class: 'num' }, glossaryLink('throughput', 'throughput (req/s)')), h('th', { class: 'num' }, glossaryLink('utilization')), h('th', { class: 'num' }, 'mean batch'))),
    h('tbody', {},
      h('tr', {}, h('th', {}, 'this animation so far'), liveCells.completed, liveCells.p50, liveCells.p99, liveCells.rate, liveCells.util, liveCells.batch),
      h('tr', {}, h('th', {}, 'simulator, 20 000 requests'), simCells.completed, simCells.p50, simCells.p99, simCells.rate, simCells.util, simCells.batch)));
  const status = h('p', { class: 'muted small', 'data-testid': 'queue-status' });

  // controls
  const controls = h('div', { class: 'sliders queue-controls' });
  const rateOut = h('output', {});
  const rate = h('input', { type: 'range', min: '0', max: '1', step: 'any', 'aria-label': 'arrival rate', 'data-control': 'rate' });
  const setRateRange = () => {
    const max = bound() * 1.15;
    rate.max = String(max);
    rate.step = String(max / 400);
    rate.value = String(Math.min(s.ratePerSec, max));
  };
  const slider = (label: HTMLElement | string, el: HTMLInputElement | HTMLSelectElement, out: HTMLOutputElement) => h('label', { class: 'slider' }, h('span', {}, label), el, out);
  const cvOut = h('output', {});
  const cv = h('input', { type: 'range', min: '0', max: '3', step: '0.1', value: String(s.cv), 'aria-label': 'burstiness (CV)', 'data-control': 'cv' });
  const batchOut = h('output', {});
  const batchSel = h('input', { type: 'range', min: '0', max: String(BATCHES.length - 1), step: '1', value: String(Math.max(0, BATCHES.indexOf(s.maxBatch))), 'aria-label': 'max batch', 'data-control': 'batch' });
  const delayOut = h('output', {});
  const delay = h('input', { type: 'range', min: '0', max: String(delayMax), step: String(delayMax / 200), value: String(s.maxDelayMs), 'aria-label': 'max queue delay', 'data-control': 'delay' });
  const instOut = h('output', {});
  const inst = h('input', { type: 'range', min: '1', max: '8', step: '1', value: String(s.instances), 'aria-label': 'instances', 'data-control': 'instances' });
  const speedOut = h('output', {});
  const speed = h('input', { type: 'range', min: '2', max: '60', step: '1', value: String(s.arrivalsPerScreenSec), 'aria-label': 'animation speed (arrivals shown per second)', 'data-control': 'speed' });
  const outputs = () => {
    const b = bound();
    rateOut.textContent = `${fmtRate(s.ratePerSec)} req/s (${Math.round((s.ratePerSec / b) * 100)} % of capacity)`;
    cvOut.textContent = s.cv === 0 ? '0 (regular)' : s.cv === 1 ? '1 (Poisson)' : `${s.cv.toFixed(1)}${s.cv > 1 ? ' (bursty)' : ''}`;
    batchOut.textContent = String(s.maxBatch);
    delayOut.textContent = fmtMs(s.maxDelayMs);
    instOut.textContent = String(s.instances);
    speedOut.textContent = `${s.arrivalsPerScreenSec} arrivals/s`;
  };
  controls.append(
    slider(glossaryLink('throughput', 'arrival rate'), rate, rateOut),
    slider(glossaryLink('burstiness', 'burstiness (CV)'), cv, cvOut),
    slider(glossaryLink('dynamic-batching', 'max batch'), batchSel, batchOut),
    slider(glossaryLink('dynamic-batching', 'max delay'), delay, delayOut),
    slider('instances', inst, instOut),
    slider('slow motion', speed, speedOut));
  const onControl = (fn: () => void, rangeChanges = false) => () => { fn(); if (rangeChanges) setRateRange(); outputs(); restart(); scheduleKnee(); };
  rate.addEventListener('input', onControl(() => { s.ratePerSec = Math.max(bound() * 0.01, Number(rate.value)); }));
  cv.addEventListener('input', onControl(() => { s.cv = Number(cv.value); }));
  batchSel.addEventListener('input', onControl(() => { s.maxBatch = BATCHES[Number(batchSel.value)]; }, true));
  delay.addEventListener('input', onControl(() => { s.maxDelayMs = Number(delay.value); }, true));
  inst.addEventListener('input', onControl(() => { s.instances = Number(inst.value); }, true));
  speed.addEventListener('input', () => { s.arrivalsPerScreenSec = Number(speed.value); outputs(); restart(); });

  // the knee: p50/p99 vs offered load for the current batcher
  const kneeCanvas = h('canvas', { role: 'img', 'aria-label': 'Latency versus offered load', 'data-testid': 'knee-chart' });
  function scheduleKnee(): void {
    clearTimeout(kneeTimer);
    kneeTimer = setTimeout(drawKnee, 120);
  }
  function drawKnee(): void {
    for (const c of charts.splice(0)) c.destroy();
    const b = bound();
    const fractions = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.62, 0.7, 0.76, 0.82, 0.86, 0.9, 0.93, 0.95, 0.97];
    const p50: Array<{ x: number; y: number }> = [];
    const p99: Array<{ x: number; y: number }> = [];
    for (const f of fractions) {
      const r = simulate({ arrival: arrival(b * f), batcher: batcher(), service, requests: 4000, seed: 11 });
      p50.push({ x: b * f, y: r.latencyMs.p50 });
      p99.push({ x: b * f, y: r.latencyMs.p99 });
    }
    const series = [{ label: 'p99 latency', points: p99 }, { label: 'p50 latency', points: p50, dashed: true }];
    if (o.slaMs !== undefined) series.push({ label: `SLA ${fmtMs(o.slaMs)}`, points: [{ x: 0, y: o.slaMs }, { x: b, y: o.slaMs }], dashed: true });
    charts.push(lineChart(kneeCanvas, { xTitle: 'offered load (requests/s)', yTitle: 'latency (ms)', series, marker: { x: s.ratePerSec, label: 'you are here' } }));
    kneeCanvas.dataset.points = String(p99.length);
  }

  function updateCounters(): void {
    const now = (performance.now() - started) * simMsPerScreenMs;
    const c = stepper.counters(now);
    latencies = stepper.latenciesUntil(now);
    live = { p50: c.latencyMs.p50, p99: c.latencyMs.p99 };
    liveCells.completed.textContent = c.completed.toLocaleString('en-US');
    liveCells.p50.textContent = fmtMs(c.latencyMs.p50);
    liveCells.p99.textContent = c.completed >= 100 ? fmtMs(c.latencyMs.p99) : `${fmtMs(c.latencyMs.p99)}*`;
    liveCells.rate.textContent = fmtRate(c.requestsPerSec);
    liveCells.util.textContent = `${Math.round(c.utilization * 100)} %`;
    liveCells.batch.textContent = c.meanBatchSize ? c.meanBatchSize.toFixed(1) : '—';
    status.textContent = `Simulated time ${fmtMs(now)} (slowed ${fmtRate(1 / simMsPerScreenMs)}×).${c.completed < 100 ? ' * few requests yet: the live p99 is not meaningful until a few hundred have finished.' : ''}${c.saturated ? ' Over capacity: the queue grows without bound.' : ''}`;
    if (c.completed > 200_000) restart();
    stepper.prune(now - 4 * flightMs());
  }

  function updateSimulated(): void {
    const r = simulate({ arrival: arrival(), batcher: batcher(), service, requests: 20_000, seed: 1 });
    simCells.completed.textContent = (20_000).toLocaleString('en-US');
    simCells.p50.textContent = fmtMs(r.latencyMs.p50);
    simCells.p99.textContent = fmtMs(r.latencyMs.p99) + (r.saturated ? ' (saturated)' : '');
    simCells.rate.textContent = fmtRate(r.requestsPerSec);
    simCells.util.textContent = `${Math.round(r.utilization * 100)} %`;
    simCells.batch.textContent = r.meanBatchSize.toFixed(1);
  }

  const flightMs = () => 600 * simMsPerScreenMs;

  function restart(): void {
    stepper = createQueueStepper({ arrival: arrival(), batcher: batcher(), service, seed: 1 });
    simMsPerScreenMs = s.arrivalsPerScreenSec / s.ratePerSec; // sim ms per screen ms: rate/s sim ⇒ arrivalsPerScreenSec/s on screen
    started = performance.now();
    latencies = [];
    live = { p50: NaN, p99: NaN };
    updateSimulated();
    updateCounters();
  }

  function frame(): void {
    const now = (performance.now() - started) * simMsPerScreenMs;
    const snap = stepper.snapshot(now, { recentMs: flightMs(), maxQueued: 400 });
    drawQueueFrame(canvas, {
      snap, instances: s.instances, maxBatch: s.maxBatch, maxDelayMs: s.maxDelayMs, flightMs: flightMs(),
      latenciesMs: latencies, p50Ms: live.p50, p99Ms: live.p99, slaMs: o.slaMs,
    });
    raf = requestAnimationFrame(frame);
  }

  setRateRange();
  outputs();
  restart();
  counterTimer = setInterval(updateCounters, 250);
  raf = requestAnimationFrame(frame);
  setTimeout(drawKnee, 0);

  const el = h('div', { class: 'queue-playground', 'data-testid': 'queue-playground' },
    o.sourceLabel ? h('p', { class: 'muted small' }, o.sourceLabel) : null,
    h('div', { class: 'queue-stage' }, canvas),
    h('div', { class: 'queue-legend muted small' },
      h('span', { class: 'dot blue' }), ' waiting ', h('span', { class: 'dot orange' }), ' waited past the max delay ', h('span', { class: 'dot green' }), ' finished (lands on the histogram) ', h('span', { class: 'dot red' }), ' dropped'),
    controls,
    counters,
    status,
    h('div', { class: 'chart knee' }, kneeCanvas),
    h('p', { class: 'muted small' }, 'The curve: simulated p50 and p99 at increasing load with these batcher settings. Latency stays flat, then bends up sharply as utilization approaches 100 %: that is the ', glossaryLink('knee'), '.'));
  return {
    el,
    destroy() {
      cancelAnimationFrame(raf);
      clearInterval(counterTimer);
      clearTimeout(kneeTimer);
      for (const c of charts.splice(0)) c.destroy();
    },
  };
}

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
