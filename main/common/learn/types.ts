// Shapes of the guided scenarios (data in scenarios.ts) and of a walked-through result (what
// `kneepoint demo --json` prints and the Learn view renders). Pure types.
import type { InputPin, Precision } from '../types.ts';
import type { PlanMode, Verdict } from '../plan/types.ts';

/** A small real measurement a scenario runs (a quick closed-loop sweep, well under a minute). */
export interface ScenarioMeasurement {
  /** key used by workloads, figures and views; also the recording's file name */
  id: string;
  /** catalog model id */
  model: string;
  batch: number[];
  precision?: Precision[];
  inputs?: InputPin[];
  /** why this model stands in for the situation */
  why: string;
}

/** A shipped workload (workloads/ID.yaml) planned with one measurement. */
export interface ScenarioWorkload {
  /** key used by figures and views (the workload id unless the same file is used twice) */
  key: string;
  /** file name under workloads/ without .yaml */
  workload: string;
  measurement: string;
  /** its part in the story, e.g. "the product page" */
  role: string;
  /** top-level workload fields replaced before planning (e.g. accuracy: fp32 only) */
  override?: Record<string, unknown>;
}

/** Settings of the live queue animation (a step can open it preset). */
export interface QueuePreset {
  /** service times from this measurement's batch curve (fp32 unless `precision`), else `synthetic` */
  measurement?: string;
  precision?: Precision;
  /** service time fixedMs + perItemMs × batch, for analogies without a model */
  synthetic?: { fixedMs: number; perItemMs: number };
  /** offered rate as a fraction of the configuration's stability bound k·B/E[s(B)] */
  loadFraction: number;
  /** burstiness: coefficient of variation of the inter-arrival gaps (1 = Poisson) */
  cv: number;
  maxBatch: number;
  maxDelayMs: number;
  instances: number;
}

export type FigureSpec = { key: string; label: string } & (
  | { kind: 'latency'; measurement: string; batch: number | 'best'; precision?: Precision; stat: 'p50' | 'p95' | 'p99' }
  | { kind: 'throughput'; measurement: string; batch: number | 'best'; precision?: Precision }
  | { kind: 'bestBatch'; measurement: string; precision?: Precision }
  | { kind: 'throughputRatio'; measurement: string; a: { batch: number | 'best'; precision?: Precision }; b: { batch: number | 'best'; precision?: Precision } }
  | { kind: 'accuracy'; measurement: string; precision: Precision }
  | { kind: 'verdict'; workload: string }
  /** slaLatencyMs: predicted latency at the workload's SLA percentile ("predicted p95 …"); p99Ms: always p99 */
  | { kind: 'plan'; workload: string; mode?: PlanMode; field: 'monthlyCostUsd' | 'costPerMillionUsd' | 'replicas' | 'p99Ms' | 'slaLatencyMs' | 'bindingConstraint' | 'config' | 'reason' }
  | { kind: 'workload'; workload: string; field: 'sla' | 'meanRate' | 'peakRate' | 'uploadMs' | 'budgetMs' | 'freshness' }
  | { kind: 'explanation'; workload: string; line: number }
  /** how far real-time misses the SLA even at zero load (the planner's slaGapMs), or "none" */
  | { kind: 'slaGap'; workload: string }
  | { kind: 'simulated'; preset: QueuePreset; stat: 'p50' | 'p99' | 'utilization' | 'meanBatch' | 'rate' }
  | { kind: 'machine'; measurement: string }
  | { kind: 'model'; measurement: string }
);

export type StepView =
  | { kind: 'intro' }
  | { kind: 'measure' }
  /** latency (p99) vs throughput along the batch axis, one line per series; the SLA of a workload */
  | { kind: 'curve'; series: Array<{ measurement: string; precision?: Precision }>; slaOf?: string }
  /** throughput and p99 by batch size for one measurement */
  | { kind: 'batch'; measurement: string; precision?: Precision }
  | { kind: 'verdicts'; workloads: string[] }
  | { kind: 'queue'; preset: QueuePreset };

export interface ScenarioStep {
  title: string;
  /** text with {figureKey} placeholders, filled with the real figures */
  text: string;
  figures: FigureSpec[];
  view: StepView;
  /** glossary ids the step uses (linked next to the text) */
  terms?: string[];
}

export interface Scenario {
  id: string;
  title: string;
  /** one line for the scenario list */
  tagline: string;
  situation: string;
  question: string;
  lookAt: string;
  measurements: ScenarioMeasurement[];
  workloads: ScenarioWorkload[];
  steps: ScenarioStep[];
}

/** A figure with its real value. */
export interface EvaluatedFigure {
  key: string;
  label: string;
  /** number in the unit, a word (verdicts, configurations), or null when not measurable here */
  value: number | string | null;
  unit?: string;
  /** how it reads in the text */
  text: string;
}

export interface WalkthroughStep {
  title: string;
  text: string;
  figures: EvaluatedFigure[];
  view: StepView;
  terms: string[];
}

export interface WorkloadVerdict {
  key: string;
  workload: string;
  role: string;
  verdict: Verdict;
  monthlyCostUsd: number | null;
  costPerMillionUsd: number | null;
  p99Ms: number | null;
  /** the planner's first explanation line */
  summary: string;
  runId: string;
}

export interface Walkthrough {
  scenario: { id: string; title: string; situation: string; question: string; lookAt: string };
  /** where the curves came from: a measurement now, or a bundled recording */
  source: 'measured' | 'recording';
  /** the machine the curves were measured on */
  machine: string;
  steps: WalkthroughStep[];
  verdicts: WorkloadVerdict[];
  runIds: Record<string, string>;
}
