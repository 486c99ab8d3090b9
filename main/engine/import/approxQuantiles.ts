// A latency distribution rebuilt from the few percentiles another tool reports (no histogram):
// the 101 quantiles (q0…q100) the simulator samples. Pure; the result is flagged as approximate
// wherever it is stored.
import { normalQuantile } from '../../common/stats/special.ts';

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
  const z0 = normalQuantile(p0 / 100);
  const z1 = normalQuantile(p1 / 100);
  const sigma = v0 > 0 && v1 > v0 && z1 > z0 ? Math.log(v1 / v0) / (z1 - z0) : 0;
  const [pa, va] = pts.length > 1 ? pts[pts.length - 2] : pts[0];
  const [pb, vb] = pts[pts.length - 1];
  const slope = pb > pa ? (vb - va) / (pb - pa) : 0;
  const q: number[] = [];
  for (let k = 0; k <= 100; k++) {
    let v: number;
    if (k <= p0) {
      const pk = Math.max(k, 0.5) / 100;
      v = v0 * Math.exp(sigma * (normalQuantile(pk) - z0));
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
