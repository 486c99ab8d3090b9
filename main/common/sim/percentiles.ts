// Nearest-rank percentiles (MEASUREMENT.md rule 5: x[ceil(n·p) − 1] of the sorted values) by
// in-place selection, so a million latencies cost O(n) instead of a full sort.

/** Zero-based nearest-rank index for percentile p (a fraction) of n values. */
export function nearestRankIndex(n: number, p: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil(n * p) - 1));
}

/**
 * Nearest-rank percentiles of the first `n` values. Reorders `values` in place (partially sorts).
 * Returns NaN for each p when n is 0.
 */
export function percentilesInPlace(values: Float64Array, n: number, ps: readonly number[]): number[] {
  const out = new Array<number>(ps.length).fill(NaN);
  if (n === 0) return out;
  const order = ps.map((p, i) => ({ i, k: nearestRankIndex(n, p) })).sort((x, y) => x.k - y.k);
  let lo = 0;
  for (const { i, k } of order) {
    out[i] = selectKth(values, lo, n, k);
    lo = k; // everything left of k is <= values[k] now
  }
  return out;
}

/** Percentiles of a plain list without touching it. */
export function percentilesOf(values: readonly number[] | Float64Array, ps: readonly number[]): number[] {
  const copy = Float64Array.from(values);
  return percentilesInPlace(copy, copy.length, ps);
}

function selectKth(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi - lo > 24) {
    const mid = (lo + hi) >>> 1;
    const pivot = median3(a[lo], a[mid], a[hi - 1]);
    // three-way partition: [lo, lt) < pivot, [lt, gt] = pivot, (gt, hi) > pivot; ties are common
    // (deterministic service times), so equal keys must not degrade the selection
    let lt = lo;
    let i = lo;
    let gt = hi - 1;
    while (i <= gt) {
      const v = a[i];
      if (v < pivot) {
        a[i] = a[lt];
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt];
        a[gt] = v;
        gt--;
      } else {
        i++;
      }
    }
    if (k < lt) hi = lt;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
  return a[k];
}

function median3(x: number, y: number, z: number): number {
  if (x < y) {
    if (y < z) return y;
    return x < z ? z : x;
  }
  if (x < z) return x;
  return y < z ? z : y;
}
