// Escaping and number formatting for the HTML report. Units go in the column headers or after
// the figure; a missing figure prints as an en dash, never as 0 or NaN.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text → HTML text or attribute value. */
export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** JSON to embed in an inline <script> (cannot close the element or start a comment). */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export const DASH = '–';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Milliseconds with precision that fits the magnitude (3 significant digits, at least). */
export function fmtMs(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

export function fmtNum(v: number | null | undefined, digits = 0): string {
  if (!finite(v)) return DASH;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Throughput: 3 significant digits below 1000, whole numbers above. */
export function fmtRate(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return v >= 1000 ? fmtNum(v, 0) : v >= 100 ? v.toFixed(1) : v >= 10 ? v.toFixed(2) : v.toFixed(3);
}

export function fmtUsd(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return v >= 100 ? `$${fmtNum(v, 0)}` : v >= 1 ? `$${v.toFixed(2)}` : `$${v.toFixed(4)}`;
}

export function fmtPct(v: number | null | undefined, digits = 0): string {
  return finite(v) ? `${v.toFixed(digits)} %` : DASH;
}

export function fmtBytes(v: number | null | undefined): string {
  if (!finite(v) || v <= 0) return DASH;
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = v;
  while (x >= 1024 && i < u.length - 1) { x /= 1024; i++; }
  return `${x.toFixed(i ? 1 : 0)} ${u[i]}`;
}

/** ISO timestamp → "2025-11-22 14:03 UTC". */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? esc(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
