// The p99 band a plan shows: an interval for a *future measurement on this machine*, not only the
// simulator's replication noise. Three sources of spread, added on the log scale (they multiply
// latencies, and log p99 is close to normal across runs):
//  - the simulator's own replication interval (p99CiMs);
//  - the machine's run-to-run spread of a measured p99 at the same configuration and rate
//    (repetitions of a calibration level); it grows with load like queueing delay does, so it is
//    scaled by (1 − ρcal)/(1 − ρ) from the utilisation where it was measured;
//  - the model's own error on this machine: the log residual of prediction vs measurement at the
//    calibration levels (held out from the levels a validation then checks).
// With no calibration the band uses wide defaults and says so (`calibrated: false`).

/** What a calibration measured about the spread, stored with the serving calibration. */
export interface BandCalibration {
  /** sd of log(measured p99) between repetitions of one level, at utilisation `atUtilization` */
  sigmaMachine: number;
  /** rms of log(measured p99 / predicted p99) over the calibration levels */
  sigmaModel: number;
  /** mean log(measured / predicted) at the calibration levels (> 0: the model was optimistic there); reported, and inside sigmaModel (an rms) */
  biasLog?: number;
  /** utilisation of the calibration levels (mean) */
  atUtilization: number;
  /** number of calibration measurements behind the figures */
  levels: number;
}

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963985;
/** the least relative spread a band claims (timer and scheduler noise never vanish) */
const MIN_SIGMA = 0.08;
/** without a calibration: ±~60 % at 95 %, deliberately wide */
const UNCALIBRATED_SIGMA = 0.3;
/** past this utilisation queueing amplification is capped (prediction is not meaningful there anyway) */
const MAX_RHO = 0.95;

export interface Band {
  bandMs: [number, number];
  /** the combined sd on the log scale */
  sigma: number;
  calibrated: boolean;
}

/** The 95 % band for a future measurement of a predicted p99. */
export function p99Band(p99Ms: number, o: { ciMs?: [number, number] | null; utilization: number; calibration?: BandCalibration | null }): Band {
  if (!(p99Ms > 0) || !Number.isFinite(p99Ms)) return { bandMs: [p99Ms, p99Ms], sigma: 0, calibrated: !!o.calibration };
  const ci = o.ciMs;
  const sigmaSim = ci && ci[0] > 0 && ci[1] > ci[0] ? Math.log(ci[1] / ci[0]) / (2 * Z95) : 0;
  const rho = Math.min(MAX_RHO, Math.max(0, o.utilization));
  let sigma: number;
  const c = o.calibration;
  if (c) {
    const rhoCal = Math.min(MAX_RHO, Math.max(0, c.atUtilization));
    const amplify = (1 - rhoCal) / (1 - rho);
    const machine = c.sigmaMachine * Math.max(1, amplify);
    sigma = Math.sqrt(sigmaSim ** 2 + machine ** 2 + c.sigmaModel ** 2);
  } else {
    sigma = Math.sqrt(sigmaSim ** 2 + (UNCALIBRATED_SIGMA * Math.max(1, 0.5 / (1 - rho))) ** 2);
  }
  sigma = Math.max(MIN_SIGMA, sigma);
  return { bandMs: [p99Ms * Math.exp(-Z95 * sigma), p99Ms * Math.exp(Z95 * sigma)], sigma, calibrated: !!c };
}

/** sd of log values (sample sd; 0 for fewer than two). */
export function logSd(values: number[]): number {
  const v = values.filter((x) => x > 0).map(Math.log);
  if (v.length < 2) return 0;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/** Band coverage over levels: the share whose measured value lies inside its band, and the median relative width. */
export function bandCoverage(levels: Array<{ predictedMs: number; bandMs: [number, number]; measuredMs: number }>): { coveragePct: number; inside: boolean[]; medianWidthPct: number } {
  const inside = levels.map((l) => l.measuredMs >= l.bandMs[0] && l.measuredMs <= l.bandMs[1]);
  const widths = levels.map((l) => ((l.bandMs[1] - l.bandMs[0]) / l.predictedMs) * 100).filter(Number.isFinite).sort((a, b) => a - b);
  const mid = widths.length ? (widths.length % 2 ? widths[(widths.length - 1) / 2] : (widths[widths.length / 2 - 1] + widths[widths.length / 2]) / 2) : NaN;
  return { coveragePct: levels.length ? (inside.filter(Boolean).length / levels.length) * 100 : NaN, inside, medianWidthPct: mid };
}
