// Electron main: one secure window on app://kneepoint/, the engine in a utility process, IPC
// relayed per API method with sender validation, native dialogs, the usual menus.
// Bundled to main/electron/dist/main.cjs by scripts/build.mjs. Never loads native modules itself.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, shell } from 'electron';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron';
import { writeFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { API_METHODS } from '../common/api.ts';
import { IPC_EVENT_CHANNEL, IPC_OPEN_DIALOG, IPC_SAVE_DIALOG, ipcChannel } from '../common/bridge.ts';
import { contentSecurityPolicy } from '../common/csp.ts';
import { startEngineProcess } from './engineProcess.ts';
import { APP_HOST, APP_SCHEME, APP_START_URL, applySessionPolicy, isTrustedSenderUrl, navigationDecision, windowOptions } from './windowOptions.ts';

// dist/main.cjs → the app root (in a package: resources/app.asar)
const ROOT = join(__dirname, '..', '..', '..');
const RENDERER_DIR = join(ROOT, 'renderer');
/** worker entry files and native addons live unpacked next to the asar (electron-builder asarUnpack) */
const ENGINE_ENTRY = join(ROOT, 'main', 'engine', 'processHost.ts').replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
const CSP = contentSecurityPolicy();

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;

function serveApp(): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(RENDERER_DIR, rel));
    const allowed = file === join(RENDERER_DIR, 'index.html') || file.startsWith(join(RENDERER_DIR, 'dist') + sep);
    if (!allowed) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

function trusted(e: IpcMainInvokeEvent): boolean {
  return !!win && e.sender === win.webContents && isTrustedSenderUrl(e.senderFrame?.url);
}

function wireIpc(): void {
  const engine = startEngineProcess(ENGINE_ENTRY, {
    ...(process.env.KNEEPOINT_DB ? { KNEEPOINT_DB: process.env.KNEEPOINT_DB } : {}),
    KNEEPOINT_DATA_DIR: process.env.KNEEPOINT_DATA_DIR ?? app.getPath('userData'),
  });
  engine.onEvent((event, payload) => { win?.webContents.send(IPC_EVENT_CHANNEL, { event, payload }); });
  for (const m of API_METHODS) {
    ipcMain.handle(ipcChannel(m), (e, arg: unknown) => {
      if (!trusted(e)) return { ok: false, error: { kind: 'engine', message: 'refused: IPC from an untrusted frame' } };
      return engine.call(m, arg === undefined ? [] : [arg]);
    });
  }
  ipcMain.handle(IPC_OPEN_DIALOG, async (e, o: { title?: string; extensions?: string[] }) => {
    if (!trusted(e) || !win) return [];
    const r = await dialog.showOpenDialog(win, { title: o?.title || 'Open', properties: ['openFile'], filters: o?.extensions?.length ? [{ name: o.extensions.join(', '), extensions: o.extensions }] : [] });
    return r.canceled ? [] : r.filePaths;
  });
  ipcMain.handle(IPC_SAVE_DIALOG, async (e, o: { fileName: string; base64: string }) => {
    if (!trusted(e) || !win) return null;
    const r = await dialog.showSaveDialog(win, { defaultPath: String(o.fileName) });
    if (r.canceled || !r.filePath) return null;
    await writeFile(r.filePath, Buffer.from(String(o.base64), 'base64'));
    return r.filePath;
  });
  app.on('will-quit', () => engine.close());
}

function menu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  win = new BrowserWindow(windowOptions(join(__dirname, 'preload.cjs')));
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => { win = null; });
  void win.loadURL(APP_START_URL);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev, url) => {
    const d = navigationDecision(url);
    if (d === 'allow') return;
    ev.preventDefault();
    if (d === 'external') void shell.openExternal(url);
  });
  contents.on('will-attach-webview', (ev) => ev.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (navigationDecision(url) === 'external') void shell.openExternal(url);
    return { action: 'deny' };
  });
});
app.on('second-instance', () => { if (win) { if (win.isMinimized()) win.restore(); win.focus(); } });
app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });
app.on('activate', () => { if (!win) createWindow(); });

void app.whenReady().then(() => {
  applySessionPolicy(session.defaultSession);
  serveApp();
  wireIpc();
  menu();
  createWindow();
});
