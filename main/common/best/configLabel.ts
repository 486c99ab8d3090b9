// One way to name a measured configuration in sentences and tables, and a key to match it across runs.
import type { PointConfig } from '../types.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "batch 4 × 2 instances × 1 thread" (+ precision/provider when not the fp32/CPU default). */
export function configLabel(c: PointConfig): string {
  const parts = [`batch ${c.batch}`, plural(c.instances, 'instance', 'instances'), plural(c.threadsPerInstance, 'thread', 'threads')];
  let s = parts.join(' × ');
  const extra: string[] = [];
  if (c.precision !== 'fp32') extra.push(c.precision);
  if (c.provider !== 'cpu') extra.push(c.provider);
  if (c.requestRatePerSec !== undefined) extra.push(`${c.requestRatePerSec} req/s offered`);
  if (extra.length) s += ` (${extra.join(', ')})`;
  return s;
}

/** Stable identity of a configuration: same key ⇔ the same thing was measured. */
export function configKey(c: PointConfig): string {
  const so = c.sessionOptions ?? {};
  const soKey = Object.keys(so).sort().map((k) => `${k}=${String((so as Record<string, unknown>)[k])}`).join(',');
  return [`b${c.batch}`, `i${c.instances}`, `t${c.threadsPerInstance}`, c.precision, c.provider, soKey, c.requestRatePerSec ?? ''].join('|');
}
