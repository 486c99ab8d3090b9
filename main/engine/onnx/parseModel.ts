// Read an .onnx file into an onnx-buf ModelProto, turning every way a file can be wrong into an
// error a person can act on (missing, empty, not protobuf, truncated, protobuf but not ONNX).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import type { ModelProto } from 'onnx-buf';
import { invalidInput } from '../../common/errors.ts';

export interface LoadedModel {
  model: ModelProto;
  fileBytes: number;
  sha256: string;
}

/** ModelProto field numbers, to name the field a truncated file cuts off. */
const MODEL_FIELDS: Record<number, string> = { 2: 'producer_name', 3: 'producer_version', 4: 'domain', 6: 'doc_string', 7: 'graph', 8: 'opset_import', 14: 'metadata_props', 20: 'training_info', 25: 'functions' };

const REMEDY = 're-export the model or download it again';

/** Load and parse an ONNX file. Throws `invalidInput` with the reason and a remedy on any bad file. */
export async function loadOnnxModel(path: string): Promise<LoadedModel> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw invalidInput(`model file not found: ${path} (check the path, or run \`kneepoint models\` to list built-in model ids)`);
  }
  if (info.isDirectory()) throw invalidInput(`${path} is a directory, not an .onnx model file`);
  if (info.size === 0) throw invalidInput(`${path} is empty (0 bytes): ${REMEDY}`);
  const buf = await readFile(path);
  const sha256 = createHash('sha256').update(buf).digest('hex');
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, buf, { readUnknownFields: false });
  } catch (err) {
    const at = firstWireError(buf);
    const where = at ? ` at byte ${at.offset} of ${buf.length}: ${at.reason}` : `: ${(err as Error).message}`;
    throw invalidInput(`${path} is not a valid ONNX model (protobuf parse failed${where}); ${REMEDY}`);
  }
  if (!model.graph || model.irVersion === 0n) {
    const what = !model.graph ? 'it has no graph' : 'it has no ir_version';
    throw invalidInput(`${path} is not a valid ONNX model (${what}; it may be another protobuf file or random bytes); ${REMEDY}`);
  }
  if (model.graph.node.length === 0 && model.graph.output.length === 0) {
    throw invalidInput(`${path} is not a usable ONNX model (its graph has no nodes and no outputs); ${REMEDY}`);
  }
  return { model, fileBytes: buf.length, sha256 };
}

/**
 * Walk the top-level protobuf fields and report where the wire format first breaks, so a
 * truncated download says "at byte N" instead of a bare "premature EOF".
 */
export function firstWireError(buf: Uint8Array): { offset: number; reason: string } | null {
  let pos = 0;
  const varint = (): number | null => {
    let result = 0;
    let shift = 0;
    while (pos < buf.length && shift < 64) {
      const b = buf[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
    return null;
  };
  while (pos < buf.length) {
    const start = pos;
    const tag = varint();
    if (tag === null) return { offset: start, reason: 'field tag runs past the end of the file' };
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) return { offset: start, reason: 'field number 0 is not allowed' };
    switch (wire) {
      case 0:
        if (varint() === null) return { offset: start, reason: `varint field ${field} runs past the end of the file` };
        break;
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2: {
        const len = varint();
        if (len === null || pos + len > buf.length) {
          const name = MODEL_FIELDS[field] ? `the ${MODEL_FIELDS[field]} field` : `field ${field}`;
          const need = len === null ? '' : `, so the file should be at least ${pos + len} bytes long`;
          return {
            offset: buf.length,
            reason: `${name} starting at byte ${start} declares ${len ?? '?'} bytes${need} (truncated download or copy?)`,
          };
        }
        pos += len;
        break;
      }
      default:
        return { offset: start, reason: `invalid wire type ${wire} for field ${field}` };
    }
    if (pos > buf.length) return { offset: start, reason: `field ${field} runs past the end of the file (file truncated?)` };
  }
  return null;
}
