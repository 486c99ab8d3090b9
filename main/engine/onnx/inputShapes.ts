// Which dim of each input is the batch, and concrete input shapes for a given batch size and pins.
// Pure: works on TensorInfo (the shapes as the file declares them) and InputPin (what the user fixed).
import type { InputPin, TensorInfo } from '../../common/types.ts';
import { invalidInput } from '../../common/errors.ts';

export interface BatchLayout {
  /** index of the batch dim per input (null for inputs without one, e.g. Silero's `sr` scalar) */
  batchDims: Record<string, number | null>;
  /** true when at least one input has a dynamic batch dim */
  dynamicBatch: boolean;
  /** the named dim that means "batch" (e.g. 'batch', 'N', 'p2o.DynamicDimension.0'), if named */
  batchSymbol: string | null;
}

/**
 * Find the batch dim: the dynamic dim that leads the inputs (the most common named dim-0 symbol,
 * wherever else it appears, e.g. Silero's h/c state [2, batch, 64]), or an unnamed dynamic dim 0.
 * Without a dynamic one, a fixed leading 1 on a rank ≥ 2 input counts as a (fixed) batch dim.
 */
export function detectBatchLayout(inputs: TensorInfo[]): BatchLayout {
  const counts = new Map<string, number>();
  for (const t of inputs) {
    const d0 = t.shape[0];
    if (typeof d0 === 'string') counts.set(d0, (counts.get(d0) ?? 0) + 1);
  }
  let batchSymbol: string | null = null;
  let best = 0;
  for (const [sym, n] of counts) if (n > best) [batchSymbol, best] = [sym, n];
  const batchDims: Record<string, number | null> = {};
  let dynamicBatch = false;
  for (const t of inputs) {
    let dim: number | null = null;
    if (batchSymbol !== null && t.shape.includes(batchSymbol)) dim = t.shape.indexOf(batchSymbol);
    else if (t.shape.length > 0 && t.shape[0] === null) dim = 0;
    if (dim !== null) dynamicBatch = true;
    batchDims[t.name] = dim;
  }
  if (!dynamicBatch) {
    for (const t of inputs) batchDims[t.name] = t.shape.length >= 2 && t.shape[0] === 1 ? 0 : null;
  }
  return { batchDims, dynamicBatch, batchSymbol };
}

const isBatchMarker = (d: number | string) => d === -1 || typeof d === 'string';

/**
 * Concrete shape per input for `batch` samples: pinned shapes first ('N' / -1 / any name = batch),
 * then the declared shape with the batch dim set and other named dims bound from pinned inputs that
 * share the name. An input with a dynamic dim nobody pinned gets null.
 * Throws `invalidInput` when a pin names an input the model does not have or has the wrong rank.
 */
export function concreteInputShapes(
  inputs: TensorInfo[],
  layout: BatchLayout,
  pins: InputPin[] = [],
  batch = 1,
): Map<string, number[] | null> {
  const names = inputs.map((t) => t.name);
  for (const pin of pins) {
    if (!names.includes(pin.name)) {
      throw invalidInput(`input pin "${pin.name}" does not match any model input (inputs: ${names.join(', ')})`);
    }
  }
  const bound = new Map<string, number>();
  if (layout.batchSymbol) bound.set(layout.batchSymbol, batch);
  const out = new Map<string, number[] | null>();
  for (const t of inputs) {
    const pin = pins.find((p) => p.name === t.name);
    if (!pin?.shape) continue;
    if (pin.shape.length !== t.shape.length) {
      throw invalidInput(
        `pinned shape [${pin.shape.join(',')}] for input "${t.name}" has rank ${pin.shape.length}, ` +
          `but the model declares [${t.shape.map((d) => d ?? '?').join(',')}] (rank ${t.shape.length})`,
      );
    }
    const shape = pin.shape.map((d) => (isBatchMarker(d) ? batch : Number(d)));
    t.shape.forEach((d, i) => {
      if (typeof d === 'string' && !bound.has(d)) bound.set(d, shape[i]);
    });
    out.set(t.name, shape);
  }
  for (const t of inputs) {
    if (out.has(t.name)) continue;
    const bd = layout.batchDims[t.name];
    const shape: number[] = [];
    let ok = true;
    t.shape.forEach((d, i) => {
      if (i === bd && (d === null || typeof d === 'string')) shape.push(batch);
      else if (typeof d === 'number') shape.push(d);
      else if (typeof d === 'string' && bound.has(d)) shape.push(bound.get(d)!);
      else ok = false;
    });
    out.set(t.name, ok ? shape : null);
  }
  return out;
}
