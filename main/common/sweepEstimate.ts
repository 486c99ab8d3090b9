// How long a sweep takes: a range before it starts (from the real point count and the method), and
// while it runs a remaining time from the measured per-point and per-session times, which converges
// as points finish. Pure: the engine, the CLI and the Sweep view use the same figures.
import type { MethodSpec } from './schemas.ts';
import { expandGrid, type GridAxes } from './sweepGrid.ts';

/** A session start (per group of points) before any has been measured, ms. */
const SESSION_GUESS_MS = 400;

export interface SweepEstimate {
  /** points measured, the anchor re-measurement included */
  points: number;
  /** groups of points sharing their sessions (each starts its sessions once) */
  groups: number;
  /** every point stable after the minimum windows */
  lowMs: number;
  /** every point running to its window cap */
  highMs: number;
  /** per point when stable after the minimum windows: the first figure the remaining time uses */
  perPointMs: number;
}

type MethodTimes = Pick<MethodSpec, 'stableWindows' | 'maxWindows' | 'windowMinMs' | 'anchor'>;

export function estimateSweep(axes: GridAxes, method: MethodTimes): SweepEstimate {
  const groups = expandGrid(axes);
  const points = groups.reduce((s, g) => s + g.batches.length, 0) + (method.anchor ? 1 : 0);
  // warm-up is short next to the windows for the models here; half a window covers it
  const perPointMs = (method.stableWindows + 0.5) * method.windowMinMs;
  const perPointHighMs = (method.maxWindows + 1) * method.windowMinMs;
  const sessionsMs = (groups.length + (method.anchor ? 1 : 0)) * SESSION_GUESS_MS;
  return { points, groups: groups.length, lowMs: points * perPointMs + sessionsMs, highMs: points * perPointHighMs + sessionsMs, perPointMs };
}

/**
 * Remaining time of a running sweep. Until a point has finished it is the up-front figure; then the
 * mean measured time per point (and per session start) times what is left, so it converges on the
 * sweep's real pace.
 */
export class RemainingTime {
  private pointMs: number[] = [];
  private sessionMs: number[] = [];
  private readonly guessPointMs: number;

  constructor(estimate: Pick<SweepEstimate, 'perPointMs'>) {
    this.guessPointMs = estimate.perPointMs;
  }

  /** a point finished after `ms` (from its start to its row in the store; its own session start not included) */
  pointFinished(ms: number): void { this.pointMs.push(ms); }

  /** a group's sessions took `ms` to start */
  sessionsStarted(ms: number): void { this.sessionMs.push(ms); }

  remainingMs(pointsLeft: number, sessionStartsLeft: number): number {
    const perPoint = this.pointMs.length ? mean(this.pointMs) : this.guessPointMs;
    const perSession = this.sessionMs.length ? mean(this.sessionMs) : SESSION_GUESS_MS;
    return Math.max(0, pointsLeft) * perPoint + Math.max(0, sessionStartsLeft) * perSession;
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
