// What the measurement code needs from the engine: the store, this machine, and the resolvers for
// models, providers, precision variants and accuracy. One object, built once per engine.
import type { Store } from './store/store.ts';
import type { SweepSpecResolved } from '../common/schemas.ts';
import type { AccuracyResult, HardwareInfo, InputPin, ModelInfo, Precision, ProviderAvailability, ProviderName } from '../common/types.ts';

export interface EngineContext {
  store: Store;
  hardware: HardwareInfo;
  versions: { node: string; onnxruntime: string; kneepoint: string };
  dataDir: string;
  /** catalog id, user model id, or a path to an .onnx file (inspected; bad files throw invalidInput) */
  resolveModel(idOrPath: string): Promise<ModelInfo>;
  providerAvailability(name: ProviderName): Promise<ProviderAvailability>;
  variant(model: ModelInfo, precision: Precision): Promise<{ path: string; bytes: number; sha256: string }>;
  accuracy(model: ModelInfo, variantPath: string, pins: InputPin[], spec: SweepSpecResolved): Promise<AccuracyResult | undefined>;
}
