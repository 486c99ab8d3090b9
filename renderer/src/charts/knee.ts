// The knee of a latency-vs-throughput series: the point with the most throughput per unit of
// latency (Kleinrock's "power", throughput / latency). Before it, a larger batch buys throughput
// cheaply; past it, latency grows faster than throughput. When the power still rises at the last
// point measured, the sweep never reached the knee and should grow the batch (or instances).
import type { PointResult } from '../../../main/common/types.ts';
import type { Percentile } from '../format.ts';

export type KneeVerdict =
  | { kind: 'knee'; point: PointResult }
  | { kind: 'not-reached'; last: PointResult }
  | { kind: 'too-few' };

/** `series`: the points of one configuration series (same everything but batch). */
export function findKnee(series: readonly PointResult[], percentile: Percentile): KneeVerdict {
  const ok = series.filter((p) => p.status !== 'failed' && p.samplesPerSec > 0 && p.latencyMs[percentile] > 0)
    .sort((a, b) => a.config.batch - b.config.batch);
  if (ok.length < 3) return { kind: 'too-few' };
  const power = (p: PointResult) => p.samplesPerSec / p.latencyMs[percentile];
  let best = ok[0];
  for (const p of ok) if (power(p) > power(best)) best = p;
  return best === ok[ok.length - 1] ? { kind: 'not-reached', last: best } : { kind: 'knee', point: best };
}

/** "b8×2": a point's batch and instances, short enough to sit next to it on a chart. */
export function pointTag(p: PointResult): string {
  return `b${p.config.batch}×${p.config.instances}`;
}
