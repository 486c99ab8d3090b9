// The BrowserWindow options as data, so a unit test can check them without Electron. Follows
// Electron's security checklist: isolation, sandbox, no Node in the page, no remote content.
import type { BrowserWindowConstructorOptions, Session, WebPreferences } from 'electron';

/** The app is served from app://kneepoint/ (a custom protocol rather than file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kneepoint';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  devTools: true,
} as const satisfies WebPreferences;

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'Kneepoint',
    show: false,
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: false,
    webPreferences: { ...WEB_PREFERENCES, preload: preloadPath },
  };
}

/** IPC is accepted only from our own page (the top frame of app://kneepoint/). */
export function isTrustedSenderUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch { return false; }
}

/** In-app navigation stays on app://kneepoint/; anything else is refused (https opens in the browser). */
export function navigationDecision(url: string): 'allow' | 'external' | 'deny' {
  if (isTrustedSenderUrl(url)) return 'allow';
  try { return new URL(url).protocol === 'https:' ? 'external' : 'deny'; } catch { return 'deny'; }
}

/**
 * The page uses no permission at all (no camera, microphone, geolocation, notifications, clipboard
 * read, MIDI, HID, serial, USB …): every request and every check is denied, whoever asks.
 */
export const denyPermissionRequest: Parameters<Session['setPermissionRequestHandler']>[0] = (_contents, _permission, callback) => callback(false);
export const denyPermissionCheck: Parameters<Session['setPermissionCheckHandler']>[0] = () => false;

/** The session policy main.ts applies before the first window: permissions denied, devices refused. */
export function applySessionPolicy(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(() => false);
}
