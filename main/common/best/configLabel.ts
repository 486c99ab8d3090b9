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

export type ConfigField = 'batch' | 'instances' | 'threads' | 'precision' | 'provider' | 'session' | 'rate';
export const CONFIG_FIELDS: readonly ConfigField[] = ['batch', 'instances', 'threads', 'precision', 'provider', 'session', 'rate'];

/** Stable identity of a configuration: same key ⇔ the same thing was measured (over `fields`, default all). */
export function configKey(c: PointConfig, fields: readonly ConfigField[] = CONFIG_FIELDS): string {
  const so = c.sessionOptions ?? {};
  const soKey = Object.keys(so).sort().map((k) => `${k}=${String((so as Record<string, unknown>)[k])}`).join(',');
  const part: Record<ConfigField, string> = {
    batch: `b${c.batch}`, instances: `i${c.instances}`, threads: `t${c.threadsPerInstance}`, precision: c.precision,
    provider: c.provider, session: soKey, rate: String(c.requestRatePerSec ?? ''),
  };
  return fields.map((f) => part[f]).join('|');
}
