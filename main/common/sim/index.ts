// Public API of the latency predictor (pure TypeScript: engine, CLI and renderer).
export type * from './types.ts';
export type { Rng } from '../stats/rng.ts';
export { createRng, deriveSeed, exponential, gamma, normal } from '../stats/rng.ts';
export type { ArrivalStream } from './arrivals.ts';
export {
  createArrivalStream,
  formatArrival,
  generateArrivalsForDurationMs,
  generateArrivalsMs,
  meanRatePerSec,
  parseArrival,
  parseTraceText,
  validateArrivalSpec,
  withRate,
} from './arrivals.ts';
export { decideBatchSize, expiredBatchSize, immediateBatchSize, validateBatcher } from './batchPolicy.ts';
export { defaultWarmupRequests, simulate } from './simulate.ts';
export type { EmpiricalServiceModel, MeasuredServicePoint, ServiceModelOptions } from './serviceModel.ts';
export {
  buildServiceModel,
  deterministicServiceModel,
  exponentialServiceModel,
  jitterFromQuantiles,
  linearBatchCost,
  quantileSampler,
} from './serviceModel.ts';
export {
  allenCunneenMeanWaitMs,
  erlangB,
  erlangC,
  md1MeanWaitMs,
  md1WaitCdf,
  md1WaitPercentileMs,
  mg1MeanWaitMs,
  mm1LatencyPercentileMs,
  mm1MeanLatencyMs,
  mm1MeanWaitMs,
  mmcMeanWaitMs,
  mmcWaitPercentileMs,
  nexusScreen,
  stabilityBoundPerSec,
} from './queueing.ts';
export type { QueueParams } from './queueing.ts';
export { capacityAtSla, CI_METHOD, predict, replicationSeed } from './predict.ts';
