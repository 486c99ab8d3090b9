// Accuracy guard for a precision variant inside a sweep: the fp32 model and the variant run on the
// same seeded (or user-supplied) inputs; metrics and the budget check come from accuracy.ts.
import * as ort from 'onnxruntime-node';
import type { SweepSpecResolved } from '../../common/schemas.ts';
import type { AccuracyResult, InputPin, ModelInfo, TensorInfo } from '../../common/types.ts';
import { planInputs, synthesize } from './inputs.ts';
import { measureAccuracy } from './accuracy.ts';

/** Feeds at batch 1 (or the smallest swept batch) for `count` seeds. */
export async function accuracyFeeds(model: ModelInfo, pins: InputPin[], batch: number, count: number, seed: number): Promise<Record<string, ort.Tensor>[]> {
  const inputs: TensorInfo[] = model.inputs;
  const plan = planInputs(inputs, pins, batch, model.batchDims);
  return Array.from({ length: count }, (_, i) => Object.fromEntries(plan.map((p) =>
    [p.name, new ort.Tensor(p.type as 'float32', synthesize(p, seed * 131 + i * 7 + 3) as Float32Array, p.shape)])));
}

export async function measureAccuracyForSweep(model: ModelInfo, variantPath: string, pins: InputPin[], spec: SweepSpecResolved): Promise<AccuracyResult> {
  const feeds = await accuracyFeeds(model, pins, Math.min(...spec.batch), 4, spec.method.seed);
  return measureAccuracy(model.path, variantPath, feeds, spec.accuracyBudget);
}
