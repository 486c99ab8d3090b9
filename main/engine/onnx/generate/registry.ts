// The generated model families and the sizes Kneepoint ships, from tiny (overhead-dominated) to
// "tens of ms per sample" on a laptop core. Every entry is a pure recipe: family + parameters +
// seed; the bytes are a deterministic function of it (see recipeHash).
import { createHash } from 'node:crypto';
import type { InputPin } from '../../../common/types.ts';
import { buildCnn, cnnFlops, type CnnParams } from './cnn.ts';
import { buildMlp, mlpFlops, type MlpParams } from './mlp.ts';
import { buildTransformer, transformerFlops, type TransformerParams } from './transformer.ts';

/** Bump when a builder changes the bytes it writes, so stale files are regenerated. */
export const GENERATOR_VERSION = 1;

export type GeneratedRecipe =
  | { family: 'mlp'; params: MlpParams }
  | { family: 'cnn'; params: CnnParams }
  | { family: 'transformer'; params: TransformerParams };

export interface GeneratedModelSpec {
  id: string;
  name: string;
  description: string;
  seed: number;
  recipe: GeneratedRecipe;
  defaultPins: InputPin[];
}

const bert = (id: string, name: string, params: TransformerParams, description: string): GeneratedModelSpec => ({
  id,
  name,
  description,
  seed: 42,
  recipe: { family: 'transformer', params },
  // token ids must index the embedding table
  defaultPins: [{ name: 'input_ids', range: [0, params.vocab - 1] }],
});

export const GENERATED_MODELS: readonly GeneratedModelSpec[] = [
  {
    id: 'mlp-tiny',
    name: 'MLP ranker (tiny)',
    description: 'Two hidden layers of 64 over 32 features: per-call overhead dominates.',
    seed: 42,
    recipe: { family: 'mlp', params: { width: 64, depth: 2, features: 32 } },
    defaultPins: [],
  },
  {
    id: 'mlp-small',
    name: 'MLP ranker (small)',
    description: 'Four hidden layers of 256 over 64 features: a typical recommender scoring tower.',
    seed: 42,
    recipe: { family: 'mlp', params: { width: 256, depth: 4, features: 64 } },
    defaultPins: [],
  },
  {
    id: 'mlp-large',
    name: 'MLP ranker (large)',
    description: 'Four hidden layers of 1024 over 256 features: MatMul-bound, gains a lot from batching.',
    seed: 42,
    recipe: { family: 'mlp', params: { width: 1024, depth: 4, features: 256 } },
    defaultPins: [],
  },
  {
    id: 'cnn-small',
    name: 'CNN image classifier (small)',
    description: '32x32 RGB, three conv stages (16-32-64), 10 classes (CIFAR-sized).',
    seed: 42,
    recipe: { family: 'cnn', params: { image: 32, channels: [16, 32, 64], convsPerStage: 1, classes: 10 } },
    defaultPins: [],
  },
  {
    id: 'cnn-medium',
    name: 'CNN image classifier (medium)',
    description: '128x128 RGB, four stages (32-64-128-256) of two 3x3 convs, 100 classes.',
    seed: 42,
    recipe: { family: 'cnn', params: { image: 128, channels: [32, 64, 128, 256], convsPerStage: 2, classes: 100 } },
    defaultPins: [],
  },
  {
    id: 'cnn-large',
    name: 'CNN image classifier (large)',
    description: '224x224 RGB (ImageNet-sized), four stages (32-64-128-256) of two 3x3 convs, 1000 classes.',
    seed: 42,
    recipe: { family: 'cnn', params: { image: 224, channels: [32, 64, 128, 256], convsPerStage: 2, classes: 1000 } },
    defaultPins: [],
  },
  bert(
    'bert-tiny',
    'Transformer text classifier (tiny)',
    { layers: 2, hidden: 128, heads: 2, seq: 64, vocab: 4096, ffn: 512, classes: 2 },
    'BERT-like encoder: 2 layers, hidden 128, 2 heads, 64 tokens, vocabulary 4096.',
  ),
  bert(
    'bert-small',
    'Transformer text classifier (small)',
    { layers: 4, hidden: 256, heads: 4, seq: 128, vocab: 8192, ffn: 1024, classes: 2 },
    'BERT-like encoder: 4 layers, hidden 256, 4 heads, 128 tokens, vocabulary 8192.',
  ),
  bert(
    'bert-medium',
    'Transformer text classifier (medium)',
    { layers: 6, hidden: 256, heads: 4, seq: 256, vocab: 4096, ffn: 1024, classes: 2 },
    'BERT-like encoder: 6 layers, hidden 256, 4 heads, 256 tokens, vocabulary 4096: tens of ms per sample.',
  ),
];

/** e.g. `generated:mlp(width=256,depth=4,features=64)` */
export function recipeSource(spec: GeneratedModelSpec): string {
  const args = Object.entries(spec.recipe.params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('-') : v}`)
    .join(',');
  return `generated:${spec.recipe.family}(${args})`;
}

/** FLOPs per sample from the family's closed form (what inspection must reproduce). */
export function analyticFlops(spec: GeneratedModelSpec): number {
  const r = spec.recipe;
  if (r.family === 'mlp') return mlpFlops(r.params);
  if (r.family === 'cnn') return cnnFlops(r.params);
  return transformerFlops(r.params);
}

export function buildGenerated(spec: GeneratedModelSpec): Uint8Array {
  const r = spec.recipe;
  if (r.family === 'mlp') return buildMlp(r.params, spec.seed);
  if (r.family === 'cnn') return buildCnn(r.params, spec.seed);
  return buildTransformer(r.params, spec.seed);
}

/** Hash of everything that determines the bytes: family, params, seed, generator version. */
export function recipeHash(spec: GeneratedModelSpec): string {
  const key = JSON.stringify({ v: GENERATOR_VERSION, family: spec.recipe.family, params: spec.recipe.params, seed: spec.seed });
  return createHash('sha256').update(key).digest('hex');
}

export function findGenerated(id: string): GeneratedModelSpec | undefined {
  return GENERATED_MODELS.find((m) => m.id === id);
}
