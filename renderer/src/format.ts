// Number formatting with units; every figure on screen goes through one of these.
import type { PointConfig, PointResult } from '../../main/common/types.ts';

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v < 1) return `${v.toFixed(3)} ms`;
  if (v < 10) return `${v.toFixed(2)} ms`;
  if (v < 1000) return `${v.toFixed(1)} ms`;
  return `${(v / 1000).toFixed(2)} s`;
}

export function num(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function compact(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  for (const [d, s] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (abs >= d) return `${(v / d).toFixed(abs >= d * 100 ? 0 : 1)}${s}`;
  return num(v, abs < 10 ? 2 : 0);
}

export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0; let x = v;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return `${x.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** Dollars for people: "$1,234", "$0.22", and small amounts with two significant digits ("$0.0022"), never "$0.00". */
export function usd(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v >= 100) return `$${num(v, 0)}`;
  if (v === 0 || Math.abs(v) >= 0.01) return `$${v.toFixed(2)}`;
  return `$${Number(v.toPrecision(2)).toFixed(Math.min(12, 1 - Math.floor(Math.log10(Math.abs(v)))))}`;
}

export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${v > 0 ? '+' : ''}${v.toFixed(digits)}%`;
}

export function duration(msv: number | null | undefined): string {
  if (msv === null || msv === undefined || !Number.isFinite(msv)) return '—';
  const s = Math.round(msv / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "b8 · 2 inst × 1 thr · fp32 · cpu" */
export function configLabel(c: PointConfig, withBatch = true): string {
  return `${withBatch ? `b${c.batch} · ` : ''}${c.instances} inst × ${c.threadsPerInstance} thr · ${c.precision} · ${c.provider}`;
}

/** Points of one series share everything but the batch size. */
export function seriesKey(c: PointConfig): string {
  return configLabel(c, false) + (c.sessionOptions && Object.keys(c.sessionOptions).length ? ' · ' + JSON.stringify(c.sessionOptions) : '');
}

export function configKey(c: PointConfig): string { return `${c.batch}|${seriesKey(c)}`; }

export type Percentile = 'p50' | 'p95' | 'p99';
export function latencyAt(p: PointResult, q: Percentile): number { return p.latencyMs[q]; }
