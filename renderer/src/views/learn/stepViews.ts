// What each walkthrough step shows under its text: the measured curves, throughput by batch, the
// planner's verdicts, or the live queue preset from the step. Every renderer returns its element
// and a cleanup function.
import type { PlanResult, Workload } from '../../../../main/common/plan/index.ts';
import type { StepView } from '../../../../main/common/learn/types.ts';
import { curvePoints } from '../../../../main/common/learn/walkthrough.ts';
import { latencyAtSla } from '../../../../main/common/plan/planFigures.ts';
import type { SweepRunResult } from '../../../../main/common/types.ts';
import { latencyThroughputChart } from '../../charts/latencyThroughput.ts';
import { lineChart } from '../../charts/simpleCharts.ts';
import { h, stat } from '../../dom.ts';
import { ms, num, usd } from '../../format.ts';
import { glossaryLink } from './glossaryLink.ts';
import { queuePlayground } from './queuePlayground.ts';

export interface StepData {
  runs: Record<string, SweepRunResult>;
  plans: Record<string, PlanResult>;
  workloads: Record<string, Workload>;
  /** workload key → its role in the story */
  roles: Record<string, string>;
}

export interface Rendered { el: HTMLElement | null; destroy(): void }

const MODE_LABEL: Record<string, string> = { realtime: 'Real-time', deferred: 'Deferred online', batch: 'Scheduled batch', hybrid: 'Hybrid', infeasible: 'Infeasible' };

export function renderStepView(view: StepView, d: StepData): Rendered {
  switch (view.kind) {
    case 'curve': {
      const canvas = h('canvas', { role: 'img', 'aria-label': 'Latency (p99) versus throughput along the batch axis', 'data-testid': 'learn-curve' });
      const wrap = h('div', { class: 'learn-chart' }, h('div', { class: 'chart tall' }, canvas),
        h('p', { class: 'muted small' }, 'Each point is one batch size (closed loop, one instance): moving right = bigger batches. ', glossaryLink('latency-percentiles', 'p99'), ' per request of that batch; the dashed line is the workload\'s end-to-end ', glossaryLink('sla', 'SLA'), '.'));
      const chart = latencyThroughputChart(canvas, { percentile: 'p99', slaMs: view.slaOf ? d.workloads[view.slaOf]?.sla.slaMs ?? null : null });
      // one group per measurement (setPoints replaces a group); precisions stay separate series
      const byMeasurement = new Map<string, ReturnType<typeof curvePoints>>();
      for (const s of view.series) {
        const run = d.runs[s.measurement];
        if (run) byMeasurement.set(s.measurement, [...(byMeasurement.get(s.measurement) ?? []), ...curvePoints(run, s.precision)]);
      }
      for (const [id, pts] of byMeasurement) chart.setPoints(pts, d.runs[id].model.id);
      return { el: wrap, destroy: () => chart.destroy() };
    }
    case 'batch': {
      const run = d.runs[view.measurement];
      if (!run) return { el: null, destroy: () => {} };
      const pts = curvePoints(run, view.precision);
      const tCanvas = h('canvas', { role: 'img', 'aria-label': 'Throughput by batch size', 'data-testid': 'learn-batch-throughput' });
      const lCanvas = h('canvas', { role: 'img', 'aria-label': 'Latency by batch size', 'data-testid': 'learn-batch-latency' });
      const c1 = lineChart(tCanvas, { xTitle: 'batch size (log)', yTitle: 'throughput (samples/s)', xLog: true, series: [{ label: 'samples/s', points: pts.map((p) => ({ x: p.config.batch, y: p.samplesPerSec })) }] });
      const c2 = lineChart(lCanvas, { xTitle: 'batch size (log)', yTitle: 'latency per batch (ms)', xLog: true, series: [{ label: 'p99', points: pts.map((p) => ({ x: p.config.batch, y: p.latencyMs.p99 })) }, { label: 'p50', points: pts.map((p) => ({ x: p.config.batch, y: p.latencyMs.p50 })), dashed: true }] });
      const unstable = pts.filter((p) => p.status === 'unstable').length;
      const el = h('div', { class: 'learn-chart' },
        h('div', { class: 'grid two' }, h('div', { class: 'chart' }, tCanvas), h('div', { class: 'chart' }, lCanvas)),
        h('p', { class: 'muted small' }, `${run.model.id}, one instance, closed loop (back to back). `, glossaryLink('throughput'), ' counts samples: a batch of 64 is 64 samples.',
          unstable ? ` ${unstable} of ${pts.length} points did not settle within the quick windows (marked unstable): indicative figures.` : ''));
      return { el, destroy: () => { c1.destroy(); c2.destroy(); } };
    }
    case 'verdicts': {
      const el = h('div', { class: 'learn-verdicts', 'data-testid': 'learn-verdicts' }, view.workloads.map((key) => {
        const r = d.plans[key];
        if (!r) return null;
        const chosen = r.verdict === 'infeasible' ? undefined : r.plans[0];
        const w = d.workloads[key];
        return h('section', { class: `card verdict ${r.verdict === 'infeasible' ? 'bad' : 'good'}`, 'data-verdict': r.verdict },
          h('div', { class: 'verdict-head' }, h('span', { class: 'verdict-label' }, d.roles[key] ?? key), h('h2', {}, MODE_LABEL[r.verdict] ?? r.verdict)),
          h('div', { class: 'stats' },
            stat('workload', `${w?.name ?? key}`),
            stat('SLA', w ? `p${w.sla.percentile} ≤ ${ms(w.sla.slaMs)}` : '—'),
            stat('monthly cost', chosen ? (r.costUnknown ? 'no price given' : usd(chosen.monthlyCostUsd)) : '—'),
            chosen?.predicted
              ? stat(`predicted p${latencyAtSla(chosen.predicted).percentile}`, ms(latencyAtSla(chosen.predicted).ms))
              : stat(`predicted p${w?.sla.percentile ?? 99}`, '—'),
            stat('replicas', chosen ? num(chosen.replicas) : '—')),
          h('ul', { class: 'explanation' }, r.explanation.slice(0, 4).map((l) => h('li', {}, l))));
      }));
      return { el, destroy: () => {} };
    }
    case 'queue': {
      const source = view.preset.measurement
        ? `Service times sampled from the measured ${view.preset.measurement} curve (its 101 latency quantiles per batch size).`
        : `Analogy: a batch of m takes ${view.preset.synthetic?.fixedMs ?? 8} ms + ${view.preset.synthetic?.perItemMs ?? 2} ms × m.`;
      const pg = queuePlayground({ preset: view.preset, runs: d.runs, sourceLabel: source });
      return { el: pg.el, destroy: pg.destroy };
    }
    default:
      return { el: null, destroy: () => {} };
  }
}
