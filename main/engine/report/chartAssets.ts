// chart.js and its annotation plugin (UMD builds) read from node_modules, to inline into a report
// so the file draws its charts offline, with no request to any server.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let cached: string | null = null;

/** The package's root folder (these packages do not export ./package.json, so walk up from the entry). */
function packageRoot(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(pkg)) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${pkg} package folder: reinstall dependencies (npm ci)`);
    dir = up;
  }
  return dir;
}

function umdFile(pkg: string, rel: string): string {
  const root = packageRoot(pkg);
  const text = readFileSync(join(root, rel), 'utf8');
  // no source-map lookups from a report, and nothing that could close the inline <script> early
  return text.replace(/\/\/# sourceMappingURL=\S+/g, '').replace(/<\/(script)/gi, '<\\/$1');
}

/** The scripts to inline, in load order (chart.js first: the plugin's UMD wrapper needs window.Chart). */
export function chartLibrariesJs(): string {
  cached ??= [
    umdFile('chart.js', 'dist/chart.umd.min.js'),
    umdFile('chartjs-plugin-annotation', 'dist/chartjs-plugin-annotation.min.js'),
  ].join('\n;\n');
  return cached;
}
