// Before a sweep creates its run: load the model once and feed it once at the smallest batch, so a
// bad file or inputs the model rejects become one clear error instead of a run of failed points.
import type { InputPin, ModelInfo } from '../../common/types.ts';
import { invalidInput } from '../../common/errors.ts';
import { InstancePool } from './instancePool.ts';
import { ortOptionsJson } from './sessionOptions.ts';

export async function preflight(model: ModelInfo, pins: InputPin[], batch: number): Promise<void> {
  const pool = new InstancePool({ modelPath: model.path, instances: 1, sessionOptions: ortOptionsJson({ threads: 1, provider: 'cpu' }), seed: 1 });
  try {
    try {
      await pool.init();
    } catch (e) {
      throw invalidInput(`${model.path}: onnxruntime cannot load this model: ${(e as Error).message.trim()}. ` +
        'Check that it is a complete ONNX file whose operators your onnxruntime version supports (re-export with a lower opset if needed).');
    }
    try {
      await pool.prepare(batch, pins, 1, model.batchDims);
    } catch (e) {
      throw invalidInput(`${model.id}: the model rejected its inputs at batch ${batch}: ${(e as Error).message.trim()}`);
    }
  } finally {
    await pool.close();
  }
}
