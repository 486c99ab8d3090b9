import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROVIDERS } from '../../main/common/types.ts';
import {
  clearProviderCache, explainProbeFailure, probeProvider, probeProviders, staticUnavailability,
} from '../../main/engine/system/providers.ts';

const linuxBackends = [{ name: 'cpu' }, { name: 'webgpu' }, { name: 'cuda' }, { name: 'tensorrt' }];

describe('provider probing', () => {
  it('reports every provider, cpu available, each unavailable one with a reason', async () => {
    clearProviderCache();
    const list = await probeProviders();
    assert.deepEqual(list.map((p) => p.name), [...PROVIDERS]);
    const cpu = list.find((p) => p.name === 'cpu')!;
    assert.deepEqual(cpu, { name: 'cpu', available: true });
    for (const p of list) if (!p.available) assert.ok(p.reason && p.reason.length > 10, `${p.name} has a reason`);
    const again = await probeProviders(['cuda']);
    assert.strictEqual(again[0], list[1], 'cached per process: the same result object');
  });

  it('says how to enable CUDA when its libraries are not installed (this machine)', { skip: process.platform !== 'linux' }, async () => {
    const cuda = await probeProvider('cuda');
    if (cuda.available) return; // a GPU machine with setup:cuda done
    assert.match(cuda.reason!, /npm run setup:cuda/);
    assert.match(cuda.reason!, /docs\/providers\.md/);
  });

  it('names the platform for Windows- and macOS-only providers', () => {
    assert.match(staticUnavailability('dml', 'linux', 'x64', linuxBackends, () => false)!, /not supported on linux.*Windows/);
    assert.match(staticUnavailability('coreml', 'win32', 'x64', [{ name: 'cpu' }, { name: 'dml' }], () => false)!, /not supported on windows.*macOS/);
    assert.equal(staticUnavailability('dml', 'win32', 'x64', [{ name: 'cpu' }, { name: 'dml' }], () => false), undefined);
    assert.match(staticUnavailability('cuda', 'darwin', 'arm64', [{ name: 'cpu' }, { name: 'coreml' }], () => false)!, /linux\/x64 only/);
    assert.match(staticUnavailability('cuda', 'linux', 'x64', linuxBackends, () => false)!, /setup:cuda/);
    assert.equal(staticUnavailability('cuda', 'linux', 'x64', linuxBackends, () => true), undefined);
    assert.equal(staticUnavailability('cpu', 'linux', 'x64', [], () => false), undefined);
  });

  it('turns ORT load failures into actions', () => {
    assert.match(explainProbeFailure('cuda', 'Failed to load library libonnxruntime_providers_shared.so with error: libonnxruntime_providers_shared.so: cannot open shared object file: No such file or directory'), /setup:cuda/);
    assert.match(explainProbeFailure('cuda', 'Failed to load library libonnxruntime_providers_cuda.so with error: libcudnn.so.9: cannot open shared object file'), /cuDNN 9/);
    assert.match(explainProbeFailure('cuda', 'libcublasLt.so.12: cannot open shared object file: No such file or directory'), /CUDA 12 runtime/);
    assert.match(explainProbeFailure('tensorrt', 'libnvinfer.so.10: cannot open shared object file'), /TensorRT 10/);
    assert.match(explainProbeFailure('cuda', 'CUDA failure 100: no CUDA-capable device is detected'), /NVIDIA GPU/);
    assert.match(explainProbeFailure('webgpu', 'Failed to get a WebGPU adapter: No supported adapters'), /no WebGPU adapter/);
    assert.match(explainProbeFailure('webgpu', 'something odd\nmore'), /^webgpu failed to start: something odd$/);
  });
});
