// A latency SLA as users type it ("p99:20" = the 99th percentile within 20 ms) and its shared schema.
import { invalidInput } from '../errors.ts';

export type SlaPercentile = 'p50' | 'p90' | 'p95' | 'p99' | 'p999';
export const SLA_PERCENTILES: readonly SlaPercentile[] = ['p50', 'p90', 'p95', 'p99', 'p999'];

export interface Sla {
  percentile: SlaPercentile;
  /** the percentile's latency must stay within this many milliseconds */
  ms: number;
}

/** The percentile as a fraction: p99 → 0.99, p999 → 0.999. */
export function slaQuantile(p: SlaPercentile): number {
  return p === 'p999' ? 0.999 : Number(p.slice(1)) / 100;
}

/** "p99 ≤ 20 ms" */
export function slaText(sla: Sla): string {
  return `${sla.percentile === 'p999' ? 'p99.9' : sla.percentile} ≤ ${sla.ms} ms`;
}

/** Parse "p99:20", "p95:12.5ms", "p99.9:50" into an Sla; a clear invalid-input error otherwise. */
export function parseSla(text: string): Sla {
  const m = /^\s*p(50|90|95|99|99\.9|999)\s*[:=]\s*([0-9]*\.?[0-9]+)\s*(ms)?\s*$/i.exec(text);
  if (!m) throw invalidInput(`--sla must look like p99:20 (percentile p50|p90|p95|p99|p99.9, then the limit in ms); got "${text}"`);
  const percentile = (m[1] === '99.9' ? 'p999' : `p${m[1]}`) as SlaPercentile;
  const ms = Number(m[2]);
  if (!(ms > 0) || !Number.isFinite(ms)) throw invalidInput(`--sla limit must be a positive number of ms; got "${m[2]}"`);
  return { percentile, ms };
}
