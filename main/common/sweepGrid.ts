// The points a sweep measures: provider × precision × session options × threads × instances, each
// a group of batch sizes (a group shares its sessions; batch is the innermost axis so the batch
// axis can stop early). The one expansion used by the engine, the CLI estimate and the Sweep view.
import type { PointConfig, Precision, ProviderName, SessionOptionsSpec } from './types.ts';

export interface GridAxes {
  batch: readonly number[];
  instances: readonly number[];
  threads: readonly number[];
  precision: readonly Precision[];
  provider: readonly ProviderName[];
  sessionOptions?: SessionOptionsSpec;
  /** session-option axes: each listed variant (over sessionOptions) is a separate group */
  sessionOptionVariants?: readonly SessionOptionsSpec[];
}

/** Points that share their sessions: everything but the batch size is fixed. */
export interface SweepGroup {
  provider: ProviderName;
  precision: Precision;
  sessionOptions: SessionOptionsSpec;
  threads: number;
  instances: number;
  /** ascending, without repeats */
  batches: number[];
}

const ascendingUnique = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b);

export function expandGrid(axes: GridAxes): SweepGroup[] {
  const base = axes.sessionOptions ?? {};
  const variants = axes.sessionOptionVariants?.length ? axes.sessionOptionVariants.map((v) => ({ ...base, ...v })) : [base];
  const batches = ascendingUnique(axes.batch);
  const groups: SweepGroup[] = [];
  for (const provider of new Set(axes.provider)) for (const precision of new Set(axes.precision)) for (const sessionOptions of variants)
    for (const threads of ascendingUnique(axes.threads)) for (const instances of ascendingUnique(axes.instances)) {
      groups.push({ provider, precision, sessionOptions, threads, instances, batches });
    }
  return groups;
}

export function pointConfig(g: SweepGroup, batch: number): PointConfig {
  const c: PointConfig = { batch, instances: g.instances, threadsPerInstance: g.threads, precision: g.precision, provider: g.provider };
  if (Object.keys(g.sessionOptions).length) c.sessionOptions = g.sessionOptions;
  return c;
}

/** Every point of the grid, in the order a sweep measures them. */
export function gridPoints(axes: GridAxes): PointConfig[] {
  return expandGrid(axes).flatMap((g) => g.batches.map((b) => pointConfig(g, b)));
}
