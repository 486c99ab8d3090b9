// Special functions the statistics core needs (pure math, no dependencies):
// log-gamma, the binomial distribution in log space, the normal quantile and Student's t quantile.

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0. Stirling's series (terms to x⁻⁹) for x ≥ 10, shifted up by the recurrence
 * Γ(x+1) = x·Γ(x) below that; absolute error ~1e-15 near 10 and better above, which keeps
 * log-binomial coefficients of n up to 10^7 accurate to ~1e-8 (relative to the probability).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  let product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
  }
  const shift = Math.log(product);
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series - shift;
}

/** ln P(B = k) for B ~ Binomial(n, p), 0 < p < 1. */
export function logBinomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return -Infinity;
  const logChoose = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  return logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * P(B ≤ k) for B ~ Binomial(n, p), summed exactly over the few terms of the lower tail in log
 * space (log-sum-exp). Meant for small k (MLPerf miss counts); cost is O(k).
 */
export function binomialCdfSmallK(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logs: number[] = [];
  for (let j = 0; j <= k; j++) logs.push(logBinomialPmf(j, n, p));
  const top = Math.max(...logs);
  let sum = 0;
  for (const l of logs) sum += Math.exp(l - top);
  return Math.min(1, Math.exp(top + Math.log(sum)));
}

/**
 * The binomial pmf over a window [start, start + pmf.length) that holds all but ~1e-40 of the mass
 * (mode ± 40 sd + 50, clamped to [0, n]). Built from the mode outward by the ratio
 * pmf(k+1)/pmf(k) = (n−k)/(k+1) · p/(1−p) in log space, then exponentiated relative to the mode,
 * so nothing underflows before it is negligible and nothing overflows.
 */
export function binomialPmfWindow(n: number, p: number): { start: number; pmf: Float64Array } {
  const sd = Math.sqrt(n * p * (1 - p));
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const half = Math.ceil(40 * sd + 50);
  const start = Math.max(0, mode - half);
  const end = Math.min(n, mode + half);
  const logPmf = new Float64Array(end - start + 1);
  const logOdds = Math.log(p) - Math.log1p(-p);
  const at = mode - start;
  logPmf[at] = logBinomialPmf(mode, n, p);
  for (let k = mode; k < end; k++) {
    logPmf[k + 1 - start] = logPmf[k - start] + Math.log((n - k) / (k + 1)) + logOdds;
  }
  for (let k = mode; k > start; k--) {
    logPmf[k - 1 - start] = logPmf[k - start] + Math.log(k / (n - k + 1)) - logOdds;
  }
  const pmf = new Float64Array(logPmf.length);
  for (let i = 0; i < pmf.length; i++) pmf[i] = Math.exp(logPmf[i]);
  return { start, pmf };
}

/**
 * Standard normal quantile Φ⁻¹(q), Acklam's rational approximation (relative error < 1.15e-9,
 * far below anything a confidence level needs; no refinement step, which would need a more
 * accurate Φ than normalCdf below).
 */
export function normalQuantile(q: number): number {
  if (!(q > 0 && q < 1)) {
    if (q === 0) return -Infinity;
    if (q === 1) return Infinity;
    throw new RangeError(`normalQuantile needs 0 ≤ q ≤ 1, got ${q}`);
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (q < low) {
    const r = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  } else if (q <= 1 - low) {
    const s = q - 0.5;
    const r = s * s;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * s) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const r = Math.sqrt(-2 * Math.log(1 - q));
    x = -(((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  }
  return x;
}

/** Standard normal CDF Φ(x) via a Chebyshev-fitted erfc (fractional error < 1.2e-7). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes erfcc (Chebyshev), fractional error < 1.2e-7 everywhere.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Regularized incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes betacf),
 * using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where the fraction converges fastest.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Student's t CDF P(T ≤ t) with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Student's t quantile for 0.5 < q < 1, by bisection on the CDF (60 halvings: ~1e-12 of the bracket). */
export function studentTQuantile(q: number, df: number): number {
  if (!(q > 0.5 && q < 1)) throw new RangeError(`studentTQuantile needs 0.5 < q < 1, got ${q}`);
  if (!(df >= 1)) throw new RangeError(`studentTQuantile needs df ≥ 1, got ${df}`);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < q) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
