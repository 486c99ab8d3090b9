// SessionOptionsSpec (what a sweep point asks for) → onnxruntime-node InferenceSession.SessionOptions.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { ProviderName, SessionOptionsSpec } from '../../common/types.ts';

export interface SessionOptionsInput {
  spec?: SessionOptionsSpec;
  /** intra-op threads of this instance (PointConfig.threadsPerInstance) */
  threads: number;
  provider: ProviderName;
  /** where a profile goes when spec.profile is set: ORT writes `<prefix>_<timestamp>.json` */
  profileFilePrefix?: string;
}

/** onnxruntime-node's names for our providers (one provider, never a fallback list: ORT throws on those). */
export const ORT_PROVIDER_NAMES: Record<ProviderName, string> = {
  cpu: 'cpu', cuda: 'cuda', tensorrt: 'tensorrt', webgpu: 'webgpu', dml: 'dml', coreml: 'coreml',
};

/** A fresh profile prefix under the OS temp dir (one per session, so the file is easy to find). */
export function defaultProfilePrefix(label = 'session'): string {
  const dir = join(tmpdir(), 'kneepoint-profiles');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${label.replace(/[^a-zA-Z0-9_-]/g, '_')}-${process.pid}-${Date.now()}`);
}

/**
 * Map a point's session settings to ORT options. Absent fields keep ORT's defaults. Spinning maps to
 * the session config entries `session.intra_op.allow_spinning` / `session.inter_op.allow_spinning`
 * (values must be strings for the Node binding).
 */
export function toOrtSessionOptions(input: SessionOptionsInput): InferenceSession.SessionOptions {
  const spec = input.spec ?? {};
  const opts: InferenceSession.SessionOptions = {
    executionProviders: [ORT_PROVIDER_NAMES[input.provider]],
    intraOpNumThreads: input.threads,
  };
  if (spec.graphOptimizationLevel) opts.graphOptimizationLevel = spec.graphOptimizationLevel;
  if (spec.executionMode) opts.executionMode = spec.executionMode;
  if (spec.interOpThreads !== undefined) opts.interOpNumThreads = spec.interOpThreads;
  if (spec.memoryArena !== undefined) opts.enableCpuMemArena = spec.memoryArena;
  if (spec.spinning !== undefined) {
    const v = spec.spinning ? '1' : '0';
    opts.extra = { session: { intra_op: { allow_spinning: v }, inter_op: { allow_spinning: v } } };
  }
  if (spec.profile) {
    opts.enableProfiling = true;
    opts.profileFilePrefix = input.profileFilePrefix ?? defaultProfilePrefix();
  }
  return opts;
}

/** The same options as plain JSON, as they are posted to an inference worker. */
export function ortOptionsJson(input: SessionOptionsInput): Record<string, unknown> {
  return { ...toOrtSessionOptions(input) };
}
