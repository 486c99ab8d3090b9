// The few workload fields a report prints, read defensively: a stored workload comes from the
// planner's schema, but an imported plan may come from another Kneepoint version.

export interface WorkloadFacts {
  name: string | null;
  slaMs: number | null;
  percentile: number;
  synchronous: boolean | null;
  meanRatePerSec: number | null;
  requestsPerDay: number | null;
  peakToMean: number | null;
  deadlineS: number | null;
  instanceNames: string[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? v as Record<string, unknown> : {});

export function workloadFacts(workload: unknown): WorkloadFacts {
  const w = obj(workload);
  const sla = obj(w.sla);
  const traffic = obj(w.traffic);
  const callers = obj(w.callers);
  const fresh = obj(w.freshness);
  return {
    name: typeof w.name === 'string' ? w.name : null,
    slaMs: num(sla.slaMs),
    percentile: num(sla.percentile) ?? 99,
    synchronous: typeof callers.synchronous === 'boolean' ? callers.synchronous : null,
    meanRatePerSec: num(traffic.meanRatePerSec),
    requestsPerDay: num(traffic.requestsPerDay),
    peakToMean: num(traffic.peakToMean),
    deadlineS: num(fresh.deadlineS),
    instanceNames: Array.isArray(w.instances) ? w.instances.map((i) => String(obj(i).name ?? '')).filter(Boolean) : [],
  };
}
