// Open-loop load, prediction over stored curves, and validation. Entry points for the
// API, the CLI and the planner.
export { runLoad, arrivalFromText, combineRepetitions, jitterVerdict, LOAD_CI_METHOD } from './runLoad.ts';
export type { LoadCallbacks } from './runLoad.ts';
export { predictFromRun, sweepForRun } from './predictRun.ts';
export { runValidate, predictedCapacityAtSla, measuredCapacityAtSla } from './validate.ts';
export type { ValidateCallbacks } from './validate.ts';
export { latestCalibration, serviceModelFromRun, servicePointsFromRun } from './serviceCurves.ts';
export type { CurveSelector, ServingCalibration } from './serviceCurves.ts';
export { InferenceServer } from './server.ts';
export type { ServerOptions, OverheadProbeResult, ServedRun } from './server.ts';
