// Splitting one sweep grid across several targets of the same hardware class: the values of one
// axis are dealt round-robin, so every share is a complete smaller grid the agent sweeps as usual.
import type { SweepSpecResolved } from '../../common/schemas.ts';
import { invalidInput } from '../../common/errors.ts';

type Axis = 'provider' | 'precision' | 'sessionOptionVariants' | 'threads' | 'instances' | 'batch';

/**
 * n shares of `spec`. The axis split is the first (outside in) with at least n values, batch last:
 * splitting batch sizes makes each share's plateau stop see only its own batches. Only the first
 * share keeps the anchor re-measurement (one anchor per run).
 */
export function splitGrid(spec: SweepSpecResolved, n: number): SweepSpecResolved[] {
  if (n === 1) return [spec];
  const lengths: Record<Axis, number> = {
    provider: spec.provider.length, precision: spec.precision.length, sessionOptionVariants: spec.sessionOptionVariants?.length ?? 0,
    threads: spec.threads.length, instances: spec.instances.length, batch: new Set(spec.batch).size,
  };
  const order: Axis[] = ['provider', 'precision', 'sessionOptionVariants', 'threads', 'instances', 'batch'];
  const axis = order.find((a) => lengths[a] >= n);
  if (!axis) {
    const longest = Math.max(...Object.values(lengths));
    throw invalidInput(`the grid has at most ${longest} value(s) along any axis, so it cannot be split across ${n} targets: ` +
      `fan out across at most ${longest}, add values (e.g. more --batch sizes), or use --per-target to run the whole grid on each`);
  }
  const values = axis === 'batch' ? [...new Set(spec.batch)].sort((a, b) => a - b) : (spec[axis] as unknown[]);
  return Array.from({ length: n }, (_, i) => {
    const mine = values.filter((_, j) => j % n === i);
    return {
      ...spec,
      [axis]: mine,
      method: { ...spec.method, anchor: i === 0 ? spec.method.anchor : false },
    } as SweepSpecResolved;
  });
}
