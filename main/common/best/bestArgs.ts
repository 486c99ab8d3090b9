// The `bestConfig` API's arguments (CLI and API share them): the SLA as text ("p99:20") or an object.
import { z } from 'zod';
import { BEST_OBJECTIVES } from './bestConfig.ts';
import { SLA_PERCENTILES, parseSla, type Sla } from './sla.ts';

const slaObjectSchema = z.object({ percentile: z.enum(SLA_PERCENTILES as [string, ...string[]]), ms: z.number().positive().finite() });

export const bestArgsSchema = z.object({
  runId: z.string().min(1),
  sla: z.union([z.string().min(1), slaObjectSchema]),
  objective: z.enum(BEST_OBJECTIVES as [string, ...string[]]).optional(),
  top: z.number().int().min(1).max(100).optional(),
});
export type BestArgs = z.input<typeof bestArgsSchema>;

export function resolveSla(sla: z.output<typeof bestArgsSchema>['sla']): Sla {
  return typeof sla === 'string' ? parseSla(sla) : (sla as Sla);
}
