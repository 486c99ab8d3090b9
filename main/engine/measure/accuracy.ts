// Accuracy guard: compare a precision variant's outputs with the fp32 model's on the same inputs.
// Metrics are pooled over every output element of every feed; cosine is taken per output (over all
// feeds) and the worst output is reported; top-1 agreement pools the rows of outputs that look like
// class scores (2-D or 3-D with a last dim > 1).
import ort from 'onnxruntime-node';
import type { AccuracyResult } from '../../common/types.ts';
import type { SweepSpecResolved } from '../../common/schemas.ts';
import { float16BitsToFloat32 } from '../onnx/float16.ts';

export type AccuracyBudget = SweepSpecResolved['accuracyBudget'];
export const DEFAULT_ACCURACY_BUDGET: AccuracyBudget = { minCosine: 0.99, minTop1Agreement: 0.95 };

/** The parts of an ort.Tensor the metrics read. */
export interface TensorLike {
  type: string;
  dims: readonly number[];
  data: ArrayLike<number | bigint | string | boolean> | Uint16Array;
}

function asNumbers(t: TensorLike): Float64Array {
  const d = t.data as ArrayLike<unknown>;
  const out = new Float64Array(d.length);
  if (t.type === 'float16' && d instanceof Uint16Array) {
    for (let i = 0; i < d.length; i++) out[i] = float16BitsToFloat32(d[i]);
    return out;
  }
  for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  return out;
}

/** Largest |a - b|; Infinity when one side is NaN/inf where the other is not. */
export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) { if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity; } else if (d > m) m = d;
  }
  return m;
}

export function meanAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return Number.isNaN(s) ? Infinity : s / a.length;
}

/** Cosine similarity; 1 when both are all zeros, 0 when only one is; NaN inputs give 0. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return cosineFromSums(dot, na, nb);
}

function cosineFromSums(dot: number, na: number, nb: number): number {
  if (!Number.isFinite(dot) || !Number.isFinite(na) || !Number.isFinite(nb)) return 0;
  if (na === 0 && nb === 0) return 1;
  if (na === 0 || nb === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}

/** Outputs shaped [rows, classes] or [batch, steps, classes] with more than one class. */
export function looksLikeClassScores(dims: readonly number[]): boolean {
  return (dims.length === 2 || dims.length === 3) && dims[dims.length - 1] > 1;
}

function argmax(a: ArrayLike<number>, start: number, n: number): number {
  let best = start;
  for (let i = start + 1; i < start + n; i++) if (a[i] > a[best]) best = i;
  return best - start;
}

/** Fraction of rows (over the last dim) whose argmax agrees. */
export function top1Agreement(a: ArrayLike<number>, b: ArrayLike<number>, classes: number): number {
  const rows = Math.floor(a.length / classes);
  if (rows === 0) return 1;
  let same = 0;
  for (let r = 0; r < rows; r++) if (argmax(a, r * classes, classes) === argmax(b, r * classes, classes)) same++;
  return same / rows;
}

/** Streaming accumulator: add (reference, variant) output maps feed by feed, then read the result. */
export class AccuracyAccumulator {
  private maxAbs = 0;
  private sumAbs = 0;
  private count = 0;
  private readonly cos = new Map<string, { dot: number; na: number; nb: number }>();
  private rows = 0;
  private agreeing = 0;

  add(ref: Record<string, TensorLike>, variant: Record<string, TensorLike>): void {
    for (const [name, r] of Object.entries(ref)) {
      const v = variant[name];
      if (!v) throw new Error(`variant has no output "${name}"`);
      if (r.type === 'string' || v.type === 'string') continue;
      const a = asNumbers(r);
      const b = asNumbers(v);
      if (a.length !== b.length) throw new Error(`output "${name}" has ${b.length} elements in the variant, ${a.length} in the reference`);
      this.maxAbs = Math.max(this.maxAbs, maxAbsError(a, b));
      this.sumAbs += meanAbsError(a, b) * a.length;
      this.count += a.length;
      const c = this.cos.get(name) ?? { dot: 0, na: 0, nb: 0 };
      for (let i = 0; i < a.length; i++) { c.dot += a[i] * b[i]; c.na += a[i] * a[i]; c.nb += b[i] * b[i]; }
      this.cos.set(name, c);
      if (looksLikeClassScores(r.dims) && (r.type.startsWith('float') || r.type === 'bfloat16')) {
        const classes = r.dims[r.dims.length - 1];
        const rows = Math.floor(a.length / classes);
        this.agreeing += top1Agreement(a, b, classes) * rows;
        this.rows += rows;
      }
    }
  }

  result(budget: AccuracyBudget = DEFAULT_ACCURACY_BUDGET): AccuracyResult {
    let cosine = 1;
    for (const c of this.cos.values()) cosine = Math.min(cosine, cosineFromSums(c.dot, c.na, c.nb));
    const meanAbsErr = this.count === 0 ? 0 : Number.isFinite(this.sumAbs) ? this.sumAbs / this.count : Infinity;
    const result: AccuracyResult = { maxAbsErr: this.maxAbs, meanAbsErr, cosine, withinBudget: true };
    if (this.rows > 0) result.top1Agreement = this.agreeing / this.rows;
    result.withinBudget = withinBudget(result, budget);
    return result;
  }
}

export function withinBudget(r: Omit<AccuracyResult, 'withinBudget'>, budget: AccuracyBudget): boolean {
  if (!Number.isFinite(r.maxAbsErr) || !(r.cosine >= budget.minCosine)) return false;
  if (budget.maxAbsErr !== undefined && r.maxAbsErr > budget.maxAbsErr) return false;
  if (r.top1Agreement !== undefined && r.top1Agreement < budget.minTop1Agreement) return false;
  return true;
}

/** Compare one feed's outputs (all outputs, by name) against the budget. */
export function compareOutputs(ref: Record<string, TensorLike>, variant: Record<string, TensorLike>,
  budget: AccuracyBudget = DEFAULT_ACCURACY_BUDGET): AccuracyResult {
  const acc = new AccuracyAccumulator();
  acc.add(ref, variant);
  return acc.result(budget);
}

/**
 * Run the reference and the variant on the same feeds (CPU provider, default options) and compare
 * every output. This runs `session.run()` on the calling thread: a handful of runs, done once per
 * variant before its sweep points, so the stall is short; call it from a worker if that matters.
 */
export async function measureAccuracy(refPath: string, variantPath: string, feeds: Array<Record<string, ort.Tensor>>,
  budget: AccuracyBudget = DEFAULT_ACCURACY_BUDGET): Promise<AccuracyResult> {
  if (feeds.length === 0) throw new Error('measureAccuracy needs at least one feed');
  const ref = await ort.InferenceSession.create(refPath, { executionProviders: ['cpu'] });
  const variant = await ort.InferenceSession.create(variantPath, { executionProviders: ['cpu'] });
  try {
    const acc = new AccuracyAccumulator();
    for (const feed of feeds) acc.add(await ref.run(feed), await variant.run(feed));
    return acc.result(budget);
  } finally {
    await ref.release();
    await variant.release();
  }
}
