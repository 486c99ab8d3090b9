// Public surface of the planner (pure: the engine, the CLI and the UI import from here).
export { planWorkload } from './planWorkload.ts';
export { parseWorkloadYaml, workloadToYaml } from './workloadYaml.ts';
export type { ParseWorkloadOptions } from './workloadYaml.ts';
export { workloadSchema } from './workloadSchema.ts';
export type { Workload, WorkloadInput, InstanceType, ServerlessSpec } from './workloadSchema.ts';
export type { Plan, PlanConfig, PlanMode, PlanOptions, PlanResult, PlanVariant, PlanServing, PredictedLatency, Relaxation, ServingCalibration, Verdict } from './types.ts';
export { SLA_POINTS_MS, DEADLINE_POINTS_S } from './sensitivity.ts';
export { HOURS_PER_MONTH } from './traffic.ts';
