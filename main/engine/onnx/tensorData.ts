// Read and rewrite the numeric payload of ONNX TensorProtos (raw little-endian or typed fields).
import type { TensorProto } from 'onnx-buf';
import { invalidInput } from '../../common/errors.ts';
import { float32ArrayToFloat16Bits } from './float16.ts';
import { ELEM, float16BitsTensor } from './protoBuild.ts';

export function tensorShape(t: TensorProto): number[] {
  return t.dims.map(Number);
}

export function tensorElementCount(t: TensorProto): number {
  return t.dims.reduce((a, d) => a * Number(d), 1);
}

function assertInline(t: TensorProto): void {
  if (t.externalData.length > 0 || t.dataLocation === 1) {
    throw invalidInput(`tensor "${t.name}" keeps its data in an external file; precision transforms need a self-contained .onnx (re-save it with all tensors inline)`);
  }
}

/** Values of a FLOAT (float32) tensor. */
export function readFloat32(t: TensorProto): Float32Array {
  assertInline(t);
  if (t.dataType !== ELEM.FLOAT) throw new Error(`tensor "${t.name}" is not float32 (data type ${t.dataType})`);
  if (t.rawData.byteLength > 0) {
    const copy = new Uint8Array(t.rawData.byteLength);
    copy.set(t.rawData);
    return new Float32Array(copy.buffer);
  }
  return Float32Array.from(t.floatData);
}

/** A float16 copy of a float32 tensor (same name and dims), stored as raw data. */
export function toFloat16Tensor(t: TensorProto, name = t.name): TensorProto {
  return float16BitsTensor(name, tensorShape(t), float32ArrayToFloat16Bits(readFloat32(t)));
}

export function isFloat32(t: TensorProto | undefined): t is TensorProto {
  return t !== undefined && t.dataType === ELEM.FLOAT;
}
