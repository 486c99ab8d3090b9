#!/usr/bin/env node
// npm run setup:cuda — download onnxruntime-node's CUDA 12 / TensorRT execution-provider libraries
// (Linux x64 only) by re-running the package's own install script, which this project skips at
// install time (ONNXRUNTIME_NODE_INSTALL=skip npm ci) so that offline installs work.
//
// Why the environment is rewritten: onnxruntime-node 1.30's install script reads
// ONNXRUNTIME_NODE_INSTALL before npm_config_onnxruntime_node_install (a "skip" left in either), and when
// it thinks it runs inside the package's own local install (npm_config_local_prefix + npm_package_json,
// both set by `npm run`) it exits without doing anything. On linux/x64 its default manifest is cuda12.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const platform = `${process.platform}/${process.arch}`;
if (platform !== 'linux/x64') {
  const hint = process.platform === 'win32' ? 'On Windows use the DirectML provider (dml), bundled with onnxruntime-node.'
    : process.platform === 'darwin' ? 'On macOS use the CoreML provider (coreml), bundled with onnxruntime-node.' : '';
  console.error(`setup:cuda: onnxruntime-node ships CUDA/TensorRT providers for linux/x64 only (this is ${platform}). ${hint}`);
  process.exit(1);
}

const ortDir = join(dirname(require.resolve('onnxruntime-node')), '..');
const binDir = join(ortDir, 'bin', 'napi-v6', 'linux', 'x64');
const libs = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_tensorrt.so'];
const missing = () => libs.filter((l) => !existsSync(join(binDir, l)));

if (missing().length === 0) {
  console.log(`setup:cuda: CUDA/TensorRT provider libraries already present in ${binDir}`);
} else {
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' };
  for (const k of ['npm_config_local_prefix', 'npm_package_json', 'npm_config_onnxruntime_node_install',
    'npm_config_onnxruntime_node_install_cuda', 'ONNXRUNTIME_NODE_INSTALL_CUDA']) delete env[k];
  console.log('setup:cuda: downloading Microsoft.ML.OnnxRuntime.Gpu.Linux from nuget.org (a few hundred MB) …');
  const r = spawnSync(process.execPath, [join(ortDir, 'script', 'install.js'), '--onnxruntime-node-install=cuda12'],
    { cwd: ortDir, env, stdio: 'inherit' });
  if (r.status !== 0 || missing().length > 0) {
    console.error(`setup:cuda: failed (exit ${r.status ?? r.signal}); still missing: ${missing().join(', ') || 'none'}.`);
    console.error('  Needs HTTPS access to api.nuget.org (set GLOBAL_AGENT_HTTPS_PROXY behind a proxy). See docs/providers.md.');
    process.exit(1);
  }
  console.log(`setup:cuda: installed ${libs.join(', ')} into ${binDir}`);
}
console.log(`Next:
  - CUDA needs the CUDA 12 runtime (cudart, cublas, cufft, curand) and cuDNN 9 on the library path
    (e.g. export LD_LIBRARY_PATH=/usr/local/cuda-12/lib64:$LD_LIBRARY_PATH) and an NVIDIA driver (nvidia-smi).
  - TensorRT additionally needs TensorRT 10 (libnvinfer.so.10) on the library path.
  - Check with: npx kneepoint info   (providers are probed one by one, each with the reason when it fails)`);
