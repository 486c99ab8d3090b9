// From a scenario + its measured (or recorded) runs to the narrative with real figures: plan the
// scenario's workloads with the pure planner, evaluate every {figure}, fill the step texts.
// Pure TypeScript: `kneepoint demo` and the Learn view both call buildWalkthrough.
import { invalidInput } from '../errors.ts';
import { parseWorkloadYaml, planWorkload, workloadSchema } from '../plan/index.ts';
import type { PlanResult, Workload } from '../plan/index.ts';
import { summarizeTraffic } from '../plan/traffic.ts';
import { latencyAtSla } from '../plan/planFigures.ts';
import type { SweepSpec } from '../schemas.ts';
import { simulate, stabilityBoundPerSec, buildServiceModel, deterministicServiceModel, linearBatchCost } from '../sim/index.ts';
import { batcherFromFields } from '../sim/batchPolicy.ts';
import type { ArrivalSpec, BatcherConfig, ServiceModel } from '../sim/index.ts';
import type { PointResult, Precision, SweepRunResult } from '../types.ts';
import type {
  EvaluatedFigure, FigureSpec, QueuePreset, Scenario, ScenarioMeasurement, Walkthrough, WalkthroughStep, WorkloadVerdict,
} from './types.ts';

/** The quick, anchor-free sweep a scenario measurement runs (`kneepoint sweep … --quick --no-anchor`). */
export function measurementSweepSpec(m: ScenarioMeasurement, name?: string): SweepSpec {
  return {
    model: m.model,
    batch: m.batch,
    precision: m.precision ?? ['fp32'],
    inputs: m.inputs ?? [],
    method: { windowMinMs: 250, maxWindows: 4, minSamplesForP99: 100, windowMinRequests: 20, anchor: false },
    name: name ?? `learn: ${m.id}`,
  };
}

/** The same measurement as `kneepoint sweep` flags (how the bundled recordings were made). */
export function measurementCliArgs(m: ScenarioMeasurement): string[] {
  return [
    'sweep', '--model', m.model, '--batch', m.batch.join(','), '--precision', (m.precision ?? ['fp32']).join(','),
    ...(m.inputs ?? []).flatMap((p) => (p.value !== undefined ? ['--input', `${p.name}=${p.value}`] : [])),
    '--quick', '--no-anchor',
  ];
}

/** Parses the scenario's workload files (by workload id → YAML text) and applies its overrides. */
export function scenarioWorkloads(scenario: Scenario, yamlById: Record<string, string>): Record<string, Workload> {
  const out: Record<string, Workload> = {};
  for (const w of scenario.workloads) {
    const text = yamlById[w.workload];
    if (text === undefined) throw invalidInput(`scenario ${scenario.id} needs workloads/${w.workload}.yaml, which was not found`);
    const parsed = parseWorkloadYaml(text, `${w.workload}.yaml`);
    out[w.key] = w.override ? workloadSchema.parse({ ...parsed, ...w.override }) : parsed;
  }
  return out;
}

/** Plans every workload of the scenario with its measurement's run (pure; ~0.1 s each). */
export function planScenario(scenario: Scenario, runs: Record<string, SweepRunResult>, workloads: Record<string, Workload>): Record<string, PlanResult> {
  const plans: Record<string, PlanResult> = {};
  for (const w of scenario.workloads) {
    const run = runs[w.measurement];
    if (!run) throw invalidInput(`scenario ${scenario.id}: no run for measurement ${w.measurement}`);
    plans[w.key] = planWorkload(run, workloads[w.key], { skipSensitivity: true });
  }
  return plans;
}

/** Points of one curve: instances 1, threads 1, the given precision, not failed, by batch. */
export function curvePoints(run: SweepRunResult, precision: Precision = 'fp32'): PointResult[] {
  const byBatch = new Map<number, PointResult>();
  for (const p of run.points) {
    const c = p.config;
    if (p.status === 'failed' || c.precision !== precision || c.instances !== 1 || c.threadsPerInstance !== 1) continue;
    const prev = byBatch.get(c.batch);
    if (!prev || p.samplesPerSec > prev.samplesPerSec) byBatch.set(c.batch, p);
  }
  return [...byBatch.values()].sort((a, b) => a.config.batch - b.config.batch);
}

/** A service model from a run's curve (measured quantiles per batch), or null without points. */
export function serviceModelFromRun(run: SweepRunResult, precision: Precision = 'fp32'): ServiceModel | null {
  const pts = curvePoints(run, precision);
  if (!pts.length) return null;
  return buildServiceModel(pts.map((p) => {
    const q = p.quantilesMs && p.quantilesMs.length >= 2 ? p.quantilesMs : undefined;
    // the model samples linearly between the quantiles; its mean (what sets the stability bound)
    // must be that distribution's mean, which rare outliers in q99..q100 can lift well above latencyMs.mean
    return { batch: p.config.batch, meanMs: q ? quantileGridMeanMs(q) : p.latencyMs.mean, quantilesMs: q };
  }));
}

/** Mean of the distribution that interpolates linearly between evenly spaced quantiles. */
export function quantileGridMeanMs(q: number[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < q.length; i++) sum += (q[i] + q[i + 1]) / 2;
  return sum / (q.length - 1);
}

/** The simulator input of a queue preset: service model, batcher, and the arrival rate it implies. */
export function resolveQueuePreset(preset: QueuePreset, runs: Record<string, SweepRunResult>): { service: ServiceModel; batcher: BatcherConfig; arrival: ArrivalSpec; boundPerSec: number } {
  const run = preset.measurement ? runs[preset.measurement] : undefined;
  const fromRun = run ? serviceModelFromRun(run, preset.precision) : null;
  const synthetic = preset.synthetic ?? { fixedMs: 8, perItemMs: 2 };
  const service = fromRun ?? deterministicServiceModel(linearBatchCost(synthetic.fixedMs, synthetic.perItemMs));
  const batcher = batcherFromFields(preset);
  const boundPerSec = stabilityBoundPerSec(service, batcher);
  const ratePerSec = boundPerSec * preset.loadFraction;
  const arrival: ArrivalSpec = preset.cv === 1 ? { kind: 'poisson', ratePerSec } : { kind: 'gamma', ratePerSec, cv: preset.cv };
  return { service, batcher, arrival, boundPerSec };
}

const MODE_WORDS: Record<string, string> = { realtime: 'real-time', deferred: 'deferred', batch: 'scheduled batch', hybrid: 'hybrid', infeasible: 'infeasible' };

function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  if (v >= 1) return `${v.toFixed(2)} ms`;
  return `${v.toFixed(3)} ms`;
}
function fmtRate(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
}
function fmtUsd(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'unpriced';
  return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function pick(run: SweepRunResult, batch: number | 'best', precision?: Precision): PointResult | undefined {
  const pts = curvePoints(run, precision);
  if (batch === 'best') return pts.reduce<PointResult | undefined>((a, b) => (!a || b.samplesPerSec > a.samplesPerSec ? b : a), undefined);
  return pts.find((p) => p.config.batch === batch);
}

export interface FigureInputs {
  runs: Record<string, SweepRunResult>;
  workloads: Record<string, Workload>;
  plans: Record<string, PlanResult>;
}

/** The real value of one figure (null with "n/a" when the run lacks the point). */
export function evaluateFigure(f: FigureSpec, inp: FigureInputs): EvaluatedFigure {
  const out = (value: number | string | null, text: string, unit?: string): EvaluatedFigure => ({ key: f.key, label: f.label, value, ...(unit ? { unit } : {}), text });
  const na = () => out(null, 'n/a');
  const runOf = (id: string) => inp.runs[id];
  switch (f.kind) {
    case 'latency': {
      const p = runOf(f.measurement) && pick(runOf(f.measurement), f.batch, f.precision);
      return p ? out(p.latencyMs[f.stat], fmtMs(p.latencyMs[f.stat]), 'ms') : na();
    }
    case 'throughput': {
      const p = runOf(f.measurement) && pick(runOf(f.measurement), f.batch, f.precision);
      return p ? out(p.samplesPerSec, fmtRate(p.samplesPerSec), 'samples/s') : na();
    }
    case 'bestBatch': {
      const p = runOf(f.measurement) && pick(runOf(f.measurement), 'best', f.precision);
      return p ? out(p.config.batch, String(p.config.batch), 'batch') : na();
    }
    case 'throughputRatio': {
      const run = runOf(f.measurement);
      const a = run && pick(run, f.a.batch, f.a.precision);
      const b = run && pick(run, f.b.batch, f.b.precision);
      if (!a || !b || !(b.samplesPerSec > 0)) return na();
      const r = a.samplesPerSec / b.samplesPerSec;
      return out(r, `${r.toFixed(r >= 10 ? 0 : 1)}×`, '×');
    }
    case 'accuracy': {
      const p = runOf(f.measurement)?.points.find((x) => x.config.precision === f.precision && x.accuracy);
      return p?.accuracy ? out(p.accuracy.cosine, p.accuracy.cosine.toFixed(4), 'cosine') : na();
    }
    case 'verdict': {
      const r = inp.plans[f.workload];
      return r ? out(r.verdict, MODE_WORDS[r.verdict] ?? r.verdict) : na();
    }
    case 'plan': {
      const r = inp.plans[f.workload];
      if (!r) return na();
      const plan = f.mode ? r.plans.find((p) => p.mode === f.mode) : r.verdict === 'infeasible' ? undefined : r.plans[0];
      if (!plan) return out(null, f.field === 'p99Ms' || f.field === 'slaLatencyMs' ? 'no latency prediction' : 'no feasible plan');
      switch (f.field) {
        case 'monthlyCostUsd':
          if (!plan.feasible) return out(null, `not feasible (${plan.reason ?? 'no reason given'})`);
          return out(plan.monthlyCostUsd, plan.monthlyCostUsd === null ? 'unpriced' : `${fmtUsd(plan.monthlyCostUsd)} a month`, 'USD/month');
        case 'costPerMillionUsd':
          return out(plan.costPerMillionUsd, fmtUsd(plan.costPerMillionUsd), 'USD per 1M');
        case 'replicas':
          return out(plan.replicas, String(plan.replicas), 'replicas');
        case 'p99Ms':
          return plan.predicted ? out(plan.predicted.p99Ms, `predicted p99 ${fmtMs(plan.predicted.p99Ms)}`, 'ms') : out(null, 'no latency prediction');
        case 'slaLatencyMs': {
          if (!plan.predicted) return out(null, 'no latency prediction');
          const l = latencyAtSla(plan.predicted);
          return out(l.ms, `predicted p${l.percentile} ${fmtMs(l.ms)}`, 'ms');
        }
        case 'bindingConstraint':
          return out(plan.bindingConstraint, plan.bindingConstraint);
        case 'reason':
          return out(plan.feasible ? 'feasible' : plan.reason ?? 'infeasible', plan.feasible ? 'feasible' : plan.reason ?? 'infeasible');
        case 'config': {
          const c = plan.config;
          if (!c) return na();
          const text = `${c.precision}, batch ≤ ${c.batch}${c.maxDelayMs ? `, wait ≤ ${fmtMs(c.maxDelayMs)}` : ''}, ${c.instances} instance(s) × ${c.threadsPerInstance} thread(s) on ${plan.replicas} × ${c.instanceType}`;
          return out(text, text);
        }
      }
      return na();
    }
    case 'workload': {
      const w = inp.workloads[f.workload];
      if (!w) return na();
      const ov = w.overheads;
      const uploadMs = w.payload.clientUploadMbps ? (w.payload.requestBytes * 8) / (w.payload.clientUploadMbps * 1e6) * 1000 : 0;
      switch (f.field) {
        case 'sla': return out(w.sla.slaMs, `p${w.sla.percentile} ≤ ${fmtMs(w.sla.slaMs)}`, 'ms');
        case 'uploadMs': return out(uploadMs, fmtMs(uploadMs), 'ms');
        case 'budgetMs': {
          const b = w.sla.slaMs - ov.networkMs - ov.preProcessMs - ov.postProcessMs - uploadMs;
          return out(b, fmtMs(b), 'ms');
        }
        case 'meanRate':
        case 'peakRate': {
          const t = summarizeTraffic(w);
          const v = f.field === 'meanRate' ? t.meanRatePerSec : t.peakRatePerSec;
          return out(v, `${fmtRate(v)} requests/s`, 'requests/s');
        }
        case 'freshness': {
          const h = w.freshness.toleranceH;
          return h === undefined ? na() : out(h, `${h} h`, 'h');
        }
      }
      return na();
    }
    case 'explanation': {
      const line = inp.plans[f.workload]?.explanation[f.line];
      return line ? out(line, line) : na();
    }
    case 'slaGap': {
      const r = inp.plans[f.workload];
      if (!r) return na();
      const gap = r.slaGapMs;
      return gap === undefined || gap === null || !(gap > 0) ? out(0, 'none: the model fits the budget at zero load', 'ms') : out(gap, `${fmtMs(gap)} over the budget even with no queueing`, 'ms');
    }
    case 'simulated': {
      const p = resolveQueuePreset(f.preset, inp.runs);
      const r = simulate({ ...p, requests: 20_000, seed: 1 });
      switch (f.stat) {
        case 'p50': return out(r.latencyMs.p50, fmtMs(r.latencyMs.p50), 'ms');
        case 'p99': return out(r.latencyMs.p99, fmtMs(r.latencyMs.p99), 'ms');
        case 'utilization': return out(r.utilization, `${Math.round(r.utilization * 100)} %`, 'fraction');
        case 'meanBatch': return out(r.meanBatchSize, r.meanBatchSize.toFixed(1), 'requests');
        case 'rate': return out(r.offeredRequestsPerSec ?? null, `${fmtRate(r.offeredRequestsPerSec ?? NaN)} requests/s`, 'requests/s');
      }
      return na();
    }
    case 'machine':
      return runOf(f.measurement) ? out(machineLabel(runOf(f.measurement)), machineLabel(runOf(f.measurement))) : na();
    case 'model':
      return runOf(f.measurement) ? out(runOf(f.measurement).model.id, runOf(f.measurement).model.id) : na();
  }
}

/** "CPU model, N cores" of the machine a run was measured on. */
export function machineLabel(run: SweepRunResult): string {
  const cpu = run.hardware?.cpu;
  return cpu ? `${cpu.model} (${cpu.cores} cores)` : 'an unknown machine';
}

/** Replaces {key} with the figure's text (unknown keys are left as they are). */
export function fillText(text: string, figures: EvaluatedFigure[]): string {
  return text.replace(/\{(\w+)\}/g, (m, key: string) => figures.find((f) => f.key === key)?.text ?? m);
}

/**
 * The walked-through scenario: plans its workloads from `runs` (one per measurement id) and fills
 * every step with real figures. `yamlById` holds the workload files' text by workload id.
 */
export function buildWalkthrough(scenario: Scenario, runs: Record<string, SweepRunResult>, yamlById: Record<string, string>, source: Walkthrough['source']): Walkthrough {
  return walkScenario(scenario, runs, yamlById, source).walkthrough;
}

/** buildWalkthrough plus the full plans and parsed workloads (the UI draws them). */
export function walkScenario(scenario: Scenario, runs: Record<string, SweepRunResult>, yamlById: Record<string, string>, source: Walkthrough['source']): { walkthrough: Walkthrough; plans: Record<string, PlanResult>; workloads: Record<string, Workload> } {
  for (const m of scenario.measurements) if (!runs[m.id]) throw invalidInput(`scenario ${scenario.id}: no run for measurement ${m.id} (${m.model})`);
  const workloads = scenarioWorkloads(scenario, yamlById);
  const plans = planScenario(scenario, runs, workloads);
  const inputs: FigureInputs = { runs, workloads, plans };
  const steps: WalkthroughStep[] = scenario.steps.map((s) => {
    const figures = s.figures.map((f) => evaluateFigure(f, inputs));
    return { title: s.title, text: fillText(s.text, figures), figures, view: s.view, terms: s.terms ?? [] };
  });
  const verdicts: WorkloadVerdict[] = scenario.workloads.map((w) => {
    const r = plans[w.key];
    const chosen = r.verdict === 'infeasible' ? undefined : r.plans[0];
    return {
      key: w.key, workload: w.workload, role: w.role, verdict: r.verdict,
      monthlyCostUsd: chosen?.monthlyCostUsd ?? null, costPerMillionUsd: chosen?.costPerMillionUsd ?? null,
      p99Ms: chosen?.predicted?.p99Ms ?? null, summary: r.explanation[0] ?? '', runId: runs[w.measurement].runId,
    };
  });
  const first = runs[scenario.measurements[0].id];
  const walkthrough: Walkthrough = {
    scenario: { id: scenario.id, title: scenario.title, situation: scenario.situation, question: scenario.question, lookAt: scenario.lookAt },
    source,
    machine: machineLabel(first),
    steps,
    verdicts,
    runIds: Object.fromEntries(scenario.measurements.map((m) => [m.id, runs[m.id].runId])),
  };
  return { walkthrough, plans, workloads };
}
