// Triton Inference Server model configuration (config.pbtxt, ONNX Runtime backend) for a plan.
import { invalidInput } from '../../common/errors.ts';
import type { TensorInfo } from '../../common/types.ts';
import type { DeployFile } from '../../common/deployTypes.ts';
import type { DeploySizing, Sourced } from './deploySizing.ts';

const DATA_TYPES: Record<string, string> = {
  float32: 'TYPE_FP32', float: 'TYPE_FP32', float16: 'TYPE_FP16', bfloat16: 'TYPE_BF16', float64: 'TYPE_FP64', double: 'TYPE_FP64',
  int8: 'TYPE_INT8', int16: 'TYPE_INT16', int32: 'TYPE_INT32', int64: 'TYPE_INT64',
  uint8: 'TYPE_UINT8', uint16: 'TYPE_UINT16', uint32: 'TYPE_UINT32', uint64: 'TYPE_UINT64', bool: 'TYPE_BOOL', string: 'TYPE_STRING',
};

const quote = (s: string) => JSON.stringify(s);
const comment = (why: string) => `  # ${why.replace(/\s+/g, ' ')}`;

/** Per-tensor dims as Triton wants them: the batch dim dropped when batching, dynamic dims as -1. */
function dims(t: TensorInfo, batchDim: number | null | undefined, batching: boolean): number[] {
  const shape = t.shape.filter((_d, i) => !(batching && i === (batchDim ?? 0)));
  return shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1));
}

function tensorBlock(kind: 'input' | 'output', tensors: TensorInfo[], batchDims: Record<string, number | null>, batching: boolean, notes: string[]): string[] {
  if (!tensors.length) return [];
  const lines = [`${kind} [`];
  tensors.forEach((t, i) => {
    const dt = DATA_TYPES[t.type];
    if (!dt) throw invalidInput(`${kind} "${t.name}" has element type ${t.type}, which Triton has no data type for`);
    const d = dims(t, kind === 'input' ? batchDims[t.name] : 0, batching);
    if (d.length === 0) notes.push(`${kind} ${t.name} is a scalar per request: Triton wants dims [ 1 ] and a reshape { shape: [ ] }`);
    const dText = d.length ? d.join(', ') : '1';
    const reshape = d.length ? '' : ' reshape { shape: [ ] }';
    lines.push(`  { name: ${quote(t.name)} data_type: ${dt} dims: [ ${dText} ]${reshape} }${i < tensors.length - 1 ? ',' : ''}${comment(`from the model's inspection: ${t.type} [${t.shape.map((x) => x ?? '?').join(', ')}]`)}`);
  });
  lines.push(']');
  return lines;
}

export function tritonConfig(s: DeploySizing): { files: DeployFile[]; notes: string[]; values: Record<string, Sourced<number | string>> } {
  if (s.mode === 'batch') throw invalidInput(`plan ${s.planId} is a scheduled batch: it runs as a job, not a model server. Export it with --format k8s (a CronJob)`);
  const notes: string[] = [];
  const rt = s.realtime;
  const d = s.deferred;
  const sized = rt ?? d;
  if (!sized) throw invalidInput(`plan ${s.planId} (${s.mode}/${s.variant}) has no server to configure: a serverless plan runs on your function provider`);
  const inputsBatchable = s.model.inputs.every((t) => (s.model.batchDims[t.name] ?? 0) === 0 && t.shape.length > 0);
  const wantBatch = rt ? rt.maxBatch : d!.batch;
  const batching = s.model.dynamicBatch && inputsBatchable;
  if (!batching) notes.push(`the model's inputs do not all lead with a batch dim: max_batch_size 0 (no dynamic batching); batch ${wantBatch.value} of the plan cannot be formed by Triton`);
  const maxBatch: Sourced<number> = batching ? wantBatch : { value: 0, why: 'the model has an input without a leading batch dim' };
  const kind = s.provider === 'cpu' ? 'KIND_CPU' : 'KIND_GPU';
  const lines = [
    ...s.provenance.map((l) => `# ${l}`),
    ...s.notes.map((n) => `# note: ${n}`),
    `name: ${quote(s.model.id)}`,
    'backend: "onnxruntime"',
    `default_model_filename: ${quote(s.model.fileName)}${comment(`${s.precision} file of ${s.model.id} (sha256 ${s.model.sha256.slice(0, 16)}…)`)}`,
    `max_batch_size: ${maxBatch.value}${comment(maxBatch.why)}`,
    ...tensorBlock('input', s.model.inputs, s.model.batchDims, batching, notes),
    ...tensorBlock('output', s.model.outputs, {}, batching, notes),
    'instance_group [',
    `  { count: ${sized.instances.value} kind: ${kind} }${comment(`${sized.instances.why}; provider ${s.provider}`)}`,
    ']',
  ];
  const values: Record<string, Sourced<number | string>> = { max_batch_size: maxBatch, 'instance_group.count': sized.instances, intra_op_thread_count: sized.threadsPerInstance };
  if (batching && rt) {
    lines.push(
      'dynamic_batching {',
      `  preferred_batch_size: [ ${rt.maxBatch.value} ]${comment(rt.maxBatch.why)}`,
      `  max_queue_delay_microseconds: ${rt.maxQueueDelayUs.value}${comment(rt.maxQueueDelayUs.why)}`,
      '  default_queue_policy {',
      `    max_queue_size: ${rt.maxQueueSize.value}${comment(rt.maxQueueSize.why)}`,
      '    timeout_action: REJECT',
      `    default_timeout_microseconds: ${rt.queueTimeoutUs.value}${comment(rt.queueTimeoutUs.why)}`,
      '  }',
      '}',
    );
    Object.assign(values, { preferred_batch_size: rt.maxBatch, max_queue_delay_microseconds: rt.maxQueueDelayUs, max_queue_size: rt.maxQueueSize, default_timeout_microseconds: rt.queueTimeoutUs });
  } else if (batching && d) {
    lines.push('dynamic_batching {', `  preferred_batch_size: [ ${d.batch.value} ]${comment(d.batch.why)}`, '}');
    Object.assign(values, { preferred_batch_size: d.batch });
  }
  lines.push(
    'parameters [',
    `  { key: "intra_op_thread_count" value: { string_value: ${quote(String(sized.threadsPerInstance.value))} } }${comment(sized.threadsPerInstance.why)}`,
    ']',
  );
  return { files: [{ name: `${s.model.id}/config.pbtxt`, text: lines.join('\n') + '\n' }], notes, values };
}
