// Closed-form queueing screens: used to prune configurations, to word explanations, and as the
// analytic oracles the simulator is tested against. Rates are per second, times in ms.
import type { BatcherConfig, ServiceModel } from './types.ts';

/** Erlang B blocking probability for c servers and offered load a = λ·E[S] (stable recursion). */
export function erlangB(servers: number, offeredErlangs: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredErlangs * b) / (k + offeredErlangs * b);
  return b;
}

/** Erlang C probability that an arrival waits (M/M/c); 1 when the load is at or beyond capacity. */
export function erlangC(servers: number, offeredErlangs: number): number {
  if (offeredErlangs >= servers) return 1;
  const b = erlangB(servers, offeredErlangs);
  return (servers * b) / (servers - offeredErlangs * (1 - b));
}

export interface QueueParams {
  ratePerSec: number;
  meanServiceMs: number;
  servers: number;
}

/** M/M/c mean queue wait in ms (Infinity when unstable). */
export function mmcMeanWaitMs({ ratePerSec, meanServiceMs, servers }: QueueParams): number {
  const lambdaPerMs = ratePerSec / 1000;
  const a = lambdaPerMs * meanServiceMs;
  if (a >= servers) return Infinity;
  return erlangC(servers, a) / (servers / meanServiceMs - lambdaPerMs);
}

/** M/M/c queue-wait percentile in ms: P(W > t) = C·exp(−(cμ − λ)t). */
export function mmcWaitPercentileMs(q: QueueParams, p: number): number {
  const lambdaPerMs = q.ratePerSec / 1000;
  const a = lambdaPerMs * q.meanServiceMs;
  if (a >= q.servers) return Infinity;
  const c = erlangC(q.servers, a);
  if (c <= 1 - p) return 0;
  return Math.log(c / (1 - p)) / (q.servers / q.meanServiceMs - lambdaPerMs);
}

/**
 * Allen–Cunneen G/G/c mean queue wait: the M/M/c wait scaled by (ca² + cs²)/2, with ca and cs the
 * coefficients of variation of inter-arrival and service times. Within ~10 % for moderate cvs.
 */
export function allenCunneenMeanWaitMs(q: QueueParams & { arrivalCv: number; serviceCv: number }): number {
  return ((q.arrivalCv * q.arrivalCv + q.serviceCv * q.serviceCv) / 2) * mmcMeanWaitMs(q);
}

/** M/M/1 mean queue wait ρ/(μ − λ), ms. */
export function mm1MeanWaitMs(ratePerSec: number, meanServiceMs: number): number {
  return mmcMeanWaitMs({ ratePerSec, meanServiceMs, servers: 1 });
}

/** M/M/1 mean latency (wait + service) 1/(μ − λ), ms. */
export function mm1MeanLatencyMs(ratePerSec: number, meanServiceMs: number): number {
  const lambdaPerMs = ratePerSec / 1000;
  if (lambdaPerMs * meanServiceMs >= 1) return Infinity;
  return 1 / (1 / meanServiceMs - lambdaPerMs);
}

/** M/M/1 latency percentile (latency is exponential with rate μ − λ), ms. */
export function mm1LatencyPercentileMs(ratePerSec: number, meanServiceMs: number, p: number): number {
  return -Math.log(1 - p) * mm1MeanLatencyMs(ratePerSec, meanServiceMs);
}

/** M/G/1 mean queue wait by Pollaczek–Khinchine: ρ·E[S]·(1 + cs²) / (2(1 − ρ)), ms. */
export function mg1MeanWaitMs(ratePerSec: number, meanServiceMs: number, serviceCv: number): number {
  const rho = (ratePerSec / 1000) * meanServiceMs;
  if (rho >= 1) return Infinity;
  return (rho * meanServiceMs * (1 + serviceCv * serviceCv)) / (2 * (1 - rho));
}

/** M/D/1 mean queue wait ρ·s / (2(1 − ρ)), ms. */
export function md1MeanWaitMs(ratePerSec: number, serviceMs: number): number {
  return mg1MeanWaitMs(ratePerSec, serviceMs, 0);
}

/**
 * M/D/1 queue-wait CDF P(W <= t) by Erlang's closed form
 * (1 − ρ)·Σ_{k=0..⌊t/s⌋} (ρ(k − t/s))^k / k! · e^{−ρ(k − t/s)}.
 * The sum alternates; returns null when its terms are too large for double precision (high ρ, far tail).
 */
export function md1WaitCdf(tMs: number, ratePerSec: number, serviceMs: number): number | null {
  const rho = (ratePerSec / 1000) * serviceMs;
  if (rho >= 1) return 0;
  if (tMs < 0) return 0;
  const x = tMs / serviceMs;
  let sum = 0;
  let maxTerm = 0;
  for (let k = 0; k <= Math.floor(x); k++) {
    const y = rho * (k - x);
    // term = y^k / k! · e^{−y}, computed in log space for magnitude, sign from y^k
    const logMag = (k === 0 ? 0 : k * Math.log(Math.abs(y)) - logFactorial(k)) - y;
    const mag = Math.exp(logMag);
    const sign = k % 2 === 1 && y < 0 ? -1 : 1;
    sum += sign * (y === 0 && k > 0 ? 0 : mag);
    if (mag > maxTerm) maxTerm = mag;
  }
  if (maxTerm > 1e9) return null;
  return Math.min(1, Math.max(0, (1 - rho) * sum));
}

/** M/D/1 queue-wait percentile in ms (bisection on md1WaitCdf); null where the closed form is unreliable. */
export function md1WaitPercentileMs(ratePerSec: number, serviceMs: number, p: number): number | null {
  const rho = (ratePerSec / 1000) * serviceMs;
  if (rho >= 1) return Infinity;
  if (1 - rho >= p) return 0;
  let lo = 0;
  let hi = serviceMs;
  for (;;) {
    const c = md1WaitCdf(hi, ratePerSec, serviceMs);
    if (c === null) return null;
    if (c >= p) break;
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    const c = md1WaitCdf(mid, ratePerSec, serviceMs);
    if (c === null) return null;
    if (c >= p) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Stability bound of a batcher: the largest sustainable arrival rate, max over m <= B of
 * k·m / (E[s(m)] + overhead) (normally m = B), requests per second.
 */
export function stabilityBoundPerSec(serviceModel: ServiceModel, batcher: BatcherConfig): number {
  // at the bound the server is always busy: a load-dependent model at utilisation 1
  const service = serviceModel.atUtilization ? serviceModel.atUtilization(1) : serviceModel;
  let best = 0;
  for (let m = 1; m <= batcher.maxBatch; m++) {
    const perSec = (batcher.instances * m * 1000) / (service.meanMs(m) + service.overheadMs);
    if (perSec > best) best = perSec;
  }
  return best;
}

/**
 * Nexus screen: a batch-b configuration can only meet an SLA if 2·s(b) fits in it (a request may
 * wait for one batch to finish and then run in the next). Optimistic: passing it proves nothing.
 */
export function nexusScreen(service: ServiceModel, batch: number, slaMs: number): { pass: boolean; worstCaseMs: number } {
  const worstCaseMs = 2 * (service.meanMs(batch) + service.overheadMs);
  return { pass: worstCaseMs <= slaMs, worstCaseMs };
}

const logFactCache: number[] = [0];
function logFactorial(k: number): number {
  for (let i = logFactCache.length; i <= k; i++) logFactCache[i] = logFactCache[i - 1] + Math.log(i);
  return logFactCache[k];
}
