// Result of a measured capacity search (`kneepoint capacity`, runs of kind 'capacity'). Pure types.
import type { BatcherConfig } from './sim/types.ts';

export interface CapacityLevel {
  ratePerSec: number;
  /** the SLA percentile, mean over repetitions, ms */
  percentileMs: number;
  /** 95 % t-interval over repetitions (null with one repetition) */
  percentileCiMs: [number, number] | null;
  p99Ms: number;
  meets: boolean;
  achievedRequestsPerSec: number;
  unfinished: number;
  /** 'bracket' while looking for a miss/meet pair, then 'bisect' */
  phase: 'start' | 'bracket' | 'bisect';
}

export interface CapacityResult {
  runId: string;
  model: string;
  sla: { percentile: string; ms: number };
  batcher: BatcherConfig;
  threads: number;
  arrival: string;
  /** the highest measured rate that met the SLA (the bracket's low end), requests/s; null when none did */
  measuredRatePerSec: number | null;
  /** the bracket: capacity lies between the highest meeting and the lowest missing rate */
  measuredIntervalPerSec: [number, number] | null;
  bracketed: boolean;
  predictedRatePerSec: number | null;
  /** the safe capacity plans use: the largest rate whose p99 band (for a future measurement) stays within the SLA; null without a validate calibration */
  predictedSafeRatePerSec?: number | null;
  /** (predicted − measured) / measured × 100 */
  errorPct: number | null;
  /** the open-loop stability bound of the service model (instances × max batch / service time), requests/s */
  stabilityBoundPerSec: number;
  fromSweepRunId: string;
  levels: CapacityLevel[];
  estimatedMs: number;
  elapsedMs: number;
  notes: string[];
}
