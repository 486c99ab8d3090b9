// The definitions Kneepoint uses, in one place: the Learn view's glossary, the links from other
// views (glossaryLink) and `kneepoint demo` all read this list. Definitions follow
// docs/methodology.md and docs/predictor.md (MEASUREMENT.md rules 5-6, PLANNER.md).
import { MIN_SAMPLES_P99, MIN_SAMPLES_P999 } from '../stats/thresholds.ts';

export interface GlossaryEntry {
  /** anchor id, lower-case with dashes: used in links (#/learn/glossary?term=ID) */
  id: string;
  term: string;
  /** other spellings that should link here (e.g. "p99", "tail latency") */
  aliases: string[];
  /** one sentence */
  short: string;
  /** the definition as Kneepoint computes it */
  definition: string;
  /** why it matters when choosing how to serve a model */
  why: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'latency-percentiles', term: 'Latency percentiles', aliases: ['p50', 'p90', 'p95', 'p99', 'p99.9', 'percentile', 'tail latency', 'latency'],
    short: 'The latency that a given share of requests stays under: p99 = 99 % of requests are at least this fast.',
    definition: `Nearest rank on the sorted latencies: pXX = x[ceil(n·XX/100) − 1]. Kneepoint reports p99 only from at least ${MIN_SAMPLES_P99} samples (the MLPerf minimum for 99 % confidence) with a distribution-free confidence interval, and never prints p99.9 from fewer than ${MIN_SAMPLES_P999}.`,
    why: 'Users feel the tail, not the average: one page that renders 20 backend calls hits the p99 of each about one time in five.',
  },
  {
    id: 'throughput', term: 'Throughput', aliases: ['samples/s', 'samples per second', 'requests/s', 'rate'],
    short: 'Work finished per second: samples per second (requests × batch), counted, never derived.',
    definition: 'Completed samples divided by the measurement window\'s wall time. A request of batch 8 counts as 8 samples. Closed-loop sweeps measure the most a configuration can do (capacity); open-loop runs show what users feel at a given offered rate.',
    why: 'Capacity per machine sets the fleet size and the bill; batching raises throughput and usually latency too.',
  },
  {
    id: 'utilization', term: 'Utilization', aliases: ['utilisation', 'busy share', 'load', 'ρ', 'rho'],
    short: 'The share of time the model instances are busy: offered work / capacity.',
    definition: 'Instance busy time (service + per-batch overhead) divided by instances × window. The queueing formulas call it ρ. The planner derives the usable utilization u = X_slo / X_max per configuration instead of assuming one.',
    why: 'Queueing delay grows like 1/(1 − ρ): at 50 % busy requests barely wait, at 90 % they wait ten times longer than at 50 %. That bend is the knee.',
  },
  {
    id: 'knee', term: 'Knee of the curve', aliases: ['knee', 'kneepoint', 'saturation'],
    short: 'The load at which latency stops being flat and starts climbing steeply.',
    definition: 'On a latency-vs-load curve, the region where queueing delay (∝ 1/(1 − ρ)) overtakes the service time. Beyond the stability bound k·B/E[s(B)] the queue grows without bound.',
    why: 'Run a server just below its knee: to the left you pay for idle machines, to the right the tail latency explodes.',
  },
  {
    id: 'littles-law', term: "Little's law", aliases: ['little', 'L = λW'],
    short: 'Requests in the system = arrival rate × time in the system (L = λ·W).',
    definition: 'Holds for any stable queue regardless of the arrival or service distributions. Kneepoint checks it on every closed-loop point: instances ≈ throughput × mean latency / batch, and flags gaps over 10 %.',
    why: 'It turns two measured numbers into the third, and a violated Little\'s law means the measurement itself is wrong (timer, hidden queue, dropped requests).',
  },
  {
    id: 'coordinated-omission', term: 'Coordinated omission', aliases: ['scheduled arrival', 'open loop', 'closed loop'],
    short: 'The error of measuring latency from when a request was sent instead of when it should have been sent.',
    definition: 'A closed-loop client waits for each answer before sending the next, so when the server stalls it also stops sending, and the stall is counted once instead of for every request that would have arrived. Kneepoint\'s open-loop runs send on a pre-generated schedule and measure latency = completion − scheduled arrival; generator lag is recorded separately.',
    why: 'Tools that omit it report a p99 that can be 10-100× too good under load.',
  },
  {
    id: 'cold-start', term: 'Cold start and warm-up', aliases: ['cold start', 'warm-up', 'warmup', 'first inference', 'session create'],
    short: 'The first inferences are slower (session creation, memory allocation, caches); they are measured apart.',
    definition: 'Kneepoint keeps three figures per point: session creation time, first-inference time (cold start) and steady state. Every change of batch, precision, provider or threads re-warms: at least 10 runs and until the rolling median of the last 10 moves by less than 5 %.',
    why: 'Serverless and scale-to-zero plans pay the cold start on real requests; steady-state numbers must not be polluted by it.',
  },
  {
    id: 'dynamic-batching', term: 'Dynamic batching', aliases: ['batching', 'max batch', 'max delay', 'batcher', 'batch'],
    short: 'The server groups requests that arrive close together into one model call.',
    definition: 'Triton semantics: a batch is sent at once when the queue holds max batch requests; otherwise the batcher waits until the oldest request has waited max delay, then sends what is queued. Batches form only for an idle instance.',
    why: 'One call on 8 requests is usually far cheaper than 8 calls, so throughput rises; each request may wait up to max delay for company, so latency rises a little.',
  },
  {
    id: 'sla', term: 'SLA', aliases: ['service level', 'SLO', 'latency budget', 'SLA percentile'],
    short: 'The latency promise: a percentile and a limit, end to end (e.g. p99 ≤ 50 ms).',
    definition: 'In a workload file: sla.percentile and sla.slaMs. The model server gets what is left after network, upload and pre/post-processing; the planner sizes capacity at the SLA (X_slo), not at the maximum throughput.',
    why: 'The SLA decides whether real-time serving is possible at all and how hard each machine can be driven.',
  },
  {
    id: 'goodput', term: 'Goodput', aliases: ['useful throughput', 'X_slo'],
    short: 'Throughput that still meets the SLA: requests per second answered in time.',
    definition: 'Completed requests whose latency is within the SLA, per second. The planner\'s capacity per replica, X_slo, is the largest rate whose simulated SLA percentile (upper confidence bound) stays within the budget: the goodput-maximising load.',
    why: 'A server pushed past its knee still has high throughput, but its goodput collapses: answers arrive too late to be useful.',
  },
  {
    id: 'burstiness', term: 'Burstiness (CV)', aliases: ['cv', 'burstiness', 'coefficient of variation', 'bursty'],
    short: 'How clumpy arrivals are: the coefficient of variation of the gaps between them.',
    definition: 'Gamma-distributed inter-arrival gaps with CV = standard deviation / mean: 0 = perfectly regular, 1 = Poisson (independent arrivals), > 1 = bursts and lulls.',
    why: 'The same mean rate with bursts queues far more: the Allen–Cunneen approximation scales waiting time by (CVa² + CVs²)/2.',
  },
  {
    id: 'serving-modes', term: 'Serving modes', aliases: ['real-time', 'realtime', 'deferred', 'batch mode', 'scheduled batch', 'hybrid'],
    short: 'Real-time (answer while the caller waits), deferred (job id, answer later), scheduled batch (precompute), hybrid (both).',
    definition: 'Real-time needs synchronous callers and a model fast enough at zero load; deferred needs callers that can wait for a deadline; batch needs inputs known ahead and a freshness tolerance ≥ period + window. Within 15 % cost the planner prefers the simpler mode: batch, then deferred, then real-time.',
    why: 'The cheapest way to serve a model is often not the most obvious one: a nightly batch can cost a hundredth of an always-on fleet.',
  },
];

/** Finds an entry by id, term or alias (case-insensitive), or undefined. */
export function findGlossaryEntry(term: string): GlossaryEntry | undefined {
  const t = term.trim().toLowerCase();
  return GLOSSARY.find((e) => e.id === t || e.term.toLowerCase() === t || e.aliases.some((a) => a.toLowerCase() === t));
}
