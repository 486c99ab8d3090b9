// A latency distribution rebuilt from the few percentiles another tool reports (no histogram):
// the 101 quantiles (q0…q100) the simulator samples. Pure; the result is flagged as approximate
// wherever it is stored.

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  if (p <= 0 || p >= 1) throw new RangeError(`inverseNormal needs 0 < p < 1 (got ${p})`);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

export const APPROX_QUANTILES_NOTE = 'no histogram in the source: quantilesMs approximated (linear between the reported percentiles, ' +
  'log-normal below the lowest one fitted to it and the next, q100 extrapolated from p95→p99); min and max are approximate too';

/**
 * 101 quantiles through the given (percentile → ms) anchors, non-decreasing. Between anchors:
 * linear. Below the lowest anchor: a log-normal tail through the two lowest anchors. Above the
 * highest: linear extrapolation of the last segment to q100, at most doubling the last gap.
 */
export function approxQuantiles(anchors: ReadonlyArray<readonly [number, number]>): number[] {
  const pts = [...anchors].filter(([p, v]) => p > 0 && p < 100 && Number.isFinite(v) && v >= 0).sort((x, y) => x[0] - y[0]);
  if (!pts.length) throw new RangeError('approxQuantiles needs at least one percentile in (0, 100)');
  for (let i = 1; i < pts.length; i++) if (pts[i][1] < pts[i - 1][1]) pts[i] = [pts[i][0], pts[i - 1][1]];
  const [p0, v0] = pts[0];
  const [p1, v1] = pts[1] ?? pts[0];
  const z0 = inverseNormal(p0 / 100);
  const z1 = inverseNormal(p1 / 100);
  const sigma = v0 > 0 && v1 > v0 && z1 > z0 ? Math.log(v1 / v0) / (z1 - z0) : 0;
  const [pa, va] = pts.length > 1 ? pts[pts.length - 2] : pts[0];
  const [pb, vb] = pts[pts.length - 1];
  const slope = pb > pa ? (vb - va) / (pb - pa) : 0;
  const q: number[] = [];
  for (let k = 0; k <= 100; k++) {
    let v: number;
    if (k <= p0) {
      const pk = Math.max(k, 0.5) / 100;
      v = v0 * Math.exp(sigma * (inverseNormal(pk) - z0));
    } else if (k >= pb) {
      v = vb + Math.min(slope * (k - pb), 2 * (vb - va));
    } else {
      const j = pts.findIndex(([p]) => p >= k);
      const [pl, vl] = pts[j - 1];
      const [ph, vh] = pts[j];
      v = vl + ((vh - vl) * (k - pl)) / (ph - pl);
    }
    q.push(+Math.max(v, q[k - 1] ?? 0).toFixed(6));
  }
  return q;
}

/** Mean of a distribution given by its 101 quantiles (trapezoid over the quantile function). */
export function meanOfQuantiles(q: readonly number[]): number {
  let s = 0;
  for (let i = 1; i < q.length; i++) s += (q[i] + q[i - 1]) / 2;
  return s / (q.length - 1);
}
