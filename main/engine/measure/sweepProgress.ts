// Progress events of a running sweep: points done of the real total, the phase in words, and the
// remaining time from the measured per-point and per-session times (main/common/sweepEstimate.ts).
import type { JobProgress } from '../../common/api.ts';
import { RemainingTime, type SweepEstimate } from '../../common/sweepEstimate.ts';

export class SweepProgress {
  done: number;
  private readonly clock: RemainingTime;
  private readonly startedMs = Date.now();
  private sessionStartsLeft: number;

  private readonly runId: string;
  private readonly estimate: SweepEstimate;
  private readonly emit?: (p: Omit<JobProgress, 'jobId'>) => void;

  constructor(runId: string, estimate: SweepEstimate, alreadyDone: number, emit?: (p: Omit<JobProgress, 'jobId'>) => void) {
    this.runId = runId;
    this.estimate = estimate;
    this.emit = emit;
    this.done = alreadyDone;
    this.clock = new RemainingTime(estimate);
    this.sessionStartsLeft = estimate.groups + (estimate.points > 0 ? 1 : 0);
  }

  get total(): number { return this.estimate.points; }

  /** a point was stored after `ms` of measuring */
  pointFinished(ms: number): void {
    this.done++;
    this.clock.pointFinished(ms);
  }

  /** points that will not be measured (the batch axis stopped, a group failed before measuring): they count as done */
  skipped(points: number): void { this.done += points; }

  /** a group's sessions started (or the group was passed over), after `ms` */
  sessionsStarted(ms: number | null): void {
    this.sessionStartsLeft = Math.max(0, this.sessionStartsLeft - 1);
    if (ms !== null) this.clock.sessionsStarted(ms);
  }

  report(phase: string): void {
    const left = this.total - this.done;
    this.emit?.({
      runId: this.runId, done: this.done, total: this.total, phase, elapsedMs: Date.now() - this.startedMs,
      remainingMs: this.clock.remainingMs(left, left > 0 ? this.sessionStartsLeft : 0),
    });
  }
}
