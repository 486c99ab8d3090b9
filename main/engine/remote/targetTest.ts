// `targets test`: what a target has, without refusing a version mismatch (that is what it reports).
import type { HardwareInfo, ProviderAvailability } from '../../common/types.ts';
import { openAgent, versionMismatch } from './agentSession.ts';
import type { Target } from './ssh.ts';

export interface TargetTestResult {
  ok: boolean;
  target: string;
  kneepointVersion: string | null;
  node: string | null;
  onnxruntime?: string;
  hardware: HardwareInfo | null;
  providers: ProviderAvailability[] | null;
  /** why it is not ok, and what to do */
  error?: string;
}

export async function testTarget(t: Target, localVersion: string): Promise<TargetTestResult> {
  try {
    const s = await openAgent(t, localVersion, { allowVersionMismatch: true });
    try {
      const v = s.info.versions;
      const mismatch = versionMismatch(t, v.kneepoint, localVersion);
      return {
        ok: !mismatch, target: t.name, kneepointVersion: v.kneepoint ?? null, node: v.node, onnxruntime: v.onnxruntime,
        hardware: s.info.hardware, providers: s.info.providers, ...(mismatch ? { error: mismatch.message } : {}),
      };
    } finally {
      await s.close();
    }
  } catch (e) {
    return { ok: false, target: t.name, kneepointVersion: null, node: null, hardware: null, providers: null, error: (e as Error).message };
  }
}
