// Engine-side entry for building onnxruntime-node SessionOptions for a point.
// Delegates to sessionOptions.ts (the mapping of every option) once it exists; plain JSON so it can
// be posted to a worker.
import type { ProviderName, SessionOptionsSpec } from '../../common/types.ts';

export function ortSessionOptions(a: { threads: number; provider: ProviderName; options?: SessionOptionsSpec; profilePrefix?: string }): Record<string, unknown> {
  const o = a.options ?? {};
  const out: Record<string, unknown> = {
    executionProviders: [a.provider],
    intraOpNumThreads: a.threads,
    interOpNumThreads: o.interOpThreads ?? 1,
    graphOptimizationLevel: o.graphOptimizationLevel ?? 'all',
    executionMode: o.executionMode ?? 'sequential',
    enableCpuMemArena: o.memoryArena ?? true,
  };
  if (o.spinning === false) out.extra = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } };
  if (o.profile && a.profilePrefix) { out.enableProfiling = true; out.profileFilePrefix = a.profilePrefix; }
  return out;
}
