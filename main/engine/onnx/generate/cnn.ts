// Small CNN image classifier: image [N,3,S,S] → stages of (convsPerStage × Conv3x3+Relu, MaxPool 2x2)
// → GlobalAveragePool → Flatten → Gemm → logits [N, classes].
import { DT } from '../dtypes.ts';
import { attrs, SeededGraphBuilder } from './seededGraphBuilder.ts';

export interface CnnParams {
  /** input height = width */
  image: number;
  /** output channels per stage; every stage but the last ends in a 2x2 max-pool */
  channels: number[];
  /** 3x3 convolutions per stage */
  convsPerStage: number;
  classes: number;
}

/** 2 × multiply-accumulates of the Convs and the final Gemm per sample. */
export function cnnFlops(p: CnnParams): number {
  let flops = 0;
  let size = p.image;
  let cin = 3;
  p.channels.forEach((cout, stage) => {
    for (let i = 0; i < p.convsPerStage; i++) {
      flops += 2 * size * size * cout * cin * 9;
      cin = cout;
    }
    if (stage < p.channels.length - 1) size = Math.floor(size / 2);
  });
  return flops + 2 * cin * p.classes;
}

export function buildCnn(p: CnnParams, seed: number): Uint8Array {
  const g = new SeededGraphBuilder(seed);
  let x = g.input('image', DT.FLOAT, ['N', 3, p.image, p.image]);
  let cin = 3;
  let size = p.image;
  p.channels.forEach((cout, stage) => {
    for (let i = 0; i < p.convsPerStage; i++) {
      const w = g.weight(`conv${stage}_${i}_w`, [cout, cin, 3, 3], cin * 9);
      const b = g.bias(`conv${stage}_${i}_b`, cout);
      x = g.op('Relu', [g.op('Conv', [x, w, b], { kernel_shape: attrs.ints([3, 3]), pads: attrs.ints([1, 1, 1, 1]) })]);
      cin = cout;
    }
    if (stage < p.channels.length - 1) {
      x = g.op('MaxPool', [x], { kernel_shape: attrs.ints([2, 2]), strides: attrs.ints([2, 2]) });
      size = Math.floor(size / 2);
    }
  });
  x = g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: attrs.int(1) });
  g.op('Gemm', [x, g.weight('fc_w', [cin, p.classes], cin, 1), g.bias('fc_b', p.classes)]);
  g.renameLastOutput('logits');
  g.output('logits', DT.FLOAT, ['N', p.classes]);
  return g.toBytes({
    graphName: 'cnn_classifier',
    docString: `Generated CNN image classifier: ${p.image}x${p.image} RGB, stages ${p.channels.join('-')} x${p.convsPerStage} convs, ${p.classes} classes (final map ${size}x${size}).`,
    metadata: { family: 'cnn', image: String(p.image), channels: p.channels.join(','), classes: String(p.classes) },
  });
}
