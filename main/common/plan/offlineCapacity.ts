// X_offline: the best closed-loop throughput of one replica over batch sizes and configurations,
// on the instance type where it is cheapest per inference. Used by batch and deferred plans.
import { bestOffline, servicePercentileMs } from './curves.ts';
import type { CurveGroup, CurvePoint } from './curves.ts';
import { copiesOn, fits } from './planContext.ts';
import type { PlanContext } from './planContext.ts';
import type { InstanceType } from './workloadSchema.ts';

export interface OfflineChoice {
  group: CurveGroup;
  point: CurvePoint;
  instance: InstanceType;
  /** samples/s of one replica on this instance type (all its copies) */
  xOfflinePerSec: number;
  copies: number;
  /** service time of one batch on this instance type at p50 / p99, ms */
  batchP50Ms: number;
  batchP99Ms: number;
}

/** The offline configuration with the lowest price per inference (or the highest throughput when unpriced). */
export function chooseOffline(ctx: PlanContext, only?: InstanceType): OfflineChoice | null {
  let best: OfflineChoice | null = null;
  let bestScore = Infinity;
  for (const it of ctx.instances) {
    if (ctx.priced && it.pricePerHourUsd === undefined) continue;
    if (only && it !== only) continue;
    for (const g of ctx.groups) {
      if (!fits(g, it)) continue;
      const pt = bestOffline(g);
      const copies = copiesOn(it, ctx.measuredCores);
      const x = pt.samplesPerSec * it.speedFactor * copies;
      const score = (it.pricePerHourUsd ?? 1) / x;
      if (score < bestScore) {
        bestScore = score;
        best = {
          group: g, point: pt, instance: it, xOfflinePerSec: x, copies,
          batchP50Ms: servicePercentileMs(pt, 50) / it.speedFactor,
          batchP99Ms: servicePercentileMs(pt, 99) / it.speedFactor,
        };
      }
    }
  }
  return best;
}
