// The in-process engine: builds the EngineContext (store, hardware, resolvers) and runs jobs.
// Hosts (CLI, web host child process, Electron utility process) all use this one implementation.
import { existsSync, statSync, copyFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { SweepSpecResolved } from '../common/schemas.ts';
import type { AccuracyResult, InputPin, ModelInfo, Precision, ProviderAvailability, ProviderName, SystemInfo } from '../common/types.ts';
import { invalidInput } from '../common/errors.ts';
import { openStore, type Store } from './store/store.ts';
import { getHardware } from './system/hardware.ts';
import { dataDir as defaultDataDir, defaultDbPath, PROJECT_ROOT } from './paths.ts';
import { builtinModels, builtinModelIds, resolveBuiltin, modelInfoForUserFile } from './models/catalog.ts';
import { refuseUnloadable } from './models/loadCheck.ts';
import { probeProviders } from './system/providers.ts';
import { getVariant, variantCacheDir } from './onnx/variants.ts';
import { customVariant } from './models/modelVariants.ts';
import { measureAccuracyForSweep } from './measure/accuracyRun.ts';
import type { EngineContext } from './engineContext.ts';

const require = createRequire(import.meta.url);

export interface EngineOptions {
  dbPath?: string;
  dataDir?: string;
  /** open the store read-only (commands that only read: they work where nothing can be written) */
  readOnly?: boolean;
}

export function versions(): EngineContext['versions'] {
  const ortPkg = require('onnxruntime-node/package.json') as { version: string };
  const own = require(join(PROJECT_ROOT, 'package.json')) as { version: string };
  return { node: process.version, onnxruntime: ortPkg.version, kneepoint: own.version };
}

/** Build the engine context: opens (and migrates) the store, reads the hardware fingerprint. */
export async function createContext(opts: EngineOptions = {}): Promise<EngineContext> {
  const dir = opts.dataDir ?? defaultDataDir();
  const store: Store = openStore(opts.dbPath ?? defaultDbPath(), { readOnly: opts.readOnly });
  // the hardware row is written with the first run measured on it (store.createRun)
  const hardware = await getHardware();

  const ctx: EngineContext = {
    store, hardware, versions: versions(), dataDir: dir,

    async resolveModel(idOrPath: string): Promise<ModelInfo> {
      // a catalog id whose file is missing or altered gets resolveBuiltin's actionable error
      if (builtinModelIds().includes(idOrPath)) return resolveBuiltin(idOrPath);
      const builtins = await builtinModels();
      const user = store.listUserModels().find((m) => m.id === idOrPath);
      if (user) {
        if (!existsSync(user.path)) throw invalidInput(`model ${user.id} was added from ${user.path}, which no longer exists: add it again with \`kneepoint models add PATH\``);
        return user;
      }
      const path = resolve(idOrPath);
      if (!existsSync(path)) {
        throw invalidInput(`no model "${idOrPath}": not a catalog id (${builtins.map((m) => m.id).join(', ')}), not an added model, and no file at ${path}`);
      }
      if (statSync(path).isDirectory()) throw invalidInput(`${path} is a directory: give the path of an .onnx file`);
      const info = await modelInfoForUserFile(path);
      const existing = store.listUserModels().find((m) => m.sha256 === info.sha256);
      if (existing) return { ...existing, path };
      return info;
    },

    // only the provider asked for is probed, once per process (probeProviders caches)
    async providerAvailability(name: ProviderName): Promise<ProviderAvailability> {
      const [p] = await probeProviders([name]);
      return p ?? { name, available: false, reason: `unknown provider ${name}` };
    },

    async variant(model: ModelInfo, precision: Precision) {
      if (precision === 'custom') return customVariant(ctx, model);
      return getVariant(model.path, model.sha256, precision, {}, variantCacheDir(dir));
    },

    async accuracy(model: ModelInfo, variantPath: string, pins: InputPin[], spec: SweepSpecResolved): Promise<AccuracyResult | undefined> {
      return measureAccuracyForSweep(model, variantPath, pins, spec);
    },
  };
  return ctx;
}

export async function systemInfo(ctx: EngineContext): Promise<SystemInfo> {
  return { hardware: ctx.hardware, versions: ctx.versions, providers: await probeProviders() };
}

/** Register a user's model: inspected (bad files rejected), optionally copied into the data dir. */
export async function addUserModel(ctx: EngineContext, path: string, opts: { copy?: boolean; name?: string } = {}): Promise<ModelInfo> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw invalidInput(`no file at ${abs}: give the path of an .onnx file`);
  let info = await modelInfoForUserFile(abs, opts.name);
  await refuseUnloadable(abs, info.sha256, abs, info.opHistogram);
  if (opts.copy) {
    const dest = join(ctx.dataDir, 'models', `${info.sha256.slice(0, 12)}-${basename(abs)}`);
    mkdirSync(join(ctx.dataDir, 'models'), { recursive: true });
    copyFileSync(abs, dest);
    info = { ...info, path: dest };
  }
  ctx.store.upsertModel(info);
  return info;
}
