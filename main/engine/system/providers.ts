// Execution-provider detection. Each provider is probed ALONE (a list like ['cuda', 'cpu'] makes ORT
// throw, not fall back) by creating a session for a 1-node model with `executionProviders: [name]`
// and running it once. Non-CPU probes run in a short-lived child process: GPU driver stacks can abort
// or hang natively, and ORT logs load failures to stderr, which the child's output captures for the
// reason. Results are cached per process.
import { execFile } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type { ProviderAvailability, ProviderName } from '../../common/types.ts';
import { PROVIDERS } from '../../common/types.ts';
import { ELEM, encodeModel, graph, model, node, valueInfo } from '../onnx/protoBuild.ts';
import { ORT_PROVIDER_NAMES } from '../measure/sessionOptions.ts';

const SETUP_CUDA = 'run npm run setup:cuda (see docs/providers.md)';
const PLATFORM_HOME: Partial<Record<ProviderName, string>> = { dml: 'Windows', coreml: 'macOS' };

/** A float32 [2] → Identity → [2] model: the smallest thing every provider can run. */
export function identityModelBytes(): Uint8Array {
  return encodeModel(model(graph({
    nodes: [node('Identity', ['x'], ['y'])],
    inputs: [valueInfo('x', ELEM.FLOAT, [2])],
    outputs: [valueInfo('y', ELEM.FLOAT, [2])],
  }), { opset: 13 }));
}

function ortEntry(): string {
  return createRequire(import.meta.url).resolve('onnxruntime-node');
}

/** Folder holding onnxruntime-node's native libraries for this platform. */
export function ortBinaryDir(platform: string = process.platform, arch: string = process.arch): string {
  return join(dirname(ortEntry()), '..', 'bin', 'napi-v6', platform, arch);
}

/**
 * Why `name` cannot work on this platform at all, or undefined when it might. Pure given the
 * backend list (onnxruntime-node's listSupportedBackends()) and, for CUDA/TensorRT, whether the
 * downloadable provider library is present.
 */
export function staticUnavailability(name: ProviderName, platform: string, arch: string,
  backends: Array<{ name: string }>, providerLibPresent: (lib: string) => boolean): string | undefined {
  if (name === 'cpu') return undefined;
  if (!backends.some((b) => b.name === ORT_PROVIDER_NAMES[name])) {
    const home = PLATFORM_HOME[name];
    const os = platform === 'win32' ? 'windows' : platform === 'darwin' ? 'macos' : platform;
    if (home) return `not supported on ${os}: ${name} is ${home}-only (see docs/providers.md)`;
    if (name === 'cuda' || name === 'tensorrt') return `not supported on ${os}/${arch}: onnxruntime-node ships ${name} for linux/x64 only (see docs/providers.md)`;
    return `not supported on ${os}/${arch} by this onnxruntime-node build`;
  }
  if (name === 'cuda' && !providerLibPresent('cuda')) return `CUDA libraries not installed: ${SETUP_CUDA}`;
  if (name === 'tensorrt' && !providerLibPresent('tensorrt')) return `TensorRT provider libraries not installed: ${SETUP_CUDA}; TensorRT 10 must also be installed`;
  return undefined;
}

/** Turn an ORT failure (message + native log) into a reason a person can act on. Pure. */
export function explainProbeFailure(name: ProviderName, text: string): string {
  const first = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? 'unknown error';
  // the library that failed is the one right before "cannot open shared object file" / "not found"
  const missingLib = /([\w.+-]+\.(?:so[\w.]*|dll|dylib))['"]?:? (?:cannot open shared object file|not found|could not be found)/i.exec(text);
  const lib = missingLib?.[1] ?? '';
  if (name === 'cuda' || name === 'tensorrt') {
    if (/nvinfer/i.test(lib || text)) return 'TensorRT 10 libraries (libnvinfer) not found on the library path: install TensorRT 10 for CUDA 12 and add it to LD_LIBRARY_PATH (see docs/providers.md)';
    if (/cudnn/i.test(lib || text)) return 'cuDNN 9 not found on the library path: install cuDNN 9 for CUDA 12 and add it to LD_LIBRARY_PATH (see docs/providers.md)';
    if (/libcu(dart|blas|fft|rand)/i.test(lib || text)) return 'CUDA 12 runtime libraries not found on the library path: install the CUDA 12 toolkit/runtime and add it to LD_LIBRARY_PATH (see docs/providers.md)';
    if (/providers_(shared|cuda|tensorrt)/.test(lib)) {
      return `${name === 'cuda' ? 'CUDA' : 'TensorRT'} provider libraries not installed: ${SETUP_CUDA}`;
    }
    if (/no CUDA-capable device|cudaErrorNoDevice|CUDA driver version is insufficient|cudaErrorInsufficientDriver/i.test(text)) {
      return 'no usable NVIDIA GPU: check that an NVIDIA GPU and a driver for CUDA 12 are installed (nvidia-smi)';
    }
    if (/Failed to load shared library/i.test(text)) return `${name} provider failed to load its libraries (${first}); ${SETUP_CUDA}`;
  }
  if (name === 'webgpu' && /adapter/i.test(text)) return 'no WebGPU adapter found: needs a GPU with a Vulkan (Linux), D3D12 (Windows) or Metal (macOS) driver';
  if (lib) return `${name}: library ${lib} not found (see docs/providers.md)`;
  return `${name} failed to start: ${first.slice(0, 300)}`;
}

const CHILD_SCRIPT = `
const ort = require(process.env.KP_ORT_ENTRY);
const bytes = Buffer.from(process.env.KP_MODEL_B64, 'base64');
const say = (o) => process.stdout.write('KPPROBE' + JSON.stringify(o) + '\\n');
ort.InferenceSession.create(bytes, { executionProviders: [process.env.KP_EP] })
  .then((s) => s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2]), [2]) }))
  .then((r) => say({ ok: r.y.data[1] === 2 }), (e) => say({ ok: false, error: String((e && e.message) || e) }));
`;

const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortEntry);
ort.InferenceSession.create(Buffer.from(workerData.modelB64, 'base64'), { executionProviders: [workerData.ep] })
  .then((s) => s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2]), [2]) }))
  .then((r) => parentPort.postMessage({ ok: r.y.data[1] === 2 }), (e) => parentPort.postMessage({ ok: false, error: String((e && e.message) || e) }));
`;

/**
 * Inside the packaged Electron app the RunAsNode fuse is off, so the Electron binary cannot be
 * started as Node for a child probe: probe in a worker thread of this process instead (a provider
 * that crashes natively then takes the engine process down, which its host restarts).
 */
function probeInWorker(name: ProviderName, timeoutMs: number): Promise<ProviderAvailability> {
  return new Promise((resolve) => {
    const w = new Worker(WORKER_SCRIPT, {
      eval: true, workerData: { ortEntry: ortEntry(), ep: ORT_PROVIDER_NAMES[name], modelB64: Buffer.from(identityModelBytes()).toString('base64') },
    });
    const timer = setTimeout(() => { void w.terminate(); resolve({ name, available: false, reason: `${name}: probe did not finish within ${timeoutMs} ms` }); }, timeoutMs);
    w.once('message', (res: { ok: boolean; error?: string }) => {
      clearTimeout(timer);
      void w.terminate();
      resolve(res.ok ? { name, available: true } : { name, available: false, reason: explainProbeFailure(name, res.error ?? '') });
    });
    w.once('error', (e) => { clearTimeout(timer); resolve({ name, available: false, reason: explainProbeFailure(name, e.message) }); });
  });
}

function probeInChild(name: ProviderName, timeoutMs: number): Promise<ProviderAvailability> {
  if (process.versions.electron) return probeInWorker(name, timeoutMs);
  return new Promise((resolve) => {
    const env = {
      ...process.env, ELECTRON_RUN_AS_NODE: '1', KP_ORT_ENTRY: ortEntry(), KP_EP: ORT_PROVIDER_NAMES[name],
      KP_MODEL_B64: Buffer.from(identityModelBytes()).toString('base64'),
    };
    execFile(process.execPath, ['-e', CHILD_SCRIPT], { env, timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('KPPROBE'));
      if (line) {
        const res = JSON.parse(line.slice('KPPROBE'.length)) as { ok: boolean; error?: string };
        if (res.ok) return resolve({ name, available: true });
        return resolve({ name, available: false, reason: explainProbeFailure(name, `${res.error ?? ''}\n${stderr}`) });
      }
      const killed = err && (err as { killed?: boolean }).killed;
      const signal = err && (err as { signal?: string }).signal;
      const why = killed ? `probe did not finish within ${timeoutMs} ms` : signal ? `probe crashed (${signal})` : `probe failed (${err?.message ?? 'no output'})`;
      resolve({ name, available: false, reason: `${name}: ${why}; ${explainProbeFailure(name, stderr || String(err?.message ?? ''))}` });
    });
  });
}

export interface ProbeOptions {
  /** per-provider child timeout; TensorRT can take a while to initialise (default 60 s) */
  timeoutMs?: number;
}

/** Probe one provider (not cached). */
export async function probeProvider(name: ProviderName, opts: ProbeOptions = {}): Promise<ProviderAvailability> {
  const dir = ortBinaryDir();
  const libPresent = (lib: string) => existsSync(join(dir, `libonnxruntime_providers_${lib}.so`)) || existsSync(join(dir, `onnxruntime_providers_${lib}.dll`));
  const stat = staticUnavailability(name, process.platform, process.arch, ort.listSupportedBackends(), libPresent);
  if (stat) return { name, available: false, reason: stat };
  if (name === 'cpu') {
    // CPU is bundled and cannot crash natively on a 1-node model: probe in-process.
    try {
      const s = await ort.InferenceSession.create(identityModelBytes(), { executionProviders: ['cpu'] });
      await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2]), [2]) });
      await s.release();
      return { name, available: true };
    } catch (err) {
      return { name, available: false, reason: explainProbeFailure(name, err instanceof Error ? err.message : String(err)) };
    }
  }
  return probeInChild(name, opts.timeoutMs ?? 60_000);
}

const cache = new Map<ProviderName, Promise<ProviderAvailability>>();

/**
 * Availability of each provider (default: all six), probed once per process and cached. Never
 * throws: an unavailable provider comes back with `available: false` and a reason.
 */
export async function probeProviders(names: readonly ProviderName[] = PROVIDERS, opts: ProbeOptions = {}): Promise<ProviderAvailability[]> {
  return Promise.all(names.map((name) => {
    let p = cache.get(name);
    if (!p) {
      p = probeProvider(name, opts);
      cache.set(name, p);
    }
    return p;
  }));
}

/** Forget cached results (after `npm run setup:cuda`, or in tests). */
export function clearProviderCache(): void {
  cache.clear();
}
