// `targets install`: this Kneepoint version onto a target. The `npm pack` tarball of this install
// is copied over (checked by sha256) and unpacked under REMOTE_DIR/app/kneepoint; a wrapper
// package in REMOTE_DIR/app depends on its runtime dependencies and on `node` at this very Node
// version, so npm on the remote (any Node it has, e.g. a system Node 20) brings the Node 24 binary
// the engine needs, from the registry the remote can reach. Models are fetched/generated there by
// the package's own scripts. The previous install is replaced only once the new one is complete.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KneepointError } from '../../common/errors.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { shScript } from './shellQuote.ts';
import { runRemote, type Target } from './ssh.ts';
import { remotePaths } from './agentSession.ts';
import { uploadVerified } from './remoteModel.ts';

export interface InstallOptions {
  /** the registry the remote can reach (default: the remote's npm configuration) */
  registry?: string;
  /** onnxruntime-node's install mode there: skip (CPU only, default) or cuda12 (downloads the CUDA provider) */
  onnxruntimeInstall?: 'skip' | 'cuda12';
  /** an already packed tarball (tests, or an air-gapped copy) instead of `npm pack` here */
  tarball?: string;
  log?: (line: string) => void;
}

const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** `npm pack` of this install into a temporary folder; returns the tarball path. */
export function packThisInstall(dest: string): string {
  const r = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new KneepointError('engine', `npm pack failed in ${PROJECT_ROOT}: ${(r.stderr || r.error?.message || '').trim().slice(-500)}`);
  const out = JSON.parse(r.stdout) as Array<{ filename: string }>;
  return join(dest, out[0].filename);
}

// $1 remote dir, $2 tarball name, $3 wrapper package.json name, $4 ort install mode, $5 registry ('' = remote default)
const INSTALL = `set -e
d=$1; tgz=$2; wrapper=$3; ort=$4; reg=$5
command -v npm >/dev/null 2>&1 || { echo "npm is not installed on this machine: install Node.js with npm (any version >= 18), e.g. apt-get install nodejs npm" >&2; exit 40; }
new="$d/app.new.$$"
rm -rf "$new"; mkdir -p "$new/kneepoint" "$d/data"
tar xzf "$d/incoming/$tgz" -C "$new/kneepoint" --strip-components=1
cp "$d/incoming/$wrapper" "$new/package.json"
cd "$new"
set -- --omit=dev --no-audit --no-fund
[ -n "$reg" ] && set -- "$@" --registry="$reg"
ONNXRUNTIME_NODE_INSTALL=$ort npm install "$@" >&2
./node_modules/node/bin/node kneepoint/scripts/fetch-models.mjs >&2
./node_modules/node/bin/node kneepoint/scripts/generate-models.ts >&2
cd - >/dev/null
rm -rf "$d/app.old"
[ -d "$d/app" ] && mv "$d/app" "$d/app.old"
mv "$new" "$d/app"
rm -rf "$d/app.old"
"$d/app/node_modules/node/bin/node" -e 'console.log(JSON.stringify({node: process.version, kneepoint: require(process.argv[1]).version}))' "$(cd "$d/app/kneepoint" && pwd)/package.json"
`;

/**
 * The wrapper package installed on the remote: this install's runtime dependencies at the exact
 * versions installed here, plus `node` at this Node version. The engine is TypeScript run by
 * Node's type stripping, which Node refuses under node_modules, so Kneepoint itself is unpacked
 * beside them (app/kneepoint) rather than installed as a dependency.
 */
export function wrapperPackage(): Record<string, unknown> {
  const own = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const dependencies: Record<string, string> = {};
  for (const [name, range] of Object.entries(own.dependencies)) {
    try {
      dependencies[name] = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      dependencies[name] = range;
    }
  }
  dependencies.node = process.versions.node;
  return { private: true, name: 'kneepoint-target', version: own.version, description: 'Kneepoint on a remote target (kneepoint targets install)', dependencies };
}

export async function installOnTarget(t: Target, opts: InstallOptions = {}): Promise<{ node: string; kneepoint: string; tarball: string }> {
  const log = opts.log ?? (() => {});
  const tmp = mkdtempSync(join(tmpdir(), 'kneepoint-pack-'));
  try {
    const tarball = opts.tarball ?? (log('packing this Kneepoint (npm pack)'), packThisInstall(tmp));
    const name = tarball.split('/').pop()!;
    const p = remotePaths(t);
    log(`copying ${name} to ${t.name}:${p.incoming}`);
    await uploadVerified(t, p.incoming, name, tarball, sha256Of(tarball), 'the Kneepoint package');
    const wrapperFile = join(tmp, 'target-package.json');
    writeFileSync(wrapperFile, `${JSON.stringify(wrapperPackage(), null, 2)}\n`);
    await uploadVerified(t, p.incoming, 'target-package.json', wrapperFile, sha256Of(wrapperFile), 'the install manifest');
    log(`installing under ${t.name}:${p.app} (npm install there; Node ${process.versions.node} comes from the registry)`);
    const r = await runRemote(t, shScript(INSTALL, [t.remoteDir, name, 'target-package.json', opts.onnxruntimeInstall ?? 'skip', opts.registry ?? '']));
    if (r.code !== 0) {
      throw new KneepointError('engine', `installing on target ${t.name} failed (exit ${r.code}); the previous install, if any, is untouched. Remote output: ${r.stderr.trim().split('\n').slice(-8).join(' | ')}`);
    }
    const line = r.stdout.trim().split('\n').pop() ?? '{}';
    return { ...(JSON.parse(line) as { node: string; kneepoint: string }), tarball: name };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

