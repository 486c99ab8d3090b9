// Whether onnxruntime can load a model at all. Reading the file (inspect) cannot tell: an operator
// outside every registry parses fine and counts 0 FLOPs. Creating a CPU session is the test; its
// error names the operator, which is reported with its domain.
import * as ort from 'onnxruntime-node';
import { createRequire } from 'node:module';
import { invalidInput } from '../../common/errors.ts';

export interface LoadProblem {
  /** onnxruntime's own words, first line */
  detail: string;
  /** the operator it has no implementation for, when it says which */
  op?: { name: string; domain: string };
}

const cache = new Map<string, Promise<LoadProblem | undefined>>();
const require = createRequire(import.meta.url);
const ortVersion = (): string => (require('onnxruntime-node/package.json') as { version: string }).version;

/** The operator named in onnxruntime's load error, its domain from the model's own nodes when it can be matched. */
export function unknownOpFromError(message: string, opDomains: ReadonlyMap<string, string>): LoadProblem['op'] {
  const registered = /([\w.]*):(\w+)\(-?\d+\) is not a registered function\/op/.exec(message);
  if (registered) return { name: registered[2], domain: registered[1] || 'ai.onnx' };
  const noOp = /No Op registered for (\w+) with domain_version/.exec(message)
    ?? /Could not find an implementation for (\w+)\(/.exec(message);
  if (noOp) return { name: noOp[1], domain: opDomains.get(noOp[1]) ?? 'ai.onnx' };
  return undefined;
}

/** `opHistogram` keys are `op` (default domain) or `domain.op`. */
function domainsOf(opHistogram: Record<string, number> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of Object.keys(opHistogram ?? {})) {
    const dot = key.lastIndexOf('.');
    if (dot < 0) out.set(key, 'ai.onnx'); else out.set(key.slice(dot + 1), key.slice(0, dot));
  }
  return out;
}

/** Tries a CPU session (no graph optimization, one thread); undefined when it loads. Cached per sha256. */
export function loadProblem(path: string, sha256: string, opHistogram?: Record<string, number>): Promise<LoadProblem | undefined> {
  let hit = cache.get(sha256);
  if (!hit) {
    hit = (async () => {
      try {
        const session = await ort.InferenceSession.create(path, {
          executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', intraOpNumThreads: 1, interOpNumThreads: 1,
        });
        await session.release();
        return undefined;
      } catch (err) {
        const message = (err as Error).message ?? String(err);
        const detail = message.replace(/^Load model from \S+ failed:\s*/, '').split('\n')[0].trim();
        const op = unknownOpFromError(message, domainsOf(opHistogram));
        return op ? { detail, op } : { detail };
      }
    })();
    cache.set(sha256, hit);
  }
  return hit;
}

/** The sentence for a person: what onnxruntime cannot run and what to do. */
export function describeLoadProblem(p: LoadProblem): string {
  if (p.op) {
    return `onnxruntime ${ortVersion()} cannot run this model: it has no implementation of the operator ${p.op.name} (domain ${p.op.domain}). ` +
      'Export the model with standard ONNX operators (or a newer opset onnxruntime supports) and add it again';
  }
  return `onnxruntime ${ortVersion()} cannot load this model: ${p.detail}`;
}

/** For `models add` (path or upload): refuse a model no session can be created for. */
export async function refuseUnloadable(path: string, sha256: string, shownName: string, opHistogram?: Record<string, number>): Promise<void> {
  const p = await loadProblem(path, sha256, opHistogram);
  if (p) throw invalidInput(`${shownName}: ${describeLoadProblem(p)}; it was not added`);
}
