// How the planner rounds its figures: money to cents, cost per million inferences, shares and
// durations rounded up to a billing step.
export const round1 = (x: number) => Math.round(x * 10) / 10;
export const round2 = (x: number) => Math.round(x * 100) / 100;
export const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Three decimals, or two significant digits below 1 % so a tiny load never shows as 0. */
export function roundShare(x: number): number {
  if (x > 0 && x < 0.01) return Number(x.toPrecision(2));
  return round3(x);
}

export function ceilTo(x: number, step: number): number {
  return Math.ceil(x / step - 1e-9) * step;
}

export function roundUsd(x: number | null): number | null {
  return x === null ? null : Math.round(x * 100) / 100;
}

export function perMillion(monthlyUsd: number | null, monthlyInferences: number): number | null {
  if (monthlyUsd === null || !(monthlyInferences > 0)) return null;
  return Math.round((monthlyUsd / (monthlyInferences / 1e6)) * 10000) / 10000;
}
