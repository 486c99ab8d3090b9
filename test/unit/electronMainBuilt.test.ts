// The built Electron main bundle (main.ts bundled exactly as scripts/build.mjs does), run against a
// stand-in `electron` module that records what the app asks of it: the BrowserWindow options, the
// session's permission handlers, navigation and window-open policy, IPC channels. No window is
// launched (the Electron binary cannot run here), yet the security checklist cannot regress silently.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import Module from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { API_METHODS } from '../../main/common/api.ts';
import { ipcChannel } from '../../main/common/bridge.ts';
import { WEB_PREFERENCES } from '../../main/electron/windowOptions.ts';
import { ROOT } from '../helpers/cli.ts';

type Fn = (...a: any[]) => any;
const calls: string[] = [];
const rec = {
  windowOptions: [] as any[],
  permissionRequest: undefined as Fn | undefined,
  permissionCheck: undefined as Fn | undefined,
  devicePermission: undefined as Fn | undefined,
  appHandlers: new Map<string, Fn>(),
  ipcChannels: [] as string[],
  loadedUrl: '',
};

function fakeElectron() {
  class BrowserWindow {
    webContents = { send() {} };
    constructor(opts: unknown) { calls.push('BrowserWindow'); rec.windowOptions.push(opts); }
    once() {} on() {}
    loadURL(u: string) { rec.loadedUrl = u; return Promise.resolve(); }
  }
  return {
    app: {
      requestSingleInstanceLock: () => true, quit() {}, getPath: () => tmpdir(),
      on(ev: string, fn: Fn) { rec.appHandlers.set(ev, fn); },
      whenReady: () => Promise.resolve(),
    },
    protocol: { registerSchemesAsPrivileged() {}, handle() { calls.push('protocol.handle'); } },
    session: {
      defaultSession: {
        setPermissionRequestHandler(fn: Fn) { calls.push('setPermissionRequestHandler'); rec.permissionRequest = fn; },
        setPermissionCheckHandler(fn: Fn) { calls.push('setPermissionCheckHandler'); rec.permissionCheck = fn; },
        setDevicePermissionHandler(fn: Fn) { rec.devicePermission = fn; },
      },
    },
    BrowserWindow,
    ipcMain: { handle(ch: string) { rec.ipcChannels.push(ch); } },
    utilityProcess: { fork: () => Object.assign(new EventEmitter(), { postMessage() {}, kill() {}, pid: 1 }) },
    Menu: { setApplicationMenu() {}, buildFromTemplate: (t: unknown) => t },
    dialog: {}, net: {}, shell: { openExternal() { calls.push('openExternal'); } },
  };
}

before(async () => {
  const out = mkdtempSync(join(tmpdir(), 'kneepoint-electron-main-'));
  await build({
    entryPoints: { main: join(ROOT, 'main/electron/main.ts') }, outdir: out, outExtension: { '.js': '.cjs' },
    bundle: true, format: 'cjs', platform: 'node', target: 'node20', external: ['electron'], logLevel: 'silent',
  });
  const fake = fakeElectron();
  const M = Module as unknown as { _load: Fn };
  const load = M._load;
  M._load = function (request: string, ...rest: unknown[]) { return request === 'electron' ? fake : load.call(this, request, ...rest); };
  try {
    Module.createRequire(import.meta.url)(join(out, 'main.cjs'));
    await new Promise((r) => setTimeout(r, 50)); // app.whenReady().then(...)
  } finally { M._load = load; }
});

test('built main: one BrowserWindow with the locked-down webPreferences and the app:// start URL', () => {
  assert.equal(rec.windowOptions.length, 1);
  const w = rec.windowOptions[0].webPreferences;
  assert.match(w.preload, /preload\.cjs$/);
  assert.deepEqual({ ...w, preload: undefined }, { ...WEB_PREFERENCES, preload: undefined });
  for (const [k, v] of Object.entries({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false })) {
    assert.equal(w[k], v, k);
  }
  assert.equal(rec.loadedUrl, 'app://kneepoint/index.html');
});

test('built main: every permission request and check is denied, devices too, before the window exists', () => {
  assert.ok(rec.permissionRequest && rec.permissionCheck && rec.devicePermission, 'handlers installed');
  assert.ok(calls.indexOf('setPermissionRequestHandler') < calls.indexOf('BrowserWindow'));
  assert.ok(calls.indexOf('setPermissionCheckHandler') < calls.indexOf('BrowserWindow'));
  const permissions = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal',
    'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'hid', 'serial', 'usb', 'idle-detection', 'window-management', 'unknown'];
  for (const p of permissions) {
    let granted: boolean | undefined;
    rec.permissionRequest!({}, p, (g: boolean) => { granted = g; }, { requestingUrl: 'app://kneepoint/index.html' });
    assert.equal(granted, false, `request ${p}`);
    assert.equal(rec.permissionCheck!({}, p, 'app://kneepoint', {}), false, `check ${p}`);
  }
  assert.equal(rec.devicePermission!({ deviceType: 'usb', origin: 'app://kneepoint' }), false);
});

test('built main: navigation off app://kneepoint/ is prevented, new windows are denied, webviews refused', () => {
  const created = rec.appHandlers.get('web-contents-created');
  assert.ok(created);
  const handlers = new Map<string, Fn>();
  let openHandler: Fn | undefined;
  created!({}, { on: (ev: string, fn: Fn) => handlers.set(ev, fn), setWindowOpenHandler: (fn: Fn) => { openHandler = fn; } });
  for (const url of ['http://evil.example/', 'file:///etc/passwd', 'https://example.com/']) {
    let prevented = false;
    handlers.get('will-navigate')!({ preventDefault: () => { prevented = true; } }, url);
    assert.equal(prevented, true, url);
  }
  let stayed = false;
  handlers.get('will-navigate')!({ preventDefault: () => { stayed = true; } }, 'app://kneepoint/index.html#/runs');
  assert.equal(stayed, false);
  let webview = false;
  handlers.get('will-attach-webview')!({ preventDefault: () => { webview = true; } });
  assert.equal(webview, true);
  assert.deepEqual(openHandler!({ url: 'app://kneepoint/index.html' }), { action: 'deny' });
  assert.deepEqual(openHandler!({ url: 'https://example.com' }), { action: 'deny' });
});

test('built main: IPC has exactly one channel per API method plus the two dialogs', () => {
  const methods = rec.ipcChannels.filter((c) => API_METHODS.some((m) => ipcChannel(m) === c));
  assert.equal(methods.length, API_METHODS.length);
  assert.equal(rec.ipcChannels.length, API_METHODS.length + 2);
});
