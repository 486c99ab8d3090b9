// Transformer-encoder text classifier (BERT-like, post-LN): input_ids int64 [N, seq] → token +
// position embeddings → layers × (multi-head self-attention, FFN with erf-GELU) → first-token
// pooling → Gemm → logits [N, classes]. No attention mask: every sequence is full length.
import { DT } from '../dtypes.ts';
import { attrs, SeededGraphBuilder } from './seededGraphBuilder.ts';

export interface TransformerParams {
  layers: number;
  hidden: number;
  heads: number;
  /** sequence length (fixed in the graph: the position table has this many rows) */
  seq: number;
  vocab: number;
  /** feed-forward inner size (BERT uses 4 × hidden) */
  ffn: number;
  classes: number;
}

/**
 * 2 × multiply-accumulates per sample: per layer Q/K/V/output projections (4·S·H²), attention
 * scores Q·Kᵀ and P·V (2·S²·H), FFN (2·S·H·F); plus the classifier (H·C).
 */
export function transformerFlops(p: TransformerParams): number {
  const { seq: s, hidden: h, ffn: f } = p;
  const perLayer = 4 * s * h * h + 2 * s * s * h + 2 * s * h * f;
  return 2 * (p.layers * perLayer + h * p.classes);
}

export function buildTransformer(p: TransformerParams, seed: number): Uint8Array {
  if (p.hidden % p.heads !== 0) throw new Error(`hidden (${p.hidden}) must be a multiple of heads (${p.heads})`);
  const headDim = p.hidden / p.heads;
  const g = new SeededGraphBuilder(seed);
  const ids = g.input('input_ids', DT.INT64, ['N', p.seq]);
  const layerNorm = (x: string, name: string) =>
    g.op('LayerNormalization', [x, g.filled(`${name}_gamma`, [p.hidden], 1), g.filled(`${name}_beta`, [p.hidden], 0)], {
      axis: attrs.int(-1),
      epsilon: attrs.float(1e-5),
    });
  const dense = (x: string, fanIn: number, fanOut: number, name: string) =>
    g.op('Add', [g.op('MatMul', [x, g.weight(`${name}_w`, [fanIn, fanOut], fanIn, 1)]), g.bias(`${name}_b`, fanOut)]);

  const tokens = g.op('Gather', [g.weight('token_embedding', [p.vocab, p.hidden], 1, 0.02), ids], { axis: attrs.int(0) });
  let x = layerNorm(g.op('Add', [tokens, g.weight('position_embedding', [p.seq, p.hidden], 1, 0.02)]), 'embed_ln');

  const splitHeads = g.int64('split_heads_shape', [0, 0, p.heads, headDim]);
  const mergeHeads = g.int64('merge_heads_shape', [0, 0, p.hidden]);
  const scale = g.scalarFloat('attention_scale', 1 / Math.sqrt(headDim));
  const half = g.scalarFloat('half', 0.5);
  const one = g.scalarFloat('one', 1);
  const sqrt2 = g.scalarFloat('sqrt2', Math.SQRT2);

  for (let l = 0; l < p.layers; l++) {
    const heads = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, splitHeads])], { perm: attrs.ints(perm) });
    const q = heads(dense(x, p.hidden, p.hidden, `l${l}_q`), [0, 2, 1, 3]); // [N,h,S,d]
    const k = heads(dense(x, p.hidden, p.hidden, `l${l}_k`), [0, 2, 3, 1]); // [N,h,d,S]
    const v = heads(dense(x, p.hidden, p.hidden, `l${l}_v`), [0, 2, 1, 3]); // [N,h,S,d]
    const probs = g.op('Softmax', [g.op('Mul', [g.op('MatMul', [q, k]), scale])], { axis: attrs.int(-1) });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: attrs.ints([0, 2, 1, 3]) }), mergeHeads]);
    x = layerNorm(g.op('Add', [x, dense(ctx, p.hidden, p.hidden, `l${l}_o`)]), `l${l}_attn_ln`);
    const inner = dense(x, p.hidden, p.ffn, `l${l}_ffn1`);
    const gelu = g.op('Mul', [g.op('Mul', [inner, half]), g.op('Add', [one, g.op('Erf', [g.op('Div', [inner, sqrt2])])])]);
    x = layerNorm(g.op('Add', [x, dense(gelu, p.ffn, p.hidden, `l${l}_ffn2`)]), `l${l}_ffn_ln`);
  }
  const pooled = g.op('Gather', [x, g.int64('cls_index', [0], [])], { axis: attrs.int(1) }); // [N,H]
  g.op('Gemm', [pooled, g.weight('classifier_w', [p.hidden, p.classes], p.hidden, 1), g.bias('classifier_b', p.classes)]);
  g.renameLastOutput('logits');
  g.output('logits', DT.FLOAT, ['N', p.classes]);
  return g.toBytes({
    graphName: 'transformer_text_classifier',
    docString: `Generated transformer-encoder text classifier: ${p.layers} layers, hidden ${p.hidden}, ${p.heads} heads, seq ${p.seq}, vocab ${p.vocab}, ${p.classes} classes.`,
    metadata: { family: 'transformer', layers: String(p.layers), hidden: String(p.hidden), heads: String(p.heads), seq: String(p.seq), vocab: String(p.vocab) },
  });
}
