// The window stability rule on synthetic windows with a known truth: three windows of n log-normal
// latencies (σ 0.5), the third scaled by `drift`. Prints how often the point is called stable by
// the rule (the 10 % p99 spread, or the tail test of one shared p99 when the windows are long enough
// to have power, main/common/stats/stability.ts) and by the plain 10 % rule alone. drift ×1 is a
// stationary process: every "unstable" there is a false alarm. Prints figures; never fails on them.
//   npx node bench/stability-rule.bench.ts
import { createRng } from '../main/common/stats/rng.ts';
import { percentileNearestRank } from '../main/common/stats/percentiles.ts';
import { windowsStable } from '../main/common/stats/stability.ts';

const TRIALS = 300;
function window(rng: () => number, n: number, scale: number) {
  const s = Float64Array.from({ length: n }, () => scale * Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()))).sort();
  return { samplesPerSec: 1, p99Ms: percentileNearestRank(s, 0.99), sortedMs: s };
}
console.log(`called stable, of ${TRIALS} trials (3 windows, the third ×drift)`);
console.log('requests/window  drift   rule   plain 10 % rule');
for (const n of [100, 400, 500, 700, 1000, 2000, 20000]) {
  for (const drift of [1, 1.1, 1.3, 1.6]) {
    const rng = createRng(n * 10 + Math.round(drift * 10));
    let rule = 0;
    let plain = 0;
    for (let t = 0; t < TRIALS; t++) {
      const v = windowsStable([window(rng, n, 1), window(rng, n, 1), window(rng, n, drift)]);
      if (v.stable) rule++;
      if (v.p99SpreadPct <= 10) plain++;
    }
    console.log(`${String(n).padStart(15)}  ×${drift.toFixed(1)}  ${(rule / TRIALS * 100).toFixed(0).padStart(4)} %  ${(plain / TRIALS * 100).toFixed(0).padStart(4)} %`);
  }
}
