// The machine's stalls as a time-based process: descheduling, VM steal and GC pauses are events in
// time (rate per second, a duration each) that hold whatever instance they hit and back up its
// queue — a server "breakdown" (interruption) model. Each instance has its own independent
// timeline: events arrive as a Poisson process; an event that comes during a stall extends it (the
// stalls queue like high-priority work), so with preemptive-resume semantics an instance behaves
// exactly like the low-priority class of a two-class preemptive priority M/G/1 queue (the unit test
// checks the simulator against that closed form).
//
// Two ways a stall holds an instance (`holds`):
//  - 'any': a stall during service pauses it (preemptive resume) and a stall while idle delays the
//    next batch's start. Use it when the service-time distribution has no stalls in it.
//  - 'idle': only a batch that starts during a stall waits for its end. Use it when the service
//    times were measured through the serving path under load, where stalls during service are
//    already inside the measured times (counting them twice would be pessimistic).
import { invalidInput } from '../errors.ts';
import { exponential, type Rng } from '../stats/rng.ts';

export interface StallProcess {
  /** stall events per second of wall time, per instance */
  ratePerSec: number;
  /** draws one stall's duration, ms */
  sampleMs(rng: Rng): number;
  /** mean stall duration, ms (for closed forms and the stability bound) */
  meanMs: number;
  holds: 'any' | 'idle';
  /** where the figures came from, for notes */
  source?: string;
}

/** A stall process from measured events: rate per second and evenly spaced duration quantiles (q0 … q100). */
export function stallProcessFromQuantiles(ratePerSec: number, durationQuantilesMs: number[], holds: StallProcess['holds'], source?: string): StallProcess {
  if (!(Number.isFinite(ratePerSec) && ratePerSec >= 0)) throw invalidInput(`stall rate must be >= 0 per second, got ${ratePerSec}`);
  const q = durationQuantilesMs.filter(Number.isFinite);
  if (ratePerSec > 0 && q.length < 2) throw invalidInput('a stall process needs at least two duration quantiles');
  const steps = q.length - 1;
  let mean = 0;
  for (let i = 0; i < steps; i++) mean += (q[i] + q[i + 1]) / 2 / steps;
  return {
    ratePerSec, holds, source, meanMs: q.length ? mean : 0,
    sampleMs(rng: Rng): number {
      const x = rng() * steps;
      const i = Math.min(steps - 1, x | 0);
      return q[i] + (x - i) * (q[i + 1] - q[i]);
    },
  };
}

/** A stall process with a fixed duration (tests, what-if). */
export function fixedStallProcess(ratePerSec: number, durationMs: number, holds: StallProcess['holds'] = 'any'): StallProcess {
  return { ratePerSec, holds, meanMs: durationMs, sampleMs: () => durationMs };
}

/**
 * Per-instance stall timelines for one simulation run. `startAndFinish` maps a batch dispatched at
 * `startMs` needing `serviceMs` of work on instance `inst` to its completion time.
 */
export class StallTimelines {
  private readonly downStart: Float64Array;
  private readonly downEnd: Float64Array;
  private readonly eventAt: Float64Array;
  private readonly meanGapMs: number;
  private readonly process: StallProcess;
  private readonly rng: Rng;

  constructor(process: StallProcess, instances: number, rng: Rng) {
    this.process = process;
    this.rng = rng;
    this.downStart = new Float64Array(instances);
    this.downEnd = new Float64Array(instances);
    this.eventAt = new Float64Array(instances);
    this.meanGapMs = process.ratePerSec > 0 ? 1000 / process.ratePerSec : Infinity;
    for (let i = 0; i < instances; i++) {
      this.downEnd[i] = -Infinity;
      this.eventAt[i] = 0;
      this.nextStall(i);
    }
  }

  /** Moves instance i's current stall to the next one (events during a stall extend it). */
  private nextStall(i: number): void {
    this.eventAt[i] += this.meanGapMs === Infinity ? Infinity : exponential(this.rng, this.meanGapMs);
    const start = Math.max(this.eventAt[i], this.downEnd[i]);
    this.downStart[i] = start;
    this.downEnd[i] = start + (start === Infinity ? 0 : this.process.sampleMs(this.rng));
  }

  /** Completion time of `serviceMs` of work on instance `inst` dispatched at `startMs`. */
  finish(inst: number, startMs: number, serviceMs: number): number {
    let t = startMs;
    // forget stalls that ended before the dispatch
    while (this.downEnd[inst] <= t) this.nextStall(inst);
    if (this.downStart[inst] <= t) t = this.downEnd[inst]; // dispatched during a stall: wait for it
    if (this.process.holds === 'idle') return t + serviceMs;
    let left = serviceMs;
    for (;;) {
      while (this.downEnd[inst] <= t) this.nextStall(inst);
      const s = this.downStart[inst];
      if (t + left <= s) return t + left;
      left -= s - t;
      t = this.downEnd[inst];
    }
  }
}

/**
 * Mean latency of the low-priority class in a preemptive-resume two-class M/G/1 queue: the closed
 * form for an instance with 'any'-holding stalls (stalls = the high-priority class).
 * T = E[S]/(1 − ρ1) + (λ1·E[D²] + λ·E[S²]) / (2(1 − ρ1)(1 − ρ1 − ρ))
 */
export function meanLatencyWithStallsMs(o: { ratePerMs: number; meanServiceMs: number; secondMomentServiceMs2: number; stallRatePerMs: number; meanStallMs: number; secondMomentStallMs2: number }): number {
  const rho1 = o.stallRatePerMs * o.meanStallMs;
  const rho = o.ratePerMs * o.meanServiceMs;
  if (rho1 + rho >= 1) return Infinity;
  return o.meanServiceMs / (1 - rho1) + (o.stallRatePerMs * o.secondMomentStallMs2 + o.ratePerMs * o.secondMomentServiceMs2) / (2 * (1 - rho1) * (1 - rho1 - rho));
}
