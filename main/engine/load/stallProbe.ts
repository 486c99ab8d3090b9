// The machine's stalls as events, from the probe thread that runs beside every load run
// (jitterWorker.ts: it sleeps 1 ms at a time and records how late it woke). A wake-up later than
// routine is a gap in the probe's own progress: the thread was descheduled, the VM was stolen from,
// or the process paused. Each such gap is one stall event; its duration is the lateness beyond the
// routine wake-up cost (the median). Rate = events per second of probe time. These figures feed the
// simulator's time-based stall process (main/common/sim/stalls.ts); the per-wake-up oversleep itself
// is *not* a stall (docs/predictor.md: drawing it per batch was 3–6× too pessimistic).
import { quantiles101, sortedCopy, percentileNearestRank } from '../../common/stats/percentiles.ts';

export interface StallEvents {
  /** stall events per second of probe time */
  ratePerSec: number;
  /** evenly spaced quantiles (q0 … q100) of stall durations, ms; empty without events */
  durationQuantilesMs: number[];
  /** lateness beyond which a wake-up counts as a stall, ms */
  thresholdMs: number;
  events: number;
  probeSeconds: number;
}

/** A wake-up this much later than the routine one (and at least MIN_STALL_MS) is a stall. */
const ROUTINE_MULTIPLE = 4;
const MIN_STALL_MS = 0.25;

export function stallEventsFromOversleep(oversleepMs: ArrayLike<number>, sleepMs: number): StallEvents {
  const n = oversleepMs.length;
  if (n === 0) return { ratePerSec: 0, durationQuantilesMs: [], thresholdMs: NaN, events: 0, probeSeconds: 0 };
  const sorted = sortedCopy(Array.from(oversleepMs));
  const routine = percentileNearestRank(sorted, 0.5);
  const threshold = Math.max(MIN_STALL_MS, ROUTINE_MULTIPLE * routine);
  let total = 0;
  const durations: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = oversleepMs[i];
    total += sleepMs + o;
    if (o > threshold) durations.push(o - routine);
  }
  const seconds = total / 1000;
  return {
    ratePerSec: seconds > 0 ? durations.length / seconds : 0,
    durationQuantilesMs: durations.length >= 1 ? quantiles101(sortedCopy(durations.length === 1 ? [durations[0], durations[0]] : durations)) : [],
    thresholdMs: threshold,
    events: durations.length,
    probeSeconds: seconds,
  };
}

/** Pools the events of several probe runs (rate over their total time, durations together). */
export function poolStallEvents(parts: Array<{ oversleepMs: ArrayLike<number>; sleepMs: number }>): StallEvents {
  const all: number[] = [];
  for (const p of parts) for (let i = 0; i < p.oversleepMs.length; i++) all.push(p.oversleepMs[i]);
  return stallEventsFromOversleep(all, parts[0]?.sleepMs ?? 1);
}
