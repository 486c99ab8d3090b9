#!/usr/bin/env node
// Launcher for the `kneepoint` command. The engine is TypeScript run by Node's type stripping
// (Node >= 22.18) and better-sqlite3 13 needs Node >= 22; `npm ci` installs Node 24 as a
// devDependency, which npm/npx put first on PATH. Under an older Node, re-exec with that one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const bundled = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!process.env.KNEEPOINT_REEXEC && existsSync(bundled)) {
    const r = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit', env: { ...process.env, KNEEPOINT_REEXEC: '1' },
    });
    process.exit(r.status ?? 1);
  }
  console.error(`kneepoint needs Node >= 22.18 (this is ${process.version}); run \`npm ci\` in ${root} to get Node 24.`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(join(root, 'main', 'cli', 'kneepoint.ts')).href);
process.exit(await main(process.argv.slice(2)));
