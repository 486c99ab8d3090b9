// Triton's model configuration message (tritonModelConfigProto.ts) and a strict
// parser of config.pbtxt text against it: unknown fields, wrong types and unknown enum names fail.
// protobufjs reads the .proto (@bufbuild/protobuf has no .proto compiler); its descriptor is handed
// to @bufbuild/protobuf, whose text-format parser does the checking.
import protobuf from 'protobufjs';
import descriptorExt from 'protobufjs/ext/descriptor/index.js';
import { createFileRegistry, fromBinary, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { fromText } from '@bufbuild/protobuf/txtpb';
import { TRITON_MODEL_CONFIG_PROTO } from './tritonModelConfigProto.ts';


interface DescriptorMessage { name: string; field?: Array<{ typeName?: string }>; nestedType?: DescriptorMessage[] }

let cached: DescMessage | null = null;

/** protobufjs leaves some type names relative (map entries, same-scope types); the registry wants them absolute. */
function qualify(root: protobuf.Root, scope: string[], m: DescriptorMessage): void {
  const here = [...scope, m.name];
  for (const f of m.field ?? []) {
    if (!f.typeName || f.typeName.startsWith('.')) continue;
    const name = f.typeName;
    if ((m.nestedType ?? []).some((n) => n.name === name)) { f.typeName = `.${[...here, name].join('.')}`; continue; }
    for (let i = here.length; i >= 0; i--) {
      const candidate = [...here.slice(0, i), name].join('.');
      if (root.lookup(candidate)) { f.typeName = `.${candidate}`; break; }
    }
  }
  for (const n of m.nestedType ?? []) qualify(root, here, n);
}

export function tritonModelConfigDesc(): DescMessage {
  if (cached) return cached;
  const root = protobuf.parse(TRITON_MODEL_CONFIG_PROTO, { keepCase: true }).root;
  root.resolveAll();
  const set = (root as unknown as { toDescriptor(syntax: string): { file: Array<{ package?: string; messageType?: DescriptorMessage[] }> } }).toDescriptor('proto3');
  for (const file of set.file) for (const m of file.messageType ?? []) qualify(root, file.package ? [file.package] : [], m);
  const bytes = (descriptorExt as unknown as { FileDescriptorSet: { encode(m: unknown): { finish(): Uint8Array } } }).FileDescriptorSet.encode(set).finish();
  const desc = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes)).getMessage('inference.ModelConfig');
  if (!desc) throw new Error('inference.ModelConfig missing from tritonModelConfig.proto');
  cached = desc;
  return desc;
}

/** Parse config.pbtxt strictly; the message as plain JSON-able data (int64 as strings). */
export function parseTritonConfig(text: string): Record<string, unknown> {
  const msg = fromText(tritonModelConfigDesc(), text);
  return JSON.parse(JSON.stringify(msg, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
}
