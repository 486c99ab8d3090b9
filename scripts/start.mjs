// `npm start`: the desktop window where the Electron binary is present; otherwise ONE line saying
// why, then the same UI in a browser via the web host. Never `require('electron')` to probe: that
// triggers a download. Ctrl-C stops everything cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronPkg = join(root, 'node_modules', 'electron');

/** The Electron executable if it is on disk, else null with the reason. */
export function findElectronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = join(override, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
    return existsSync(exe) ? { exe } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron executable (${exe})` };
  }
  if (!existsSync(electronPkg)) return { reason: 'the electron package is not installed' };
  const pathTxt = join(electronPkg, 'path.txt');
  if (!existsSync(pathTxt)) return { reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  const exe = join(electronPkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? { exe } : { reason: `the Electron binary is missing (${exe})` };
}

/** One bounded try (20 s) at electron's own download; false when it fails or cannot run. */
function tryDownloadOnce() {
  const install = join(electronPkg, 'install.js');
  if (!existsSync(install)) return false;
  const r = spawnSync(process.execPath, [install], { cwd: electronPkg, stdio: 'ignore', timeout: 20_000 });
  return r.status === 0;
}

function ensureBuilt() {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'], cwd: root, env: { ...process.env, KNEEPOINT_QUIET: '1' } });
  if (r.status !== 0) { console.error('kneepoint: building the UI failed (see above)'); process.exit(1); }
}

/** Whether to open a browser: not when asked not to, nor on a Linux/BSD box without a display. */
export function browserChoice(env = process.env, platform = process.platform) {
  if (env.KNEEPOINT_NO_OPEN) return { open: false, why: 'KNEEPOINT_NO_OPEN is set' };
  if (platform === 'darwin' || platform === 'win32') return { open: true, why: '' };
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { open: true, why: '' };
  return { open: false, why: 'no display to open a browser on' };
}

/** The one line said when the desktop window cannot start: why, and what happens instead. */
export function fallbackLine(reason, download, choice) {
  const instead = choice.open
    ? 'opening the UI in your browser instead (its URL is printed below)'
    : `serving the UI for a browser instead (${choice.why}): open the URL printed below`;
  return `kneepoint: desktop window unavailable (${reason}${download}): ${instead}.`;
}

async function main() {
  ensureBuilt();
  let found = process.env.KNEEPOINT_WEB ? { reason: 'KNEEPOINT_WEB is set' } : findElectronBinary();
  // what became of the one download try, for the message (none with an override path or KNEEPOINT_WEB)
  let download = '';
  if (!found.exe && !process.env.KNEEPOINT_WEB && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    if (process.env.KNEEPOINT_NO_ELECTRON_DOWNLOAD) download = '; download skipped (KNEEPOINT_NO_ELECTRON_DOWNLOAD)';
    else if (tryDownloadOnce()) found = findElectronBinary();
    else download = '; downloading it failed (no network access to its host?)';
  }
  if (found.exe) {
    const child = spawn(found.exe, [root], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  const choice = browserChoice();
  console.error(fallbackLine(found.reason, download, choice));
  // the web host is TypeScript: it needs Node >= 22.18 (npm start runs the bundled Node 24)
  const { startWebHost } = await import(pathToFileURL(join(root, 'main', 'web', 'server.ts')).href);
  const host = await startWebHost({ open: false, dbPath: process.env.KNEEPOINT_DB || undefined, port: Number(process.env.KNEEPOINT_PORT ?? 0) });
  // the URL first, then the browser: a failure to open can then point at it
  console.log(host.url);
  if (choice.open) {
    const { openBrowser } = await import(pathToFileURL(join(root, 'main', 'web', 'openBrowser.ts')).href);
    if (!openBrowser(host.url)) console.error('kneepoint: no browser found to open: open the URL above yourself.');
  }
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    host.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
