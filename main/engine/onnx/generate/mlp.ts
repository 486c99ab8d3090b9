// MLP ranker/recommender: features [N, F] → depth × (Gemm + Relu) of `width` → Gemm → score [N, 1].
import { DT } from '../dtypes.ts';
import { SeededGraphBuilder } from './seededGraphBuilder.ts';

export interface MlpParams {
  /** hidden width */
  width: number;
  /** number of hidden layers */
  depth: number;
  /** input feature count */
  features: number;
}

/** 2 × multiply-accumulates of the Gemms per sample (bias adds and Relu not counted). */
export function mlpFlops(p: MlpParams): number {
  return 2 * (p.features * p.width + (p.depth - 1) * p.width * p.width + p.width * 1);
}

export function mlpParamCount(p: MlpParams): number {
  return p.features * p.width + p.width + (p.depth - 1) * (p.width * p.width + p.width) + p.width + 1;
}

export function buildMlp(p: MlpParams, seed: number): Uint8Array {
  const g = new SeededGraphBuilder(seed);
  let x = g.input('features', DT.FLOAT, ['N', p.features]);
  let fanIn = p.features;
  for (let i = 0; i < p.depth; i++) {
    const w = g.weight(`dense${i}_w`, [fanIn, p.width], fanIn);
    const b = g.bias(`dense${i}_b`, p.width);
    x = g.op('Relu', [g.op('Gemm', [x, w, b])]);
    fanIn = p.width;
  }
  const w = g.weight('head_w', [fanIn, 1], fanIn, 1);
  const b = g.bias('head_b', 1);
  g.op('Gemm', [x, w, b]);
  g.renameLastOutput('score');
  g.output('score', DT.FLOAT, ['N', 1]);
  return g.toBytes({
    graphName: 'mlp_ranker',
    docString: `Generated MLP ranker: ${p.features} features, ${p.depth} hidden layers of ${p.width}, one score per sample.`,
    metadata: { family: 'mlp', width: String(p.width), depth: String(p.depth), features: String(p.features) },
  });
}
